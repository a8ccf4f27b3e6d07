<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>QObject</name>
    <message>
        <source>change the CFG schedule</source>
        <translation>更改 CFG 调度</translation>
    </message>
</context>
<context>
    <name>redifine::CfgScheduleEditor</name>
    <message>
        <source>Constant</source>
        <translation>常数</translation>
    </message>
    <message>
        <source>Exponential s0 exp(-alpha t/T)</source>
        <translation>指数 s0 exp(-alpha t/T)</translation>
    </message>
    <message>
        <source>Linear</source>
        <translation>线性</translation>
    </message>
    <message>
        <source>Cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <source>Control points</source>
        <translation>控制点</translation>
    </message>
    <message>
        <source>Edit points</source>
        <translation>编辑控制点</translation>
    </message>
    <message>
        <source>Turn the current shape into control points you can drag</source>
        <translation>将当前形状转换为可拖动的控制点</translation>
    </message>
    <message>
        <source>Pin</source>
        <translation>固定</translation>
    </message>
    <message>
        <source>Keep the current schedule overlaid to compare the next ones with it</source>
        <translation>保留当前调度曲线，以便与后续曲线比较</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Denoising step t</source>
        <translation>去噪步 t</translation>
    </message>
    <message>
        <source>Guidance scale s_t</source>
        <translation>引导强度 s_t</translation>
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
        <translation>起点 = </translation>
    </message>
    <message>
        <source>end = </source>
        <translation>终点 = </translation>
    </message>
    <message>
        <source>control points (drag)</source>
        <translation>控制点（拖动）</translation>
    </message>
</context>
<context>
    <name>redifine::ChainQueue</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Chain</source>
        <translation>链</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>complete</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>cancelled; resume continues it</source>
        <translation>已取消；“继续”可接着运行</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>正在启动</translation>
    </message>
    <message>
        <source>iteration %1/%2, %3</source>
        <translation>第 %1/%2 轮，%3</translation>
    </message>
    <message>
        <source>, ETA %1 s</source>
        <translation>，预计还需 %1 秒</translation>
    </message>
    <message>
        <source>cancelled before it started</source>
        <translation>启动前已取消</translation>
    </message>
    <message>
        <source>waiting (resumes)</source>
        <translation>等待中（将继续）</translation>
    </message>
