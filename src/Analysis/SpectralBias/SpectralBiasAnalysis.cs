using FourierRepro.Storage;
using FourierRepro.Analysis.Plotting;
using ScottPlot;

namespace FourierRepro.Analysis.SpectralBias;

// Rahaman et al. 2019, Fig. 1: spectral dynamics heat-maps and layer spectral norms, and the claims they support.
public sealed class SpectralBiasAnalysis : IAnalysisModule
{
    const double LearnedThreshold = 0.5;   // for the details: a frequency counts as learned once 2|f̃(k)|/A reaches half its amplitude
    const double MinRankCorrelation = 0.8; // a strong monotone trend of shortfall with k (a random order gives ~0 ± 0.33 for 10 frequencies)

    static readonly Dictionary<string, string> CaseTitles = new()
    {
        ["equal"] = "(a) equal amplitudes A_i = 1",
        ["increasing"] = "(b) increasing amplitudes A_i = 0.1 ... 1",
    };

    public string Experiment => SpectralBiasData.Experiment;
    public string Title => "Spectral bias (Rahaman et al. 2019, Fig. 1)";

    public IReadOnlyList<Claim> Claims { get; } =
    [
        new("SB-1", SpectralBiasData.Experiment,
            "Lower frequencies are learned first: the network fits the low-k components of the target before the high-k ones (Fig. 1a).",
            "Equal amplitudes. Per run, the shortfall of k_i is 1 - (2|f(k_i)|/A_i clipped to [0, 1]) averaged over all recorded iterations: " +
            "small when k_i is fitted early, 1 when never. Spearman rho between k_i and its shortfall, averaged over all runs of the case " +
            $"(3 at smoke, 4 at standard, 20 at paper). The details also give, per run, the first iteration at which 2|f(k_i)|/A_i >= {LearnedThreshold}.",
            $"mean Spearman rho >= {MinRankCorrelation}", Scales.All,
            c => LearnOrder(c, "equal")),
        new("SB-2", SpectralBiasData.Experiment,
            "This holds even when the higher frequencies have the larger amplitudes (Fig. 1b).",
            $"As SB-1, for the increasing-amplitude case (A_i = 0.1 ... 1.0, the largest at k = 50).",
            $"mean Spearman rho >= {MinRankCorrelation}", Scales.All,
            c => LearnOrder(c, "increasing")),
        new("SB-3", SpectralBiasData.Experiment,
            "The spectral norms of the layer weights grow during training (Fig. 1c, d).",
            "sigma_max of each layer at the last recorded iteration over its value at initialisation, averaged over all runs of both cases; " +
            "the measured value is the smallest such ratio over the layers (the first layer, a 1x256 vector, grows least). The details give the growth of the Lipschitz bound (product of the norms).",
            "every layer grows: min over layers of mean(sigma_last / sigma_0) > 1", Scales.All,
            NormGrowth),
    ];

    static ClaimResult? LearnOrder(AnalysisContext context, string amplitudeCase)
    {
        if (!SpectralBiasData.Load(context).TryGetValue(amplitudeCase, out var runs) || runs.Count == 0) return null;
        var rhos = new List<double>();
        var details = new List<string>();
        foreach (var run in runs)
        {
            var indices = Enumerable.Range(0, run.Frequencies.Length).ToArray();
            var shortfall = indices.Select(run.Shortfall).ToArray();
            var learn = indices.Select(i => run.LearnIteration(i, LearnedThreshold)).ToArray();
            rhos.Add(Stats.Spearman(run.Frequencies, shortfall));
            details.Add($"run {run.RunId}: rho {rhos[^1]:F2}, shortfall [{string.Join(" ", shortfall.Select(v => v.ToString("F2")))}], " +
                        $"reached {LearnedThreshold} at [{string.Join(" ", learn.Select(t => double.IsInfinity(t) ? "-" : t.ToString("F0")))}]");
        }
        double mean = Stats.Mean(rhos);
        return new ClaimResult(mean, mean >= MinRankCorrelation,
            $"{runs.Count} runs, rho min {rhos.Min():F2} max {rhos.Max():F2}; " + string.Join("; ", details),
            runs.Select(r => r.RunId).ToArray());
    }

    static ClaimResult? NormGrowth(AnalysisContext context)
    {
        var runs = SpectralBiasData.Load(context).Values.SelectMany(r => r).ToList();
        if (runs.Count == 0) return null;
        var layers = runs[0].SpectralNorms.Keys.Order().ToList();
        var ratios = layers.Select(l => Stats.Mean(runs.Select(r => r.SpectralNorms[l][^1] / r.SpectralNorms[l][0]).ToList())).ToList();
        double min = ratios.Min();
        double lipschitz = Stats.Mean(runs.Select(r => layers.Aggregate(1.0, (p, l) => p * r.SpectralNorms[l][^1] / r.SpectralNorms[l][0])).ToList());
        return new ClaimResult(min, min > 1,
            $"{runs.Count} runs; mean ratio per layer: " + string.Join(", ", layers.Select((l, i) => $"layer {l} {ratios[i]:F2}")) +
            $"; product of the norms (Lipschitz bound) grew {lipschitz:G3}x",
            runs.Select(r => r.RunId).ToArray());
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

        var normPanels = cases.Select(c => SpectralNormPanel(c, data[c])).ToList();
        (png, svg) = FigureWriter.Save(Path.Combine(context.OutDir, "fig1-spectral-norms"), normPanels, columns: 2);
        yield return new FigureResult("fig1-spectral-norms", "Spectral norms of the layer weights", "Rahaman et al. Fig. 1(c, d)",
            "Largest singular value of each layer's weight matrix over training, mean and ±1 std over runs. " +
            "(The reference code's power iteration computes 256·|λ_dom| for square layers; this is the true σ_max.)", png, svg, runIds);

        if (data.TryGetValue("equal", out var equalRuns) && equalRuns.Count > 0)
            yield return LearnedFunctionFigure(context, equalRuns.MinBy(r => r.RunId)!);
    }

    // Fig. 2: the network's output over z at a few iterations, overlaid on the target, with that iteration's
    // normalized spectrum below. The iterations are where the run's count of fitted frequencies first reaches a
    // third, two thirds and all of its final count, plus the last one, so the panels show k arriving in order.
    static FigureResult LearnedFunctionFigure(AnalysisContext context, SpectralBiasRun run)
    {
        var prediction = context.Db.RequireArray(run.RunId, "prediction");
        var target = context.Db.RequireArray(run.RunId, "target").Data;
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
