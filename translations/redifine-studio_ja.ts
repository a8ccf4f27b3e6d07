<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja">
<context>
    <name>QObject</name>
    <message>
        <source>change the CFG schedule</source>
        <translation>CFG スケジュールの変更</translation>
    </message>
</context>
<context>
    <name>redifine::CfgScheduleEditor</name>
    <message>
        <source>Constant</source>
        <translation>一定</translation>
    </message>
    <message>
        <source>Exponential s0 exp(-alpha t/T)</source>
        <translation>指数 s0 exp(-alpha t/T)</translation>
    </message>
    <message>
        <source>Linear</source>
        <translation>線形</translation>
    </message>
    <message>
        <source>Cosine</source>
        <translation>コサイン</translation>
    </message>
    <message>
        <source>Control points</source>
        <translation>制御点</translation>
    </message>
    <message>
        <source>Edit points</source>
        <translation>点を編集</translation>
    </message>
    <message>
        <source>Turn the current shape into control points you can drag</source>
        <translation>現在の形をドラッグできる制御点に変換します</translation>
    </message>
    <message>
        <source>Pin</source>
        <translation>固定</translation>
    </message>
    <message>
        <source>Keep the current schedule overlaid to compare the next ones with it</source>
        <translation>現在のスケジュールを重ねて表示し、次のものと比較します</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>元に戻す</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>やり直す</translation>
    </message>
    <message>
        <source>Denoising step t</source>
        <translation>ノイズ除去ステップ t</translation>
    </message>
    <message>
        <source>Guidance scale s_t</source>
        <translation>ガイダンススケール s_t</translation>
    </message>
    <message>
        <source>s = </source>
        <translation>s = </translation>
    </message>
    <message>
        <source>s0 = </source>
        <translation>s0 = </translation>
    </message>
    <message>
        <source>alpha = </source>
        <translation>alpha = </translation>
    </message>
    <message>
        <source>start = </source>
        <translation>開始 = </translation>
    </message>
    <message>
        <source>end = </source>
        <translation>終了 = </translation>
    </message>
    <message>
        <source>control points (drag)</source>
        <translation>制御点（ドラッグ）</translation>
    </message>
</context>
<context>
    <name>redifine::ChainQueue</name>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>再開</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>Chain</source>
        <translation>チェーン</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>進捗</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>complete</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>cancelled; resume continues it</source>
        <translation>キャンセル済み。再開で続行できます</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>失敗: %1</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>待機中</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>開始中</translation>
    </message>
    <message>
        <source>iteration %1/%2, %3</source>
        <translation>反復 %1/%2、%3</translation>
    </message>
    <message>
        <source>, ETA %1 s</source>
        <translation>、残り約 %1 秒</translation>
    </message>
    <message>
        <source>cancelled before it started</source>
        <translation>開始前にキャンセル</translation>
    </message>
    <message>
        <source>waiting (resumes)</source>
        <translation>待機中（再開）</translation>
    </message>