</context>
<context>
    <name>redifine::ChainSetupPanel</name>
    <message>
        <source>Chain</source>
        <translation>链</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Iterations K</source>
        <translation>迭代次数 K</translation>
    </message>
    <message>
        <source>Images per prompt</source>
        <translation>每个提示的图像数</translation>
    </message>
    <message>
        <source>Real-image mixing</source>
        <translation>真实图像混合比例</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Data D_0</source>
        <translation>数据 D_0</translation>
    </message>
    <message>
        <source>Emoji group</source>
        <translation>表情符号组</translation>
    </message>
    <message>
        <source>or an image folder (kohya or imagefolder layout)</source>
        <translation>或图像文件夹（kohya 或 imagefolder 结构）</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Finetune (LoRA)</source>
        <translation>微调（LoRA）</translation>
    </message>
    <message>
        <source>Condition-drop probability p: ReDiFine uses 0.2</source>
        <translation>条件丢弃概率 p：ReDiFine 使用 0.2</translation>
    </message>
    <message>
        <source>Condition drop p</source>
        <translation>条件丢弃 p</translation>
    </message>
    <message>
        <source>epochs decide</source>
        <translation>由轮数决定</translation>
    </message>
    <message>
        <source>Steps per iteration</source>
        <translation>每轮步数</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>训练轮数</translation>
    </message>
    <message>
        <source>LoRA rank</source>
        <translation>LoRA 秩</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>kohya&apos;s conv_dim: LoCon adapters on the ResNet and sampler convolutions as well</source>
        <translation>kohya 的 conv_dim：在 ResNet 块和上下采样层的卷积上也加 LoCon 适配器</translation>
    </message>
    <message>
        <source>LoCon rank</source>
        <translation>LoCon 秩</translation>
    </message>
    <message>
        <source>Sampler and CFG</source>
        <translation>采样器与 CFG</translation>
    </message>
    <message>
        <source>Steps T</source>
        <translation>步数 T</translation>
    </message>
    <message>
        <source>Sampler</source>
        <translation>采样器</translation>
    </message>
    <message>
        <source>Queue chain</source>
        <translation>将链加入队列</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>Base model M_0</source>
        <translation>基础模型 M_0</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>模型系列</translation>
    </message>
    <message>
        <source>tiny: the shipped model; sd15: your .safetensors file or diffusers folder</source>
        <translation>tiny：随附的模型；sd15：您的 .safetensors 文件或 diffusers 文件夹</translation>
    </message>
    <message>
        <source>Checkpoint</source>
        <translation>检查点</translation>
    </message>
    <message>
        <source>Image size of sd15 chains (SD1.5: 512); a tiny model file carries its own</source>
        <translation>sd15 链的图像尺寸（SD1.5：512）；tiny 模型文件自带尺寸</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>分辨率</translation>
    </message>
    <message>
        <source>Checkpoint file…</source>
        <translation>检查点文件…</translation>
    </message>
    <message>
        <source>Stable Diffusion 1.5 checkpoint</source>
        <translation>Stable Diffusion 1.5 检查点</translation>
    </message>
    <message>
        <source>Safetensors (*.safetensors)</source>
        <translation>Safetensors (*.safetensors)</translation>
    </message>
    <message>
        <source>Diffusers folder…</source>
        <translation>diffusers 文件夹…</translation>
    </message>
    <message>
        <source>Stable Diffusion 1.5 diffusers folder</source>
        <translation>Stable Diffusion 1.5 diffusers 文件夹</translation>
    </message>
    <message>
        <source>Image folder…</source>
        <translation>图像文件夹…</translation>
    </message>
    <message>
        <source>Image folder for D_0</source>
        <translation>D_0 的图像文件夹</translation>
    </message>
    <message>
        <source>bf16 trains and samples faster on this CPU (AVX-512 BF16); fp32 is the reference precision</source>
        <translation>在此 CPU 上 bf16 训练和采样更快（AVX-512 BF16）；fp32 是参考精度</translation>
    </message>
    <message>
        <source>This CPU has no AVX-512 BF16: bf16 would be emulated and slower than fp32</source>
        <translation>此 CPU 没有 AVX-512 BF16：bf16 将被模拟，比 fp32 慢</translation>
    </message>
    <message>
        <source>CPU matrix products</source>
        <translation>CPU 矩阵乘法</translation>
    </message>
    <message>
        <source>Pictures of each emoji: 1 is the plain emoji on white; more adds it moved, smaller and on light backgrounds</source>
        <translation>每个表情的图片数：1 为白底的原始表情；更多则加入移位、缩小并置于浅色背景上的版本</translation>
    </message>
    <message>
        <source>Pictures per emoji</source>
        <translation>每个表情的图片数</translation>
    </message>
</context>
<context>
    <name>redifine::DiffNormView</name>
    <message>
        <source>Denoising step</source>
        <translation>去噪步</translation>
    </message>
    <message>
        <source>|eps_c - eps_u| (mean over seeds, band: 95% interval)</source>
        <translation>|eps_c - eps_u|（种子均值，带：95% 区间）</translation>
    </message>
    <message>
        <source>%1 iteration %2</source>
        <translation>%1 第 %2 轮</translation>
    </message>
    <message>
        <source>|eps_c - eps_u| (mean over images, band: +-1 sd)</source>
        <translation>|eps_c - eps_u|（图像均值，带：±1 标准差）</translation>
    </message>
</context>
<context>
    <name>redifine::HistogramView</name>
    <message>
        <source>One chain over iterations</source>
        <translation>单条链随迭代的变化</translation>
    </message>
    <message>
        <source>All chains at the selected iteration</source>
        <translation>所选迭代的全部链</translation>
    </message>
    <message>
        <source>Latent value</source>
        <translation>潜变量值</translation>
    </message>
    <message>
        <source>Density</source>
        <translation>密度</translation>
    </message>
    <message>
        <source>%1 iteration %2</source>
        <translation>%1 第 %2 轮</translation>
    </message>
</context>
<context>
    <name>redifine::ImageGridModel</name>
    <message>
        <source>D_0 (original)</source>
        <translation>D_0（原始）</translation>
    </message>
    <message>
        <source>iteration %1</source>
        <translation>第 %1 轮</translation>
    </message>
