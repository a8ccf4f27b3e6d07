<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>QObject</name>
    <message>
        <source>change the CFG schedule</source>
        <translation>CFG-Verlauf ändern</translation>
    </message>
</context>
<context>
    <name>redifine::CfgScheduleEditor</name>
    <message>
        <source>Constant</source>
        <translation>Konstant</translation>
    </message>
    <message>
        <source>Exponential s0 exp(-alpha t/T)</source>
        <translation>Exponentiell s0 exp(-alpha t/T)</translation>
    </message>
    <message>
        <source>Linear</source>
        <translation>Linear</translation>
    </message>
    <message>
        <source>Cosine</source>
        <translation>Kosinus</translation>
    </message>
    <message>
        <source>Control points</source>
        <translation>Kontrollpunkte</translation>
    </message>
    <message>
        <source>Edit points</source>
        <translation>Punkte bearbeiten</translation>
    </message>
    <message>
        <source>Turn the current shape into control points you can drag</source>
        <translation>Die aktuelle Form in verschiebbare Kontrollpunkte umwandeln</translation>
    </message>
    <message>
        <source>Pin</source>
        <translation>Anheften</translation>
    </message>
    <message>
        <source>Keep the current schedule overlaid to compare the next ones with it</source>
        <translation>Den aktuellen Verlauf zum Vergleich eingeblendet lassen</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <source>Denoising step t</source>
        <translation>Entrauschungsschritt t</translation>
    </message>
    <message>
        <source>Guidance scale s_t</source>
        <translation>Guidance-Stärke s_t</translation>
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
        <translation>Start = </translation>
    </message>
    <message>
        <source>end = </source>
        <translation>Ende = </translation>
    </message>
    <message>
        <source>control points (drag)</source>
        <translation>Kontrollpunkte (ziehen)</translation>
    </message>
</context>
<context>
    <name>redifine::ChainQueue</name>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Chain</source>
        <translation>Kette</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>complete</source>
        <translation>fertig</translation>
    </message>
    <message>
        <source>cancelled; resume continues it</source>
        <translation>abgebrochen; Fortsetzen setzt sie fort</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>wartet</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>startet</translation>
    </message>
    <message>
        <source>iteration %1/%2, %3</source>
        <translation>Iteration %1/%2, %3</translation>
    </message>
    <message>
        <source>, ETA %1 s</source>
        <translation>, noch etwa %1 s</translation>
    </message>
    <message>
        <source>cancelled before it started</source>
        <translation>vor dem Start abgebrochen</translation>
    </message>
    <message>
        <source>waiting (resumes)</source>
        <translation>wartet (wird fortgesetzt)</translation>
    </message>
