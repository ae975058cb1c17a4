using FourierRepro.Storage;
using FourierRepro.Analysis.Plotting;
using FourierRepro.Analysis.Claims;
using ScottPlot;

namespace FourierRepro.Analysis.SpectralBias;

// Rahaman et al. 2019, Fig. 1: spectral dynamics heat-maps and layer spectral norms, and the claims they support.
public sealed class SpectralBiasAnalysis : IAnalysisModule
{
    const double LearnedThreshold = 0.5;   // material progress: a frequency counts as learned once 2|f̃(k)|/A reaches half its amplitude
    const double MinGamma = 0.8;           // >= 90 % of the informative pairs in order; a random order gives 0, nothing learned gives 0
    const double MinNormGrowth = 1.01;     // a layer's σ_max must grow by > 1 %: a 1e-12 learning rate moves it by ~1e-9, and 1 % is
                                           // about the line width of Fig. 1(c, d), where the paper's norms grow visibly

    static readonly Dictionary<string, string> CaseTitles = new()
    {
        [SpectralBiasConfig.EqualAmplitudes] = "(a) equal amplitudes A_i = 1",
        [SpectralBiasConfig.IncreasingAmplitudes] = "(b) increasing amplitudes A_i = 0.1 ... 1",
    };

    public string Experiment => SpectralBiasData.Experiment;
    public string Title => "Spectral bias (Rahaman et al. 2019, Fig. 1)";

    const string OrderMethod =
        "Per run, the learn iteration of each k_i: the first recorded iteration after initialisation at which 2|f(k_i)|/A_i >= " +
        "0.5 (half its amplitude; never = after every other, tied; a component already at half amplitude at initialisation is left out). " +
        "A pair k_a < k_b is in order when k_a is learned strictly earlier; pairs learned in the same frame, or both never, say nothing. " +
        "Measured: Goodman-Kruskal gamma = (in order - out of order) / informative pairs, pooled over the runs (3 per case at smoke, " +
        "4 at standard, 20 at paper). An untrained network, or one that learns nothing material, has no informative pair: gamma = 0.";
    const string OrderNull = "within each run, the learn iterations are exchangeable over k (no order). p from 20000 within-run permutations.";
    const string OrderControl =
        "the same target learned by the same network through a flat-spectrum Fourier feature mapping, gamma(z) = [sin 2 pi j z, cos 2 pi j z], " +
        "j = 1..100, a_j = 1 (Tancik et al.'s p = 0, Fig. 3): its NTK is stationary with no preference for low k, so spectral bias must vanish " +
        "(2 runs per case at smoke and standard, 5 at paper). Its gamma must stay below the bound. Its networks learn every k within " +
        "one or two recorded frames, so its few informative pairs are one-frame differences and its gamma is noisy (0.75 on the one " +
        "control run of seed 101 at smoke, -0.12 and -0.56 on seeds 1-2).";
    const string OrderPower = "every scale: with 10 frequencies per run, one run alone can reach p < 1e-6.";

    public IReadOnlyList<Claim> Claims { get; } =
    [
        new("SB-1", SpectralBiasData.Experiment,
            "Lower frequencies are learned first: the network fits the low-k components of the target before the high-k ones (Fig. 1a).",
            "Equal amplitudes. " + OrderMethod, $"pooled gamma >= {MinGamma} (at least 90 % of informative pairs in order)", Scales.All,
            c => LearnOrder(c, SpectralBiasConfig.EqualAmplitudes))
        { NullHypothesis = OrderNull, ControlText = OrderControl, Power = OrderPower },
        new("SB-2", SpectralBiasData.Experiment,
            "This holds even when the higher frequencies have the larger amplitudes (Fig. 1b).",
            "As SB-1, for the increasing-amplitude case (A_i = 0.1 ... 1.0, the largest at k = 50). " + OrderMethod,
            $"pooled gamma >= {MinGamma}", Scales.All,
            c => LearnOrder(c, SpectralBiasConfig.IncreasingAmplitudes))
        { NullHypothesis = OrderNull, ControlText = OrderControl, Power = OrderPower },
        new("SB-3", SpectralBiasData.Experiment,
            "The spectral norms of the layer weights grow during training (Fig. 1c, d).",
            "Per run (both cases), the smallest over the six layers of sigma_max at the last recorded iteration over sigma_max at initialisation " +
            "(the first layer, a 1x256 vector, grows least). Measured: the mean over runs. The details give the growth of the Lipschitz bound (product of the norms).",
            $"every layer grows by more than 1 %: mean over runs of min over layers of sigma_last / sigma_0 > {MinNormGrowth}", Scales.All,
            NormGrowth)
        {
            NullHypothesis = $"a run's smallest layer growth is at most {MinNormGrowth} (sign test over runs).",
            ControlText = "the untrained network: each run's initial state, where every ratio is 1.",
            Power = "every scale: a sign test over n runs has smallest p = 2^-n, and there are 6 runs at smoke (p >= 1/64), 8 at standard, 40 at paper.",
        },
    ];