</context>
<context>
    <name>redifine::ImageGridView</name>
    <message>
        <source>Thumbnail size (Ctrl+wheel over the grid)</source>
        <translation>缩略图大小（在网格上按 Ctrl+滚轮）</translation>
    </message>
    <message>
        <source>Filter prompts…</source>
        <translation>筛选提示…</translation>
    </message>
    <message>
        <source>The prompt shown for every run when comparing</source>
        <translation>比较时每个运行显示的提示</translation>
    </message>
    <message>
        <source>Zoom</source>
        <translation>缩放</translation>
    </message>
    <message>
        <source>Iteration %1: %2</source>
        <translation>第 %1 轮：%2</translation>
    </message>
</context>
<context>
    <name>redifine::LossView</name>
    <message>
        <source>Finetune step</source>
        <translation>微调步</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>%1 iteration %2</source>
        <translation>%1 第 %2 轮</translation>
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
        <translation>LibTorch %1，运行于 %2，%3 个线程</translation>
    </message>
    <message>
        <source>LibTorch %1 on %2, %3 threads; OpenBLAS runs %4 kernels, this CPU supports %5 (set OPENBLAS_CORETYPE=%5)</source>
        <translation>LibTorch %1，运行于 %2，%3 个线程；OpenBLAS 使用 %4 内核，此 CPU 支持 %5（设置 OPENBLAS_CORETYPE=%5）</translation>
    </message>
    <message>
        <source>Select a run to browse it; select several (Ctrl or Shift) to compare them side by side.</source>
        <translation>选择一个运行以浏览；选择多个（Ctrl 或 Shift）可并排比较。</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Chain setup</source>
        <translation>链设置</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Plots</source>
        <translation>图表</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open Runs Folder…</source>
        <translation>打开运行文件夹(&amp;O)…</translation>
    </message>
    <message>
        <source>Recent Runs Folders</source>
        <translation>最近的运行文件夹</translation>
    </message>
    <message>
        <source>Export &amp;Plot…</source>
        <translation>导出图表(&amp;P)…</translation>
    </message>
    <message>
        <source>Export plot</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <source>Export &amp;Grid…</source>
        <translation>导出网格(&amp;G)…</translation>
    </message>
    <message>
        <source>Export grid</source>
        <translation>导出网格</translation>
    </message>
    <message>
        <source>PNG with labels (*.png);;Contact sheet PDF (*.pdf)</source>
        <translation>带标签的 PNG (*.png);;联系表 PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Export &amp;Report…</source>
        <translation>导出报告(&amp;R)…</translation>
    </message>
    <message>
        <source>Folder for report.pdf, report.html and metrics.csv</source>
        <translation>用于 report.pdf、report.html 和 metrics.csv 的文件夹</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>导出报告</translation>
    </message>
    <message>
        <source>Report written to %1</source>
        <translation>报告已写入 %1</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Compare the &amp;CFG Sweep (Figure 2b)</source>
        <translation>比较 &amp;CFG 扫描（图 2b）</translation>
    </message>
    <message>
        <source>Larger Thumbnails</source>
        <translation>放大缩略图</translation>
    </message>
    <message>
        <source>Smaller Thumbnails</source>
        <translation>缩小缩略图</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About ReDiFine Studio</source>
        <translation>关于 ReDiFine Studio(&amp;A)</translation>
    </message>
    <message>
        <source>About ReDiFine Studio</source>
        <translation>关于 ReDiFine Studio</translation>
    </message>
    <message>
        <source>&lt;b&gt;ReDiFine Studio&lt;/b&gt;&lt;br&gt;Run and analyse Chains of Diffusion.&lt;br&gt;Qt %1&lt;pre&gt;%2&lt;/pre&gt;</source>
        <translation>&lt;b&gt;ReDiFine Studio&lt;/b&gt;&lt;br&gt;运行并分析扩散链。&lt;br&gt;Qt %1&lt;pre&gt;%2&lt;/pre&gt;</translation>
    </message>
    <message>
        <source>Runs: %1</source>
        <translation>运行：%1</translation>
    </message>
    <message>
        <source>Runs: %1 (missing)</source>
        <translation>运行：%1（不存在）</translation>
    </message>
    <message>
        <source>Queued %1 into %2</source>
        <translation>已将 %1 加入队列，输出到 %2</translation>
    </message>
    <message>
        <source>Runs folder</source>
        <translation>运行文件夹</translation>
    </message>
    <message>
        <source>No constant-CFG runs in this folder to compare</source>
        <translation>此文件夹中没有可比较的恒定 CFG 运行</translation>
    </message>
    <message>
        <source>%1: %2, %3</source>
        <translation>%1：%2，%3</translation>
    </message>
    <message>
        <source>Comparing %1 runs</source>
        <translation>正在比较 %1 个运行</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Dataset %1 set as D_0 in the chain setup</source>
        <translation>已将数据集 %1 设为链设置中的 D_0</translation>
    </message>
    <message>
        <source>Vector PDF (*.pdf);;SVG (*.svg);;PNG (*.png)</source>
        <translation>矢量 PDF (*.pdf);;SVG (*.svg);;PNG (*.png)</translation>
    </message>
    <message>
        <source>Resolution (dots per inch)</source>
        <translation>分辨率（每英寸点数）</translation>
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
        <translation>自相关</translation>
    </message>
    <message>
        <source>lag in pixels</source>
        <translation>位移（像素）</translation>
    </message>
    <message>
        <source>Fingerprint: autocorrelation of the noise residuals at lags of +-%1 pixels; columns: iteration</source>
        <translation>指纹：噪声残差在 ±%1 像素位移处的自相关；列：迭代</translation>
    </message>
    <message>
        <source>log10 power</source>
        <translation>log10 功率</translation>
    </message>
    <message>
        <source>cycles per pixel</source>
        <translation>周期/像素</translation>
    </message>
    <message>
        <source>2-D power spectrum of the images, zero frequency in the centre; columns: iteration</source>
        <translation>图像的二维功率谱，零频率位于中心；列：迭代</translation>
    </message>
    <message>
        <source>%1, seed %2</source>
        <translation>%1，种子 %2</translation>
    </message>