</context>
<context>
    <name>redifine::ChainSetupPanel</name>
    <message>
        <source>Chain</source>
        <translation>Kette</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Iterations K</source>
        <translation>Iterationen K</translation>
    </message>
    <message>
        <source>Images per prompt</source>
        <translation>Bilder pro Prompt</translation>
    </message>
    <message>
        <source>Real-image mixing</source>
        <translation>Anteil echter Bilder</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Seed</translation>
    </message>
    <message>
        <source>Data D_0</source>
        <translation>Daten D_0</translation>
    </message>
    <message>
        <source>Emoji group</source>
        <translation>Emoji-Gruppe</translation>
    </message>
    <message>
        <source>or an image folder (kohya or imagefolder layout)</source>
        <translation>oder ein Bildordner (kohya- oder imagefolder-Aufbau)</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>Bilder</translation>
    </message>
    <message>
        <source>Finetune (LoRA)</source>
        <translation>Feinabstimmung (LoRA)</translation>
    </message>
    <message>
        <source>Condition-drop probability p: ReDiFine uses 0.2</source>
        <translation>Wahrscheinlichkeit p, die Bedingung wegzulassen: ReDiFine nutzt 0,2</translation>
    </message>
    <message>
        <source>Condition drop p</source>
        <translation>Bedingungs-Drop p</translation>
    </message>
    <message>
        <source>epochs decide</source>
        <translation>nach Epochen</translation>
    </message>
    <message>
        <source>Steps per iteration</source>
        <translation>Schritte pro Iteration</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>Epochen</translation>
    </message>
    <message>
        <source>LoRA rank</source>
        <translation>LoRA-Rang</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>kohya&apos;s conv_dim: LoCon adapters on the ResNet and sampler convolutions as well</source>
        <translation>kohyas conv_dim: LoCon-Adapter auch auf den Faltungen der ResNet-Blöcke und der Abtastschichten</translation>
    </message>
    <message>
        <source>LoCon rank</source>
        <translation>LoCon-Rang</translation>
    </message>
    <message>
        <source>Sampler and CFG</source>
        <translation>Sampler und CFG</translation>
    </message>
    <message>
        <source>Steps T</source>
        <translation>Schritte T</translation>
    </message>
    <message>
        <source>Sampler</source>
        <translation>Sampler</translation>
    </message>
    <message>
        <source>Queue chain</source>
        <translation>Kette einreihen</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>Vorlage</translation>
    </message>
    <message>
        <source>Base model M_0</source>
        <translation>Basismodell M_0</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>Familie</translation>
    </message>
    <message>
        <source>tiny: the shipped model; sd15: your .safetensors file or diffusers folder</source>
        <translation>tiny: das mitgelieferte Modell; sd15: Ihre .safetensors-Datei oder Ihr diffusers-Ordner</translation>
    </message>
    <message>
        <source>Checkpoint</source>
        <translation>Checkpoint</translation>
    </message>
    <message>
        <source>Image size of sd15 chains (SD1.5: 512); a tiny model file carries its own</source>
        <translation>Bildgröße von sd15-Ketten (SD1.5: 512); eine tiny-Modelldatei bringt ihre eigene mit</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Auflösung</translation>
    </message>
    <message>
        <source>Checkpoint file…</source>
        <translation>Checkpoint-Datei …</translation>
    </message>
    <message>
        <source>Stable Diffusion 1.5 checkpoint</source>
        <translation>Stable-Diffusion-1.5-Checkpoint</translation>
    </message>
    <message>
        <source>Safetensors (*.safetensors)</source>
        <translation>Safetensors (*.safetensors)</translation>
    </message>
    <message>
        <source>Diffusers folder…</source>
        <translation>diffusers-Ordner …</translation>
    </message>
    <message>
        <source>Stable Diffusion 1.5 diffusers folder</source>
        <translation>Stable-Diffusion-1.5-diffusers-Ordner</translation>
    </message>
    <message>
        <source>Image folder…</source>
        <translation>Bildordner …</translation>
    </message>
    <message>
        <source>Image folder for D_0</source>
        <translation>Bildordner für D_0</translation>
    </message>
    <message>
        <source>bf16 trains and samples faster on this CPU (AVX-512 BF16); fp32 is the reference precision</source>
        <translation>bf16 trainiert und erzeugt auf dieser CPU schneller (AVX-512 BF16); fp32 ist die Referenzgenauigkeit</translation>
    </message>
    <message>
        <source>This CPU has no AVX-512 BF16: bf16 would be emulated and slower than fp32</source>
        <translation>Diese CPU hat kein AVX-512 BF16: bf16 würde emuliert und wäre langsamer als fp32</translation>
    </message>
    <message>
        <source>CPU matrix products</source>
        <translation>Matrixprodukte auf der CPU</translation>
    </message>
    <message>
        <source>Pictures of each emoji: 1 is the plain emoji on white; more adds it moved, smaller and on light backgrounds</source>
        <translation>Bilder je Emoji: 1 ist das schlichte Emoji auf Weiß; mehr fügt es verschoben, kleiner und auf hellen Hintergründen hinzu</translation>
    </message>
    <message>
        <source>Pictures per emoji</source>
        <translation>Bilder je Emoji</translation>
    </message>