    static ClaimResult? LearnOrder(AnalysisContext context, string amplitudeCase)
    {
        if (!SpectralBiasData.Load(context).TryGetValue(amplitudeCase, out var runs) || runs.Count == 0) return null;
        if (!SpectralBiasData.LoadControls(context).TryGetValue(amplitudeCase, out var controls) || controls.Count == 0)
            return ClaimResult.NotEvaluated($"no negative-control runs (control={SpectralBiasConfig.FlatFourierMapping}, amplitudes={amplitudeCase}) at this scale");
        var real = LearningOrder.Evaluate(runs.Select(LearnIterations).ToList());
        var control = LearningOrder.Evaluate(controls.Select(LearnIterations).ToList());
        return new ClaimResult(real.Gamma, real.Gamma >= MinGamma,
            $"{runs.Count} runs, {real.Concordant} pairs in order, {real.Discordant} out of order; " + string.Join("; ", runs.Select(Describe)) +
            ". Untrained networks (initial state): no frequency has been learned, so no pair is informative and gamma = 0.",
            [.. runs.Select(r => r.RunId), .. controls.Select(r => r.RunId)])
        {
            Test = real.Test,
            Control = new ControlResult("flat Fourier features", control.Gamma, control.Gamma >= MinGamma,
                $"{controls.Count} runs, {control.Concordant} pairs in order, {control.Discordant} out of order, p = {control.Test.PValue:G3}; " +
                string.Join("; ", controls.Select(Describe))),
        };
    }

    static double[] LearnIterations(SpectralBiasRun run) =>
        Enumerable.Range(0, run.Frequencies.Length).Select(i => run.MaterialLearnIteration(i, LearnedThreshold)).Where(t => !double.IsNaN(t)).ToArray();

    static string Describe(SpectralBiasRun run) =>
        $"run {run.RunId}: reached {LearnedThreshold} at [" +
        string.Join(" ", Enumerable.Range(0, run.Frequencies.Length).Select(i => run.MaterialLearnIteration(i, LearnedThreshold))
            .Select(t => double.IsNaN(t) ? "init" : double.IsInfinity(t) ? "-" : t.ToString("F0"))) + "]";

    static ClaimResult? NormGrowth(AnalysisContext context)
    {
        var runs = SpectralBiasData.Load(context).Values.SelectMany(r => r).ToList();
        if (runs.Count == 0) return null;
        var layers = runs[0].SpectralNorms.Keys.Order().ToList();
        var perRun = runs.Select(r => layers.Min(l => r.SpectralNorms[l][^1] / r.SpectralNorms[l][0])).ToList();
        var perLayer = layers.Select(l => Stats.Mean(runs.Select(r => r.SpectralNorms[l][^1] / r.SpectralNorms[l][0]).ToList())).ToList();
        double mean = Stats.Mean(perRun);
        double lipschitz = Stats.Mean(runs.Select(r => layers.Aggregate(1.0, (p, l) => p * r.SpectralNorms[l][^1] / r.SpectralNorms[l][0])).ToList());
        return new ClaimResult(mean, mean > MinNormGrowth,
            $"{runs.Count} runs; mean ratio per layer: " + string.Join(", ", layers.Select((l, i) => $"layer {l} {perLayer[i]:F3}")) +
            $"; product of the norms (Lipschitz bound) grew {lipschitz:G3}x",
            runs.Select(r => r.RunId).ToArray())
        {
            Test = HypothesisTests.SignTest(perRun, MinNormGrowth, "runs"),
            Control = new ControlResult("untrained network (initial state)", 1.0, 1.0 > MinNormGrowth, "sigma_0 / sigma_0 = 1 for every layer and run"),
        };
    }