</context>
<context>
    <name>redifine::MetricsView</name>
    <message>
        <source>Frechet distance to D_0</source>
        <translation>与 D_0 的 Fréchet 距离</translation>
    </message>
    <message>
        <source>FD-infinity (small-sample bias removed)</source>
        <translation>FD-∞（去除小样本偏差）</translation>
    </message>
    <message>
        <source>CLIP score</source>
        <translation>CLIP 分数</translation>
    </message>
    <message>
        <source>SFD (paired by prompt)</source>
        <translation>SFD（按提示配对）</translation>
    </message>
    <message>
        <source>KID</source>
        <translation>KID</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>精确率</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>召回率</translation>
    </message>
    <message>
        <source>Density</source>
        <translation>密度</translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation>覆盖率</translation>
    </message>
    <message>
        <source>Vendi score</source>
        <translation>Vendi 分数</translation>
    </message>
    <message>
        <source>Colourfulness</source>
        <translation>色彩丰富度</translation>
    </message>
    <message>
        <source>Saturation</source>
        <translation>饱和度</translation>
    </message>
    <message>
        <source>Clipped pixels</source>
        <translation>截断像素</translation>
    </message>
    <message>
        <source>Sharpness (Laplacian variance)</source>
        <translation>清晰度（拉普拉斯方差）</translation>
    </message>
    <message>
        <source>High-frequency energy</source>
        <translation>高频能量</translation>
    </message>
    <message>
        <source>Latent standard deviation</source>
        <translation>潜变量标准差</translation>
    </message>
    <message>
        <source>Final finetune loss</source>
        <translation>微调最终损失</translation>
    </message>
    <message>
        <source>Iteration</source>
        <translation>迭代</translation>
    </message>
</context>
<context>
    <name>redifine::PlotView</name>
    <message>
        <source>%1 iteration %2</source>
        <translation>%1 第 %2 轮</translation>
    </message>
</context>
<context>
    <name>redifine::ReusabilityView</name>
    <message>
        <source>%1 at iteration 1 (first-iteration fidelity)</source>
        <translation>第 1 轮的 %1（首轮保真度）</translation>
    </message>
    <message>
        <source>%1: iteration K minus iteration 1 (reusability)</source>
        <translation>%1：第 K 轮减第 1 轮（可重用性）</translation>
    </message>
    <message>
        <source>%1 (K = %2, n = %3)</source>
        <translation>%1（K = %2，n = %3）</translation>
    </message>
</context>
<context>
    <name>redifine::RunListModel</name>
    <message>
        <source>Chain</source>
        <translation>链</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>not a run: %1</source>
        <translation>不是运行：%1</translation>
    </message>
    <message>
        <source>damaged: %1</source>
        <translation>已损坏：%1</translation>
    </message>
    <message>
        <source>complete</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>%1/%2 iterations</source>
        <translation>%1/%2 轮</translation>
    </message>