</context>
<context>
    <name>redifine::DiffNormView</name>
    <message>
        <source>Denoising step</source>
        <translation>Entrauschungsschritt</translation>
    </message>
    <message>
        <source>|eps_c - eps_u| (mean over seeds, band: 95% interval)</source>
        <translation>|eps_c - eps_u| (Mittel über Seeds, Band: 95-%-Intervall)</translation>
    </message>
    <message>
        <source>%1 iteration %2</source>
        <translation>%1 Iteration %2</translation>
    </message>
    <message>
        <source>|eps_c - eps_u| (mean over images, band: +-1 sd)</source>
        <translation>|eps_c - eps_u| (Mittel über Bilder, Band: ±1 Standardabw.)</translation>
    </message>
</context>
<context>
    <name>redifine::HistogramView</name>
    <message>
        <source>One chain over iterations</source>
        <translation>Eine Kette über die Iterationen</translation>
    </message>
    <message>
        <source>All chains at the selected iteration</source>
        <translation>Alle Ketten in der gewählten Iteration</translation>
    </message>
    <message>
        <source>Latent value</source>
        <translation>Latent-Wert</translation>
    </message>
    <message>
        <source>Density</source>
        <translation>Dichte</translation>
    </message>
    <message>
        <source>%1 iteration %2</source>
        <translation>%1 Iteration %2</translation>
    </message>
</context>
<context>
    <name>redifine::ImageGridModel</name>
    <message>
        <source>D_0 (original)</source>
        <translation>D_0 (Original)</translation>
    </message>
    <message>
        <source>iteration %1</source>
        <translation>Iteration %1</translation>
    </message>
</context>
<context>
    <name>redifine::ImageGridView</name>
    <message>
        <source>Thumbnail size (Ctrl+wheel over the grid)</source>
        <translation>Vorschaugröße (Strg+Mausrad über dem Raster)</translation>
    </message>
    <message>
        <source>Filter prompts…</source>
        <translation>Prompts filtern…</translation>
    </message>
    <message>
        <source>The prompt shown for every run when comparing</source>
        <translation>Der Prompt, der beim Vergleichen für jeden Lauf gezeigt wird</translation>
    </message>
    <message>
        <source>Zoom</source>
        <translation>Zoom</translation>
    </message>
    <message>
        <source>Iteration %1: %2</source>
        <translation>Iteration %1: %2</translation>
    </message>