    public IEnumerable<FigureResult> DrawFigures(AnalysisContext context)
    {
        var data = SpectralBiasData.Load(context);
        if (data.Count == 0) yield break;
        var cases = CaseTitles.Keys.Where(data.ContainsKey).ToList();
        var runIds = cases.SelectMany(c => data[c].Select(r => r.RunId)).ToArray();

        var heatmaps = cases.Select(c =>
        {
            var runs = data[c];
            return Plots.Heatmap($"{CaseTitles[c]} ({runs.Count} runs)", "Frequency k [cycles per unit interval]", "Training iteration",
                Stats.MeanOf(runs.Select(r => r.Normalized).ToList()), runs[0].Frequencies, runs[0].Steps, 0, 1, "2|f(k)| / A (mean over runs)");
        }).ToList();
        var (png, svg) = FigureWriter.Save(Path.Combine(context.OutDir, "fig1-spectral-dynamics"), heatmaps, columns: 2);
        yield return new FigureResult("fig1-spectral-dynamics", "Spectral dynamics during training", "Rahaman et al. Fig. 1(a, b)",
            "Normalized amplitude of the network's spectrum at the ten target frequencies over training, averaged over runs and clipped to [0, 1]. " +
            "The paper shows the low frequencies turning bright first, in both cases.", png, svg, runIds);

        var controls = SpectralBiasData.LoadControls(context);
        var controlCases = CaseTitles.Keys.Where(controls.ContainsKey).ToList();
        if (controlCases.Count > 0)
        {
            var controlPanels = controlCases.Select(c => Plots.Heatmap($"control: {CaseTitles[c]} ({controls[c].Count} run{(controls[c].Count == 1 ? "" : "s")})",
                "Frequency k [cycles per unit interval]", "Training iteration",
                Stats.MeanOf(controls[c].Select(r => r.Normalized).ToList()), controls[c][0].Frequencies, controls[c][0].Steps, 0, 1, "2|f(k)| / A (mean over runs)")).ToList();
            var (cpng, csvg) = FigureWriter.Save(Path.Combine(context.OutDir, "fig1-control-flat-fourier"), controlPanels, columns: 2);
            yield return new FigureResult("fig1-control-flat-fourier", "Negative control: the same targets through flat Fourier features", "Rahaman et al. Fig. 1(a, b), control (cf. Tancik et al. Fig. 3)",
                "The same network and targets as Fig. 1, fed gamma(z) = [sin 2 pi j z, cos 2 pi j z] for j = 1..100 with a_j = 1 instead of z: " +
                "a stationary kernel with a flat spectrum, which should learn every frequency at the same pace. SB-1 and SB-2 must not hold here.",
                cpng, csvg, controlCases.SelectMany(c => controls[c].Select(r => r.RunId)).ToArray());
        }

        var normPanels = cases.Select(c => SpectralNormPanel(c, data[c])).ToList();
        (png, svg) = FigureWriter.Save(Path.Combine(context.OutDir, "fig1-spectral-norms"), normPanels, columns: 2);
        yield return new FigureResult("fig1-spectral-norms", "Spectral norms of the layer weights", "Rahaman et al. Fig. 1(c, d)",
            "Largest singular value of each layer's weight matrix over training, mean and ±1 std over runs. " +
            "(The reference code's power iteration computes 256·|λ_dom| for square layers; this is the true σ_max.)", png, svg, runIds);

        if (data.TryGetValue(SpectralBiasConfig.EqualAmplitudes, out var equalRuns) && equalRuns.Count > 0)
            yield return LearnedFunctionFigure(context, equalRuns.MinBy(r => r.RunId)!);
    }