</context>
<context>
    <name>redifine::ChainSetupPanel</name>
    <message>
        <source>Chain</source>
        <translation>チェーン</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Iterations K</source>
        <translation>反復回数 K</translation>
    </message>
    <message>
        <source>Images per prompt</source>
        <translation>プロンプトあたりの画像数</translation>
    </message>
    <message>
        <source>Real-image mixing</source>
        <translation>実画像の混合率</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>シード</translation>
    </message>
    <message>
        <source>Data D_0</source>
        <translation>データ D_0</translation>
    </message>
    <message>
        <source>Emoji group</source>
        <translation>絵文字グループ</translation>
    </message>
    <message>
        <source>or an image folder (kohya or imagefolder layout)</source>
        <translation>または画像フォルダー（kohya 形式または imagefolder 形式）</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>フォルダー</translation>
    </message>
    <message>
        <source>all</source>
        <translation>すべて</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>画像</translation>
    </message>
    <message>
        <source>Finetune (LoRA)</source>
        <translation>ファインチューニング（LoRA）</translation>
    </message>
    <message>
        <source>Condition-drop probability p: ReDiFine uses 0.2</source>
        <translation>条件ドロップ確率 p：ReDiFine は 0.2 を使用</translation>
    </message>
    <message>
        <source>Condition drop p</source>
        <translation>条件ドロップ p</translation>
    </message>
    <message>
        <source>epochs decide</source>
        <translation>エポック数で決定</translation>
    </message>
    <message>
        <source>Steps per iteration</source>
        <translation>反復あたりのステップ数</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>エポック</translation>
    </message>
    <message>
        <source>LoRA rank</source>
        <translation>LoRA ランク</translation>
    </message>
    <message>
        <source>off</source>
        <translation>オフ</translation>
    </message>
    <message>
        <source>kohya&apos;s conv_dim: LoCon adapters on the ResNet and sampler convolutions as well</source>
        <translation>kohya の conv_dim：ResNet ブロックとサンプリング層の畳み込みにも LoCon アダプターを付ける</translation>
    </message>
    <message>
        <source>LoCon rank</source>
        <translation>LoCon ランク</translation>
    </message>
    <message>
        <source>Sampler and CFG</source>
        <translation>サンプラーと CFG</translation>
    </message>
    <message>
        <source>Steps T</source>
        <translation>ステップ数 T</translation>
    </message>
    <message>
        <source>Sampler</source>
        <translation>サンプラー</translation>
    </message>
    <message>
        <source>Queue chain</source>
        <translation>チェーンをキューに追加</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>プリセット</translation>
    </message>
    <message>
        <source>Base model M_0</source>
        <translation>ベースモデル M_0</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>ファミリー</translation>
    </message>
    <message>
        <source>tiny: the shipped model; sd15: your .safetensors file or diffusers folder</source>
        <translation>tiny: 同梱のモデル、sd15: お手持ちの .safetensors ファイルまたは diffusers フォルダー</translation>
    </message>
    <message>
        <source>Checkpoint</source>
        <translation>チェックポイント</translation>
    </message>
    <message>
        <source>Image size of sd15 chains (SD1.5: 512); a tiny model file carries its own</source>
        <translation>sd15 チェーンの画像サイズ (SD1.5: 512)。tiny モデルのファイルは独自のサイズを持ちます</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>解像度</translation>
    </message>
    <message>
        <source>Checkpoint file…</source>
        <translation>チェックポイントファイル…</translation>
    </message>
    <message>
        <source>Stable Diffusion 1.5 checkpoint</source>
        <translation>Stable Diffusion 1.5 のチェックポイント</translation>
    </message>
    <message>
        <source>Safetensors (*.safetensors)</source>
        <translation>Safetensors (*.safetensors)</translation>
    </message>
    <message>
        <source>Diffusers folder…</source>
        <translation>diffusers フォルダー…</translation>
    </message>
    <message>
        <source>Stable Diffusion 1.5 diffusers folder</source>
        <translation>Stable Diffusion 1.5 の diffusers フォルダー</translation>
    </message>
    <message>
        <source>Image folder…</source>
        <translation>画像フォルダー…</translation>
    </message>
    <message>
        <source>Image folder for D_0</source>
        <translation>D_0 の画像フォルダー</translation>
    </message>
    <message>
        <source>bf16 trains and samples faster on this CPU (AVX-512 BF16); fp32 is the reference precision</source>
        <translation>この CPU では bf16 の方が学習と生成が速い（AVX-512 BF16）。fp32 が基準精度です</translation>
    </message>
    <message>
        <source>This CPU has no AVX-512 BF16: bf16 would be emulated and slower than fp32</source>
        <translation>この CPU には AVX-512 BF16 がありません。bf16 はエミュレートされ fp32 より遅くなります</translation>
    </message>
    <message>
        <source>CPU matrix products</source>
        <translation>CPU の行列積</translation>
    </message>
    <message>
        <source>Pictures of each emoji: 1 is the plain emoji on white; more adds it moved, smaller and on light backgrounds</source>
        <translation>絵文字ごとの画像数: 1 は白地の元の絵文字。それ以上は、位置をずらし小さくして淡い背景に描いたものを加えます</translation>
    </message>
    <message>
        <source>Pictures per emoji</source>
        <translation>絵文字ごとの画像数</translation>
    </message>