</context>
<context>
    <name>redifine::LossView</name>
    <message>
        <source>Finetune step</source>
        <translation>Feinabstimmungsschritt</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <source>%1 iteration %2</source>
        <translation>%1 Iteration %2</translation>
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
        <translation>LibTorch %1 auf %2, %3 Threads</translation>
    </message>
    <message>
        <source>LibTorch %1 on %2, %3 threads; OpenBLAS runs %4 kernels, this CPU supports %5 (set OPENBLAS_CORETYPE=%5)</source>
        <translation>LibTorch %1 auf %2, %3 Threads; OpenBLAS nutzt %4-Kernel, diese CPU kann %5 (OPENBLAS_CORETYPE=%5 setzen)</translation>
    </message>
    <message>
        <source>Select a run to browse it; select several (Ctrl or Shift) to compare them side by side.</source>
        <translation>Einen Lauf auswählen, um ihn anzusehen; mehrere (Strg oder Umschalt) nebeneinander vergleichen.</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <source>Chain setup</source>
        <translation>Ketten-Einstellungen</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Warteschlange</translation>
    </message>
    <message>
        <source>Plots</source>
        <translation>Diagramme</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Open Runs Folder…</source>
        <translation>Lauf-Ordner ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Recent Runs Folders</source>
        <translation>Zuletzt geöffnete Lauf-Ordner</translation>
    </message>
    <message>
        <source>Export &amp;Plot…</source>
        <translation>&amp;Diagramm exportieren…</translation>
    </message>
    <message>
        <source>Export plot</source>
        <translation>Diagramm exportieren</translation>
    </message>
    <message>
        <source>Export &amp;Grid…</source>
        <translation>&amp;Raster exportieren…</translation>
    </message>
    <message>
        <source>Export grid</source>
        <translation>Raster exportieren</translation>
    </message>
    <message>
        <source>PNG with labels (*.png);;Contact sheet PDF (*.pdf)</source>
        <translation>PNG mit Beschriftung (*.png);;Kontaktbogen-PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Export &amp;Report…</source>
        <translation>&amp;Bericht exportieren…</translation>
    </message>
    <message>
        <source>Folder for report.pdf, report.html and metrics.csv</source>
        <translation>Ordner für report.pdf, report.html und metrics.csv</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>Bericht exportieren</translation>
    </message>
    <message>
        <source>Report written to %1</source>
        <translation>Bericht gespeichert in %1</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>Compare the &amp;CFG Sweep (Figure 2b)</source>
        <translation>&amp;CFG-Reihe vergleichen (Abbildung 2b)</translation>
    </message>
    <message>
        <source>Larger Thumbnails</source>
        <translation>Größere Vorschaubilder</translation>
    </message>
    <message>
        <source>Smaller Thumbnails</source>
        <translation>Kleinere Vorschaubilder</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About ReDiFine Studio</source>
        <translation>Ü&amp;ber ReDiFine Studio</translation>
    </message>
    <message>
        <source>About ReDiFine Studio</source>
        <translation>Über ReDiFine Studio</translation>
    </message>
    <message>
        <source>&lt;b&gt;ReDiFine Studio&lt;/b&gt;&lt;br&gt;Run and analyse Chains of Diffusion.&lt;br&gt;Qt %1&lt;pre&gt;%2&lt;/pre&gt;</source>
        <translation>&lt;b&gt;ReDiFine Studio&lt;/b&gt;&lt;br&gt;Diffusionsketten ausführen und analysieren.&lt;br&gt;Qt %1&lt;pre&gt;%2&lt;/pre&gt;</translation>
    </message>
    <message>
        <source>Runs: %1</source>
        <translation>Läufe: %1</translation>
    </message>
    <message>
        <source>Runs: %1 (missing)</source>
        <translation>Läufe: %1 (fehlt)</translation>
    </message>
    <message>
        <source>Queued %1 into %2</source>
        <translation>%1 eingereiht nach %2</translation>
    </message>
    <message>
        <source>Runs folder</source>
        <translation>Lauf-Ordner</translation>
    </message>
    <message>
        <source>No constant-CFG runs in this folder to compare</source>
        <translation>Keine Läufe mit konstantem CFG in diesem Ordner</translation>
    </message>
    <message>
        <source>%1: %2, %3</source>
        <translation>%1: %2, %3</translation>
    </message>
    <message>
        <source>Comparing %1 runs</source>
        <translation>Vergleich von %1 Läufen</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>&amp;Design</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>Dataset %1 set as D_0 in the chain setup</source>
        <translation>Datensatz %1 als D_0 in die Ketten-Einstellungen übernommen</translation>
    </message>
    <message>
        <source>Vector PDF (*.pdf);;SVG (*.svg);;PNG (*.png)</source>
        <translation>Vektor-PDF (*.pdf);;SVG (*.svg);;PNG (*.png)</translation>
    </message>
    <message>
        <source>Resolution (dots per inch)</source>
        <translation>Auflösung (Punkte pro Zoll)</translation>
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
        <translation>Autokorrelation</translation>
    </message>
    <message>
        <source>lag in pixels</source>
        <translation>Verschiebung in Pixeln</translation>
    </message>
    <message>
        <source>Fingerprint: autocorrelation of the noise residuals at lags of +-%1 pixels; columns: iteration</source>
        <translation>Fingerabdruck: Autokorrelation der Rauschresiduen bei Verschiebungen von ±%1 Pixeln; Spalten: Iteration</translation>
    </message>
    <message>
        <source>log10 power</source>
        <translation>log10-Leistung</translation>
    </message>
    <message>
        <source>cycles per pixel</source>
        <translation>Perioden pro Pixel</translation>
    </message>
    <message>
        <source>2-D power spectrum of the images, zero frequency in the centre; columns: iteration</source>
        <translation>2-D-Leistungsspektrum der Bilder, Nullfrequenz in der Mitte; Spalten: Iteration</translation>
    </message>
    <message>
        <source>%1, seed %2</source>
        <translation>%1, Seed %2</translation>
    </message>