    // Fig. 2: the network's output over z at a few iterations, overlaid on the target, with that iteration's
    // normalized spectrum below. The iterations are where the run's count of fitted frequencies first reaches a
    // third, two thirds and all of its final count, plus the last one, so the panels show k arriving in order.
    static FigureResult LearnedFunctionFigure(AnalysisContext context, SpectralBiasRun run)
    {
        var prediction = context.Db.RequireArray(run.RunId, SpectralBiasContract.Prediction);
        var target = context.Db.RequireArray(run.RunId, SpectralBiasContract.Target).Data;
        var frames = LearnedFunctionFrames(run, LearnedThreshold);
        var z = Enumerable.Range(0, target.Length).Select(i => (double)i / target.Length).ToArray();
        var functions = new List<Plot>();
        var spectra = new List<Plot>();
        foreach (var f in frames)
        {
            var fitted = Enumerable.Range(0, run.Frequencies.Length).Where(i => run.Normalized[f, i] >= LearnedThreshold).Select(i => run.Frequencies[i]).ToList();
            var plot = Plots.NewPlot($"iteration {run.Steps[f]:F0}", "z", "f(z)");
            var t = plot.Add.ScatterLine(z, target, Colors.Gray.WithAlpha(0.8));
            t.LineWidth = 1.5f;
            t.LegendText = "target";
            var p = plot.Add.ScatterLine(z, prediction.Row(f), Plots.Palette[0]);
            p.LineWidth = 2;
            p.LegendText = "network";
            plot.Axes.SetLimitsY(target.Min() - 0.5, target.Max() + 2.5);
            plot.ShowLegend(Alignment.UpperRight);
            functions.Add(plot);

            var bars = Plots.NewPlot(fitted.Count == 0 ? "no k at half amplitude yet" : $"at ≥ {LearnedThreshold} amplitude: k = {string.Join(", ", fitted)}",
                "Frequency k [cycles per unit interval]", "2|f(k)| / A");
            var values = Enumerable.Range(0, run.Frequencies.Length).Select(i => run.Normalized[f, i]).ToArray();
            var barPlot = bars.Add.Bars(run.Frequencies, values);
            foreach (var bar in barPlot.Bars)
            {
                bar.Size = 3.5;
                bar.FillColor = bar.Value >= LearnedThreshold ? Plots.Palette[0] : Plots.Palette[0].WithAlpha(0.35);
                bar.LineWidth = 0;
            }
            bars.Add.HorizontalLine(LearnedThreshold, 1, Colors.Gray, LinePattern.Dashed);
            bars.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(run.Frequencies, run.Frequencies.Select(k => k.ToString("G4")).ToArray());
            bars.Axes.SetLimits(run.Frequencies[0] - 4, run.Frequencies[^1] + 4, 0, Math.Max(1.2, values.Max() + 0.05));
            spectra.Add(bars);
        }
        var (png, svg) = FigureWriter.Save(Path.Combine(context.OutDir, "fig2-learned-function"), [.. functions, .. spectra], columns: frames.Count);
        return new FigureResult("fig2-learned-function", "The learned function during training", "Rahaman et al. Fig. 2",
            $"Equal amplitudes, one run (run {run.RunId}): top, the network's output on the 200 training points at the iterations where the number of target " +
            $"frequencies at half amplitude or more (2|f(k)|/A >= {LearnedThreshold}) first reaches a third, two thirds and all of its final count, and at the " +
            "last iteration; bottom, that iteration's normalized spectrum. The paper shows the network first following the slow envelope of the target " +
            "and adding the faster oscillations later.", png, svg, [run.RunId]);
    }

    // Frame indices for Fig. 2 (see LearnedFunctionFigure), in order, at most four, at least two when the run has two frames.
    public static List<int> LearnedFunctionFrames(SpectralBiasRun run, double threshold)
    {
        int frames = run.Steps.Length;
        var counts = Enumerable.Range(0, frames).Select(f => Enumerable.Range(0, run.Frequencies.Length).Count(i => run.Normalized[f, i] >= threshold)).ToArray();
        int final = counts.Max();
        var chosen = new SortedSet<int> { frames - 1 };
        foreach (var share in new[] { 1 / 3.0, 2 / 3.0, 1.0 })
        {
            int needed = Math.Max(1, (int)Math.Ceiling(share * final - 1e-9));
            int f = Array.FindIndex(counts, c => c >= needed);
            if (final > 0 && f >= 0) chosen.Add(f);
        }
        // Too few distinct iterations (few frequencies fitted): add earlier ones, halving towards the start.
        while (chosen.Count < Math.Min(4, frames) && chosen.Min > 0) chosen.Add(chosen.Min / 2);
        return chosen.Take(4).ToList();
    }

    static Plot SpectralNormPanel(string amplitudeCase, List<SpectralBiasRun> runs)
    {
        var plot = Plots.NewPlot($"{CaseTitles[amplitudeCase]}: layer spectral norms", "Training iteration", "σ_max(W_layer)");
        var steps = runs[0].Steps;
        foreach (var layer in runs[0].SpectralNorms.Keys.Order())
        {
            int frames = runs.Min(r => r.SpectralNorms[layer].Length);
            var mean = new double[frames];
            var lower = new double[frames];
            var upper = new double[frames];
            for (int f = 0; f < frames; f++)
            {
                var values = runs.Select(r => r.SpectralNorms[layer][f]).ToList();
                mean[f] = Stats.Mean(values);
                double std = Stats.Std(values);
                lower[f] = mean[f] - std;
                upper[f] = mean[f] + std;
            }
            var color = Plots.Palette[(layer - 1) % Plots.Palette.Length];
            var xs = steps.Take(frames).ToArray();
            var band = plot.Add.FillY(xs, lower, upper);
            band.FillColor = color.WithAlpha(0.2);
            band.LineWidth = 0;
            var line = plot.Add.ScatterLine(xs, mean, color);
            line.LineWidth = 2;
            line.LegendText = $"Layer {layer}";
        }
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }
}