</context>
<context>
    <name>redifine::RunPlots</name>
    <message>
        <source>Metrics</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Reusability</source>
        <translation>可重用性</translation>
    </message>
    <message>
        <source>Latent histograms</source>
        <translation>潜变量直方图</translation>
    </message>
    <message>
        <source>Diff-norm</source>
        <translation>差异范数</translation>
    </message>
    <message>
        <source>Spectra</source>
        <translation>频谱</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>指纹</translation>
    </message>
    <message>
        <source>t-SNE</source>
        <translation>t-SNE</translation>
    </message>
    <message>
        <source>Training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>2-D spectrum</source>
        <translation>二维频谱</translation>
    </message>
    <message>
        <source>Show each seed</source>
        <translation>显示每个种子</translation>
    </message>
    <message>
        <source>Runs that differ only in their seed are one condition, drawn as its mean with a 95% band; check to draw every run on its own.</source>
        <translation>仅种子不同的运行视为同一条件，以均值和 95% 区间带显示；勾选后单独显示每次运行。</translation>
    </message>
</context>
<context>
    <name>redifine::SpectraView</name>
    <message>
        <source>Images: radial</source>
        <translation>图像：径向</translation>
    </message>
    <message>
        <source>Images: angular</source>
        <translation>图像：角向</translation>
    </message>
    <message>
        <source>Latents: radial</source>
        <translation>潜变量：径向</translation>
    </message>
    <message>
        <source>Latents: angular</source>
        <translation>潜变量：角向</translation>
    </message>
    <message>
        <source>Spatial frequency (cycles per pixel)</source>
        <translation>空间频率（周期/像素）</translation>
    </message>
    <message>
        <source>Angle (radians)</source>
        <translation>角度（弧度）</translation>
    </message>
    <message>
        <source>Power (mean over images)</source>
        <translation>功率（图像均值）</translation>
    </message>
    <message>
        <source>%1 iteration %2</source>
        <translation>%1 第 %2 轮</translation>
    </message>
</context>
<context>
    <name>redifine::TsneView</name>
    <message>
        <source>Compute t-SNE of the image features</source>
        <translation>计算图像特征的 t-SNE</translation>
    </message>
    <message>
        <source>Computing t-SNE…</source>
        <translation>正在计算 t-SNE…</translation>
    </message>
    <message>
        <source>%1 iteration %2</source>
        <translation>%1 第 %2 轮</translation>
    </message>
</context>
<context>
    <name>redifine::WelcomePanel</name>
    <message>
        <source>Run the quick demo chain</source>
        <translation>运行快速演示链</translation>
    </message>
    <message>
        <source>Open a runs folder…</source>
        <translation>打开运行文件夹…</translation>
    </message>
    <message>
        <source>Set up a chain…</source>
        <translation>设置一条链…</translation>
    </message>
    <message>
        <source>Use the default folder</source>
        <translation>使用默认文件夹</translation>
    </message>
    <message>
        <source>The runs folder is missing</source>
        <translation>运行文件夹不存在</translation>
    </message>
    <message>
        <source>%1 does not exist: it was moved or deleted, or it is on a drive that is not mounted. Use the default folder, or open another one.</source>
        <translation>%1 不存在：它已被移动或删除，或位于未挂载的驱动器上。请使用默认文件夹，或打开另一个文件夹。</translation>
    </message>
    <message>
        <source>Welcome to ReDiFine Studio</source>
        <translation>欢迎使用 ReDiFine Studio</translation>
    </message>
    <message>
        <source>No runs in %1 yet. A Chain of Diffusion finetunes a model on the images it made, again and again, and the images degrade. Start with the quick demo chain (16 emoji, 3 iterations, a few minutes on a laptop CPU) and watch it as its iterations complete, open a folder of runs, or set up a chain of your own.</source>
        <translation>%1 中还没有运行。扩散链（Chain of Diffusion）会用模型自己生成的图像一次又一次地微调模型，图像随之退化。可以先运行快速演示链（16 个表情符号、3 次迭代，在笔记本 CPU 上只需几分钟），看着它的迭代逐一完成；也可以打开一个运行文件夹，或设置你自己的链。</translation>
    </message>
</context>
</TS>