</context>
<context>
    <name>redifine::MetricsView</name>
    <message>
        <source>Frechet distance to D_0</source>
        <translation>Fréchet-Distanz zu D_0</translation>
    </message>
    <message>
        <source>FD-infinity (small-sample bias removed)</source>
        <translation>FD-unendlich (ohne Verzerrung kleiner Stichproben)</translation>
    </message>
    <message>
        <source>CLIP score</source>
        <translation>CLIP-Score</translation>
    </message>
    <message>
        <source>SFD (paired by prompt)</source>
        <translation>SFD (paarweise nach Prompt)</translation>
    </message>
    <message>
        <source>KID</source>
        <translation>KID</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>Präzision</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>Trefferquote</translation>
    </message>
    <message>
        <source>Density</source>
        <translation>Dichte</translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation>Abdeckung</translation>
    </message>
    <message>
        <source>Vendi score</source>
        <translation>Vendi-Score</translation>
    </message>
    <message>
        <source>Colourfulness</source>
        <translation>Farbigkeit</translation>
    </message>
    <message>
        <source>Saturation</source>
        <translation>Sättigung</translation>
    </message>
    <message>
        <source>Clipped pixels</source>
        <translation>Übersteuerte Pixel</translation>
    </message>
    <message>
        <source>Sharpness (Laplacian variance)</source>
        <translation>Schärfe (Laplace-Varianz)</translation>
    </message>
    <message>
        <source>High-frequency energy</source>
        <translation>Hochfrequenzanteil</translation>
    </message>
    <message>
        <source>Latent standard deviation</source>
        <translation>Standardabweichung der Latents</translation>
    </message>
    <message>
        <source>Final finetune loss</source>
        <translation>Verlust am Ende der Feinabstimmung</translation>
    </message>
    <message>
        <source>Iteration</source>
        <translation>Iteration</translation>
    </message>
</context>
<context>
    <name>redifine::PlotView</name>
    <message>
        <source>%1 iteration %2</source>
        <translation>%1 Iteration %2</translation>
    </message>
</context>
<context>
    <name>redifine::ReusabilityView</name>
    <message>
        <source>%1 at iteration 1 (first-iteration fidelity)</source>
        <translation>%1 in Iteration 1 (Treue der ersten Iteration)</translation>
    </message>
    <message>
        <source>%1: iteration K minus iteration 1 (reusability)</source>
        <translation>%1: Iteration K minus Iteration 1 (Wiederverwendbarkeit)</translation>
    </message>
    <message>
        <source>%1 (K = %2, n = %3)</source>
        <translation>%1 (K = %2, n = %3)</translation>
    </message>
</context>
<context>
    <name>redifine::RunListModel</name>
    <message>
        <source>Chain</source>
        <translation>Kette</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>not a run: %1</source>
        <translation>kein Lauf: %1</translation>
    </message>
    <message>
        <source>damaged: %1</source>
        <translation>beschädigt: %1</translation>
    </message>
    <message>
        <source>complete</source>
        <translation>fertig</translation>
    </message>
    <message>
        <source>%1/%2 iterations</source>
        <translation>%1/%2 Iterationen</translation>
    </message>
</context>
<context>
    <name>redifine::RunPlots</name>
    <message>
        <source>Metrics</source>
        <translation>Metriken</translation>
    </message>
    <message>
        <source>Reusability</source>
        <translation>Wiederverwendbarkeit</translation>
    </message>
    <message>
        <source>Latent histograms</source>
        <translation>Latent-Histogramme</translation>
    </message>
    <message>
        <source>Diff-norm</source>
        <translation>Diff-Norm</translation>
    </message>
    <message>
        <source>Spectra</source>
        <translation>Spektren</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>Fingerabdruck</translation>
    </message>
    <message>
        <source>t-SNE</source>
        <translation>t-SNE</translation>
    </message>
    <message>
        <source>Training loss</source>
        <translation>Trainingsverlust</translation>
    </message>
    <message>
        <source>2-D spectrum</source>
        <translation>2-D-Spektrum</translation>
    </message>
    <message>
        <source>Show each seed</source>
        <translation>Jeden Seed zeigen</translation>
    </message>
    <message>
        <source>Runs that differ only in their seed are one condition, drawn as its mean with a 95% band; check to draw every run on its own.</source>
        <translation>Läufe, die sich nur im Seed unterscheiden, sind eine Bedingung und werden als Mittelwert mit 95-%-Band gezeigt; ankreuzen, um jeden Lauf einzeln zu zeigen.</translation>
    </message>