</context>
<context>
    <name>redifine::DiffNormView</name>
    <message>
        <source>Denoising step</source>
        <translation>ノイズ除去ステップ</translation>
    </message>
    <message>
        <source>|eps_c - eps_u| (mean over seeds, band: 95% interval)</source>
        <translation>|eps_c - eps_u|（シード平均、帯：95% 区間）</translation>
    </message>
    <message>
        <source>%1 iteration %2</source>
        <translation>%1 反復 %2</translation>
    </message>
    <message>
        <source>|eps_c - eps_u| (mean over images, band: +-1 sd)</source>
        <translation>|eps_c - eps_u|（画像平均、帯：±1 標準偏差）</translation>
    </message>
</context>
<context>
    <name>redifine::HistogramView</name>
    <message>
        <source>One chain over iterations</source>
        <translation>1 つのチェーンの反復ごとの推移</translation>
    </message>
    <message>
        <source>All chains at the selected iteration</source>
        <translation>選択した反復ですべてのチェーン</translation>
    </message>
    <message>
        <source>Latent value</source>
        <translation>潜在変数の値</translation>
    </message>
    <message>
        <source>Density</source>
        <translation>密度</translation>
    </message>
    <message>
        <source>%1 iteration %2</source>
        <translation>%1 反復 %2</translation>
    </message>
</context>
<context>
    <name>redifine::ImageGridModel</name>
    <message>
        <source>D_0 (original)</source>
        <translation>D_0（オリジナル）</translation>
    </message>
    <message>
        <source>iteration %1</source>
        <translation>反復 %1</translation>
    </message>
</context>
<context>
    <name>redifine::ImageGridView</name>
    <message>
        <source>Thumbnail size (Ctrl+wheel over the grid)</source>
        <translation>サムネイルの大きさ（グリッド上で Ctrl+ホイール）</translation>
    </message>
    <message>
        <source>Filter prompts…</source>
        <translation>プロンプトを絞り込む…</translation>
    </message>
    <message>
        <source>The prompt shown for every run when comparing</source>
        <translation>比較時に各実行で表示するプロンプト</translation>
    </message>
    <message>
        <source>Zoom</source>
        <translation>ズーム</translation>
    </message>
    <message>
        <source>Iteration %1: %2</source>
        <translation>反復 %1: %2</translation>
    </message>
</context>
<context>
    <name>redifine::LossView</name>
    <message>
        <source>Finetune step</source>
        <translation>ファインチューニングのステップ</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>損失</translation>
    </message>
    <message>
        <source>%1 iteration %2</source>
        <translation>%1 反復 %2</translation>
    </message>
</context>
<context>
    <name>redifine::MainWindow</name>
    <message>
        <source>ReDiFine Studio</source>
        <translation>ReDiFine Studio</translation>
    </message>
    <message>
        <source>LibTorch %1 on %2, %3 threads</source>
        <translation>LibTorch %1（%2、%3 スレッド）</translation>
    </message>
    <message>
        <source>LibTorch %1 on %2, %3 threads; OpenBLAS runs %4 kernels, this CPU supports %5 (set OPENBLAS_CORETYPE=%5)</source>
        <translation>LibTorch %1（%2、%3 スレッド）; OpenBLAS は %4 カーネルで動作中、この CPU は %5 に対応（OPENBLAS_CORETYPE=%5 を設定）</translation>
    </message>
    <message>
        <source>Select a run to browse it; select several (Ctrl or Shift) to compare them side by side.</source>
        <translation>実行を選ぶと閲覧できます。複数選択（Ctrl または Shift）で並べて比較します。</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>実行</translation>
    </message>
    <message>
        <source>Chain setup</source>
        <translation>チェーンの設定</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>キュー</translation>
    </message>
    <message>
        <source>Plots</source>
        <translation>グラフ</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open Runs Folder…</source>
        <translation>実行フォルダーを開く(&amp;O)…</translation>
    </message>
    <message>
        <source>Recent Runs Folders</source>
        <translation>最近の実行フォルダー</translation>
    </message>
    <message>
        <source>Export &amp;Plot…</source>
        <translation>グラフをエクスポート(&amp;P)…</translation>
    </message>
    <message>
        <source>Export plot</source>
        <translation>グラフをエクスポート</translation>
    </message>
    <message>
        <source>Export &amp;Grid…</source>
        <translation>グリッドをエクスポート(&amp;G)…</translation>
    </message>
    <message>
        <source>Export grid</source>
        <translation>グリッドをエクスポート</translation>
    </message>
    <message>
        <source>PNG with labels (*.png);;Contact sheet PDF (*.pdf)</source>
        <translation>ラベル付き PNG (*.png);;コンタクトシート PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Export &amp;Report…</source>
        <translation>レポートをエクスポート(&amp;R)…</translation>
    </message>
    <message>
        <source>Folder for report.pdf, report.html and metrics.csv</source>
        <translation>report.pdf、report.html、metrics.csv の保存先フォルダー</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>レポートをエクスポート</translation>
    </message>
    <message>
        <source>Report written to %1</source>
        <translation>レポートを %1 に保存しました</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>更新(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <source>Compare the &amp;CFG Sweep (Figure 2b)</source>
        <translation>CFG スイープを比較(&amp;C)（図 2b）</translation>
    </message>
    <message>
        <source>Larger Thumbnails</source>
        <translation>サムネイルを大きく</translation>
    </message>
    <message>
        <source>Smaller Thumbnails</source>
        <translation>サムネイルを小さく</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>言語(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About ReDiFine Studio</source>
        <translation>ReDiFine Studio について(&amp;A)</translation>
    </message>
    <message>
        <source>About ReDiFine Studio</source>
        <translation>ReDiFine Studio について</translation>
    </message>
    <message>
        <source>&lt;b&gt;ReDiFine Studio&lt;/b&gt;&lt;br&gt;Run and analyse Chains of Diffusion.&lt;br&gt;Qt %1&lt;pre&gt;%2&lt;/pre&gt;</source>
        <translation>&lt;b&gt;ReDiFine Studio&lt;/b&gt;&lt;br&gt;拡散チェーンを実行・分析します。&lt;br&gt;Qt %1&lt;pre&gt;%2&lt;/pre&gt;</translation>
    </message>
    <message>
        <source>Runs: %1</source>
        <translation>実行: %1</translation>
    </message>
    <message>
        <source>Runs: %1 (missing)</source>
        <translation>実行: %1（見つかりません）</translation>
    </message>
    <message>
        <source>Queued %1 into %2</source>
        <translation>%1 を %2 へキューに追加しました</translation>
    </message>
    <message>
        <source>Runs folder</source>
        <translation>実行フォルダー</translation>
    </message>
    <message>
        <source>No constant-CFG runs in this folder to compare</source>
        <translation>このフォルダーには比較できる一定 CFG の実行がありません</translation>
    </message>
    <message>
        <source>%1: %2, %3</source>
        <translation>%1: %2、%3</translation>
    </message>
    <message>
        <source>Comparing %1 runs</source>
        <translation>%1 件の実行を比較中</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>テーマ(&amp;T)</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>ライト</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>ダーク</translation>
    </message>
    <message>
        <source>Dataset %1 set as D_0 in the chain setup</source>
        <translation>データセット %1 をチェーン設定の D_0 にしました</translation>
    </message>
    <message>
        <source>Vector PDF (*.pdf);;SVG (*.svg);;PNG (*.png)</source>
        <translation>ベクター PDF (*.pdf);;SVG (*.svg);;PNG (*.png)</translation>
    </message>
    <message>
        <source>Resolution (dots per inch)</source>
        <translation>解像度（dpi）</translation>
    </message>
</context>
<context>
    <name>redifine::MapGridView</name>
    <message>
        <source>k = %1</source>
        <translation>k = %1</translation>
    </message>
    <message>
        <source>autocorrelation</source>
        <translation>自己相関</translation>
    </message>
    <message>
        <source>lag in pixels</source>
        <translation>ずれ（ピクセル）</translation>
    </message>
    <message>
        <source>Fingerprint: autocorrelation of the noise residuals at lags of +-%1 pixels; columns: iteration</source>
        <translation>フィンガープリント：±%1 ピクセルのずれでのノイズ残差の自己相関、列：反復</translation>
    </message>
    <message>
        <source>log10 power</source>
        <translation>log10 パワー</translation>
    </message>
    <message>
        <source>cycles per pixel</source>
        <translation>サイクル／ピクセル</translation>
    </message>
    <message>
        <source>2-D power spectrum of the images, zero frequency in the centre; columns: iteration</source>
        <translation>画像の 2 次元パワースペクトル（中心がゼロ周波数）、列：反復</translation>
    </message>
    <message>
        <source>%1, seed %2</source>
        <translation>%1、シード %2</translation>
    </message>
</context>
<context>
    <name>redifine::MetricsView</name>
    <message>
        <source>Frechet distance to D_0</source>
        <translation>D_0 とのフレシェ距離</translation>
    </message>
    <message>
        <source>FD-infinity (small-sample bias removed)</source>
        <translation>FD-∞（小標本バイアスを除去）</translation>
    </message>
    <message>
        <source>CLIP score</source>
        <translation>CLIP スコア</translation>
    </message>
    <message>
        <source>SFD (paired by prompt)</source>
        <translation>SFD（プロンプトごとに対応）</translation>
    </message>
    <message>
        <source>KID</source>
        <translation>KID</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>適合率</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>再現率</translation>
    </message>
    <message>
        <source>Density</source>
        <translation>密度</translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation>カバレッジ</translation>
    </message>
    <message>
        <source>Vendi score</source>
        <translation>Vendi スコア</translation>
    </message>
    <message>
        <source>Colourfulness</source>
        <translation>色彩度</translation>
    </message>
    <message>
        <source>Saturation</source>
        <translation>彩度</translation>
    </message>
    <message>
        <source>Clipped pixels</source>
        <translation>クリップされた画素</translation>
    </message>
    <message>
        <source>Sharpness (Laplacian variance)</source>
        <translation>鮮鋭度（ラプラシアン分散）</translation>
    </message>
    <message>
        <source>High-frequency energy</source>
        <translation>高周波エネルギー</translation>
    </message>
    <message>
        <source>Latent standard deviation</source>
        <translation>潜在変数の標準偏差</translation>
    </message>
    <message>
        <source>Final finetune loss</source>
        <translation>ファインチューニング最終損失</translation>
    </message>
    <message>
        <source>Iteration</source>
        <translation>反復</translation>
    </message>
</context>
<context>
    <name>redifine::PlotView</name>
    <message>
        <source>%1 iteration %2</source>
        <translation>%1 反復 %2</translation>
    </message>
</context>
<context>
    <name>redifine::ReusabilityView</name>
    <message>
        <source>%1 at iteration 1 (first-iteration fidelity)</source>
        <translation>反復 1 の %1（初回反復の忠実度）</translation>
    </message>
    <message>
        <source>%1: iteration K minus iteration 1 (reusability)</source>
        <translation>%1：反復 K − 反復 1（再利用性）</translation>
    </message>
    <message>
        <source>%1 (K = %2, n = %3)</source>
        <translation>%1（K = %2、n = %3）</translation>
    </message>
</context>
<context>
    <name>redifine::RunListModel</name>
    <message>
        <source>Chain</source>
        <translation>チェーン</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>説明</translation>
    </message>
    <message>
        <source>not a run: %1</source>
        <translation>実行ではありません: %1</translation>
    </message>
    <message>
        <source>damaged: %1</source>
        <translation>破損: %1</translation>
    </message>
    <message>
        <source>complete</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>%1/%2 iterations</source>
        <translation>%1/%2 反復</translation>
    </message>
</context>
<context>
    <name>redifine::RunPlots</name>
    <message>
        <source>Metrics</source>
        <translation>指標</translation>
    </message>
    <message>
        <source>Reusability</source>
        <translation>再利用性</translation>
    </message>
    <message>
        <source>Latent histograms</source>
        <translation>潜在変数のヒストグラム</translation>
    </message>
    <message>
        <source>Diff-norm</source>
        <translation>Diff ノルム</translation>
    </message>
    <message>
        <source>Spectra</source>
        <translation>スペクトル</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>フィンガープリント</translation>
    </message>
    <message>
        <source>t-SNE</source>
        <translation>t-SNE</translation>
    </message>
    <message>
        <source>Training loss</source>
        <translation>学習損失</translation>
    </message>
    <message>
        <source>2-D spectrum</source>
        <translation>2 次元スペクトル</translation>
    </message>
    <message>
        <source>Show each seed</source>
        <translation>各シードを表示</translation>
    </message>
    <message>
        <source>Runs that differ only in their seed are one condition, drawn as its mean with a 95% band; check to draw every run on its own.</source>
        <translation>シードだけが異なる実行は 1 つの条件として、平均と 95% 区間の帯で表示します。チェックすると各実行を個別に表示します。</translation>
    </message>
</context>
<context>
    <name>redifine::SpectraView</name>
    <message>
        <source>Images: radial</source>
        <translation>画像：動径</translation>
    </message>
    <message>
        <source>Images: angular</source>
        <translation>画像：角度</translation>
    </message>
    <message>
        <source>Latents: radial</source>
        <translation>潜在変数：動径</translation>
    </message>
    <message>
        <source>Latents: angular</source>
        <translation>潜在変数：角度</translation>
    </message>
    <message>
        <source>Spatial frequency (cycles per pixel)</source>
        <translation>空間周波数（サイクル/ピクセル）</translation>
    </message>
    <message>
        <source>Angle (radians)</source>
        <translation>角度（ラジアン）</translation>
    </message>
    <message>
        <source>Power (mean over images)</source>
        <translation>パワー（画像平均）</translation>
    </message>
    <message>
        <source>%1 iteration %2</source>
        <translation>%1 反復 %2</translation>
    </message>
</context>
<context>
    <name>redifine::TsneView</name>
    <message>
        <source>Compute t-SNE of the image features</source>
        <translation>画像特徴の t-SNE を計算</translation>
    </message>
    <message>
        <source>Computing t-SNE…</source>
        <translation>t-SNE を計算中…</translation>
    </message>
    <message>
        <source>%1 iteration %2</source>
        <translation>%1 反復 %2</translation>
    </message>
</context>
<context>
    <name>redifine::WelcomePanel</name>
    <message>
        <source>Run the quick demo chain</source>
        <translation>クイックデモチェーンを実行</translation>
    </message>
    <message>
        <source>Open a runs folder…</source>
        <translation>実行フォルダーを開く…</translation>
    </message>
    <message>
        <source>Set up a chain…</source>
        <translation>チェーンを設定…</translation>
    </message>
    <message>
        <source>Use the default folder</source>
        <translation>既定のフォルダーを使用</translation>
    </message>
    <message>
        <source>The runs folder is missing</source>
        <translation>実行フォルダーが見つかりません</translation>
    </message>
    <message>
        <source>%1 does not exist: it was moved or deleted, or it is on a drive that is not mounted. Use the default folder, or open another one.</source>
        <translation>%1 は存在しません。移動または削除されたか、マウントされていないドライブ上にあります。既定のフォルダーを使用するか、別のフォルダーを開いてください。</translation>
    </message>
    <message>
        <source>Welcome to ReDiFine Studio</source>
        <translation>ReDiFine Studio へようこそ</translation>
    </message>
    <message>
        <source>No runs in %1 yet. A Chain of Diffusion finetunes a model on the images it made, again and again, and the images degrade. Start with the quick demo chain (16 emoji, 3 iterations, a few minutes on a laptop CPU) and watch it as its iterations complete, open a folder of runs, or set up a chain of your own.</source>
        <translation>%1 にはまだ実行がありません。Chain of Diffusion は、モデルが自ら生成した画像でモデルを何度も繰り返しファインチューニングし、画像は劣化していきます。まずクイックデモチェーン（絵文字 16 個、3 イテレーション、ノート PC の CPU で数分）を実行してイテレーションが完了していく様子を見るか、実行フォルダーを開くか、独自のチェーンを設定してください。</translation>
    </message>
</context>
</TS>