</context>
<context>
    <name>redifine::SpectraView</name>
    <message>
        <source>Images: radial</source>
        <translation>Bilder: radial</translation>
    </message>
    <message>
        <source>Images: angular</source>
        <translation>Bilder: winkelabhängig</translation>
    </message>
    <message>
        <source>Latents: radial</source>
        <translation>Latents: radial</translation>
    </message>
    <message>
        <source>Latents: angular</source>
        <translation>Latents: winkelabhängig</translation>
    </message>
    <message>
        <source>Spatial frequency (cycles per pixel)</source>
        <translation>Ortsfrequenz (Perioden pro Pixel)</translation>
    </message>
    <message>
        <source>Angle (radians)</source>
        <translation>Winkel (Bogenmaß)</translation>
    </message>
    <message>
        <source>Power (mean over images)</source>
        <translation>Leistung (Mittel über Bilder)</translation>
    </message>
    <message>
        <source>%1 iteration %2</source>
        <translation>%1 Iteration %2</translation>
    </message>
</context>
<context>
    <name>redifine::TsneView</name>
    <message>
        <source>Compute t-SNE of the image features</source>
        <translation>t-SNE der Bildmerkmale berechnen</translation>
    </message>
    <message>
        <source>Computing t-SNE…</source>
        <translation>t-SNE wird berechnet…</translation>
    </message>
    <message>
        <source>%1 iteration %2</source>
        <translation>%1 Iteration %2</translation>
    </message>
</context>
<context>
    <name>redifine::WelcomePanel</name>
    <message>
        <source>Run the quick demo chain</source>
        <translation>Die schnelle Demo-Kette starten</translation>
    </message>
    <message>
        <source>Open a runs folder…</source>
        <translation>Einen Läufe-Ordner öffnen…</translation>
    </message>
    <message>
        <source>Set up a chain…</source>
        <translation>Eine Kette einrichten…</translation>
    </message>
    <message>
        <source>Use the default folder</source>
        <translation>Den Standardordner verwenden</translation>
    </message>
    <message>
        <source>The runs folder is missing</source>
        <translation>Der Läufe-Ordner fehlt</translation>
    </message>
    <message>
        <source>%1 does not exist: it was moved or deleted, or it is on a drive that is not mounted. Use the default folder, or open another one.</source>
        <translation>%1 existiert nicht: Er wurde verschoben oder gelöscht, oder er liegt auf einem nicht eingehängten Laufwerk. Den Standardordner verwenden oder einen anderen öffnen.</translation>
    </message>
    <message>
        <source>Welcome to ReDiFine Studio</source>
        <translation>Willkommen bei ReDiFine Studio</translation>
    </message>
    <message>
        <source>No runs in %1 yet. A Chain of Diffusion finetunes a model on the images it made, again and again, and the images degrade. Start with the quick demo chain (16 emoji, 3 iterations, a few minutes on a laptop CPU) and watch it as its iterations complete, open a folder of runs, or set up a chain of your own.</source>
        <translation>Noch keine Läufe in %1. Eine Chain of Diffusion trainiert ein Modell immer wieder auf den Bildern nach, die es selbst erzeugt hat, und die Bilder verschlechtern sich. Beginnen Sie mit der schnellen Demo-Kette (16 Emoji, 3 Iterationen, wenige Minuten auf einer Laptop-CPU) und sehen Sie zu, wie ihre Iterationen fertig werden, öffnen Sie einen Ordner mit Läufen oder richten Sie eine eigene Kette ein.</translation>
    </message>
</context>
</TS>
