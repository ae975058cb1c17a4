using System.Globalization;
using FourierRepro.Analysis.Plotting;
using ScottPlot;

namespace FourierRepro.Analysis.Ntk;

// Tancik et al. 2020, Fig. 3: trained networks against the NTK linear-dynamics theory, and the claims they support.
public sealed class NtkConvergenceAnalysis : IAnalysisModule
{
    const double MinRankCorrelation = 0.8; // see NTK-5's method
    const double GapConstant = 2;          // NTK-6: gap ≤ 2/√width of the initial train MSE (see its method)
    const double TailFraction = 0.1;       // NTK-5: the residual "at the end" is its mean over the last 10% of the recorded iterations
    static readonly string[] PaperMappings = ["none", "p=0", "p=1", "p=inf"]; // the mappings the paper's Fig. 3 shows
    static readonly string[] Bands = ["low", "mid", "high"];

    public string Experiment => NtkConvergenceData.Experiment;
    public string Title => "Convergence and generalisation against the NTK theory (Tancik et al. 2020, Fig. 3)";

    public IReadOnlyList<Claim> Claims { get; } =
    [
        new("NTK-5", NtkConvergenceData.Experiment,
            "With a Fourier feature mapping of lower p, the high-frequency component of the training residual converges faster (Fig. 3c).",
            "Per seed, for the six power mappings: r_high = |DFT of f - y over the 32 training points| at bin 15, averaged over the last 10% of the " +
            "recorded iterations, divided by its value at initialisation; Spearman rho between p (inf last) and r_high; mean over seeds (2 at smoke, " +
            $"3 at standard). A random order gives rho ~ 0 +- 0.45. The bound {MinRankCorrelation} allows two adjacent swaps: the theory's own r_high " +
            "for p = 0 and 0.5 (and for p = 1.5, 2, inf) differ by less than the finite-width fluctuations of a single network.",
            $"mean Spearman rho >= {MinRankCorrelation}", Scales.All, HighFrequencyOrder),
        new("NTK-6", NtkConvergenceData.Experiment,
            "The trained networks with Fourier feature mappings follow the NTK linear-dynamics theory (Fig. 3b, d: observed solid, theory dashed).",
            "Theory: f(t) = y + exp(-eta Theta t)(f0 - y) with the analytic NT-standard kernel of the trained width and the trained learning rate, " +
            "started from each network's own initial outputs (not re-anchored). Measured: max over every recorded iteration, power mapping and seed of " +
            "|train MSE observed - theory| / train MSE at initialisation, i.e. the gap as a fraction of the height of panel (d). Bound 2/sqrt(width): " +
            "a single network's NTK deviates from the analytic one by ~3/sqrt(width) (the empirical-NTK test), which to first order moves the MSE curve " +
            "by at most 1/e of that; the factor ~1.8 on top allows for the kernel's drift during training. Details give the relative gap |obs - theory| / theory, " +
            "which late in training is much larger (the slowest kernel modes).",
            "max gap / initial train MSE <= 2 / sqrt(width)", Scales.All, c => TheoryGap(c, mapped: true)),
        new("NTK-6b", NtkConvergenceData.Experiment,
            "(informational) The network without a mapping follows the theory as closely.",
            "As NTK-6 for the no-mapping runs. Not required: its input x - 0.5 is exactly 0 at the training point x = 0.5, so at initialisation every " +
            "first-layer unit has its ReLU kink there (b = 0), where the network is not differentiable and its linearisation is worst; training moves the " +
            "kinks, the kernel drifts (the linearised network with its own initial NTK misses by as much), and the gap shrank only from 0.10 at width 256 " +
            "to 0.074 at 1024.",
            "max gap / initial train MSE <= 2 / sqrt(width)", [], c => TheoryGap(c, mapped: false)),
        new("NTK-7", NtkConvergenceData.Experiment,
            "Without a mapping the network generalises worst on this target (Fig. 3b, test MSE).",
            "Final test MSE (224 held-out points) per mapping, mean over seeds; measured: no-mapping MSE over the largest MSE of the power mappings.",
            "ratio > 1 (no mapping has the largest final test MSE)", Scales.All, NoMappingWorst),
        new("NTK-8", NtkConvergenceData.Experiment,
            "An intermediate p generalises best: too narrow a kernel (p = 0) overfits and too wide a one (p = inf) underfits the high frequencies (Fig. 3b).",
            "Final test MSE per mapping, mean over seeds; measured: the lowest MSE among 0 < p < inf over the lower of the MSEs of p = 0 and p = inf. " +
            "The details give every mapping's rank, including where p = inf falls against no mapping and p = 0.",
            "ratio < 1 (an intermediate p beats both extremes)", Scales.All, IntermediateBest),
    ];

    static ClaimResult? HighFrequencyOrder(AnalysisContext context)
    {
        var runs = NtkConvergenceData.Load(context);
        var rhos = new List<double>();
        var details = new List<string>();
        foreach (var seed in runs.GroupBy(r => r.Seed))
        {
            var powered = seed.Where(r => r.IsPowerMapping).OrderBy(r => r.Power).ToList();
            if (powered.Count < 3) continue;
            var ratios = powered.Select(HighResidualRatio).ToList();
            rhos.Add(Stats.Spearman(powered.Select(r => r.Power).ToList(), ratios));
            details.Add($"seed {seed.Key}: rho {rhos[^1]:F2}, r_high " + string.Join(", ", powered.Select((r, i) => $"{NtkConvergenceData.Label(r.Mapping)} {ratios[i]:G3}")));
        }
        if (rhos.Count == 0) return null;
        double mean = rhos.Average();
        return new ClaimResult(mean, mean >= MinRankCorrelation, string.Join("; ", details), runs.Where(r => r.IsPowerMapping).Select(r => r.RunId).ToArray());
    }

    public static double HighResidualRatio(ConvergenceRun run)
    {
        var high = run["residual/high"];
        int tail = Math.Max(1, (int)Math.Round(TailFraction * high.Length));
        return high.TakeLast(tail).Average() / high[0];
    }

    static ClaimResult? TheoryGap(AnalysisContext context, bool mapped)
    {
        var runs = NtkConvergenceData.Load(context).Where(r => r.IsPowerMapping == mapped).ToList();
        if (runs.Count == 0) return null;
        int width = runs[0].Width;
        double bound = GapConstant / Math.Sqrt(width);
        double worst = 0;
        var details = new List<string>();
        foreach (var byMapping in runs.GroupBy(r => r.Mapping))
        {
            double gap = 0, relMax = 0;
            var relAll = new List<double>();
            foreach (var r in byMapping)
            {
                var (obs, theory) = (r["train_mse"], r["theory_train_mse"]);
                for (int f = 0; f < obs.Length; f++)
                {
                    gap = Math.Max(gap, Math.Abs(obs[f] - theory[f]) / obs[0]);
                    double rel = Math.Abs(obs[f] - theory[f]) / theory[f];
                    relAll.Add(rel);
                    relMax = Math.Max(relMax, rel);
                }
            }
            worst = Math.Max(worst, gap);
            relAll.Sort();
            details.Add($"{NtkConvergenceData.Label(byMapping.Key)}: gap {gap:F3}, relative gap median {relAll[relAll.Count / 2]:F2} max {relMax:F2}");
        }
        return new ClaimResult(worst, worst <= bound, $"width {width}, bound {bound:F3}, {runs.Count} runs; " + string.Join("; ", details),
            runs.Select(r => r.RunId).ToArray());
    }

    // Mean over seeds of the final test MSE, by mapping.
    static Dictionary<string, double> FinalTestMse(List<ConvergenceRun> runs) =>
        runs.GroupBy(r => r.Mapping).ToDictionary(g => g.Key, g => g.Average(r => r["test_mse"][^1]));

    static string Ranking(Dictionary<string, double> mse) =>
        "final test MSE, worst first: " + string.Join(", ", mse.OrderByDescending(p => p.Value).Select(p => $"{NtkConvergenceData.Label(p.Key)} {p.Value:G3}"));

    static ClaimResult? NoMappingWorst(AnalysisContext context)
    {
        var runs = NtkConvergenceData.Load(context);
        var mse = FinalTestMse(runs);
        var powered = mse.Where(p => p.Key != NtkConvergenceData.None).ToList();
        if (!mse.TryGetValue(NtkConvergenceData.None, out var none) || powered.Count == 0) return null;
        double ratio = none / powered.Max(p => p.Value);
        return new ClaimResult(ratio, ratio > 1, $"{runs.Select(r => r.Seed).Distinct().Count()} seeds; " + Ranking(mse), runs.Select(r => r.RunId).ToArray());
    }

    static ClaimResult? IntermediateBest(AnalysisContext context)
    {
        var runs = NtkConvergenceData.Load(context);
        var mse = FinalTestMse(runs);
        var intermediate = mse.Where(p => NtkConvergenceData.Power(p.Key) is var q && q > 0 && double.IsFinite(q)).ToList();
        if (intermediate.Count == 0 || !mse.TryGetValue("p=0", out var zero) || !mse.TryGetValue("p=inf", out var infinite)) return null;
        var best = intermediate.MinBy(p => p.Value);
        double ratio = best.Value / Math.Min(zero, infinite);
        return new ClaimResult(ratio, ratio < 1,
            $"best intermediate {NtkConvergenceData.Label(best.Key)}; {runs.Select(r => r.Seed).Distinct().Count()} seeds; " + Ranking(mse), runs.Select(r => r.RunId).ToArray());
    }

    public IEnumerable<FigureResult> DrawFigures(AnalysisContext context)
    {
        var runs = NtkConvergenceData.Load(context);
        if (runs.Count == 0) yield break;
        var mappings = runs.Select(r => r.Mapping).Distinct().OrderBy(NtkConvergenceData.Order).ToList();
        var colors = mappings.Select((m, i) => (m, Plots.Palette[i % Plots.Palette.Length])).ToDictionary(t => t.m, t => t.Item2);
        var shown = PaperMappings.Where(mappings.Contains).ToList();
        if (shown.Count == 0) shown = mappings;
        int seeds = runs.Select(r => r.Seed).Distinct().Count();
        var ids = runs.Select(r => r.RunId).ToArray();

        var panels = new List<Plot>
        {
            FunctionsPanel(runs, shown, colors),
            MsePanel("(b) Test error", "test_mse", "theory_test_mse", runs, shown, colors, log: true),
            ResidualPanel(runs, shown, colors),
            MsePanel("(d) Train error", "train_mse", "theory_train_mse", runs, shown, colors, log: false),
        };
        var (png, svg) = FigureWriter.Save(Path.Combine(context.OutDir, "fig3-ntk-convergence"), panels, columns: 2);
        yield return new FigureResult("fig3-ntk-convergence", "Trained networks against the NTK linear dynamics", "Tancik et al. Fig. 3",
            $"4-layer ReLU MLPs of width {runs[0].Width}, full-batch SGD on ½Σ(f − y)² over 32 samples of a 1/f noise signal, mappings as in the paper. " +
            "(a) the learned functions at the end of training on x in [0.5, 0.75) with the target and the training points (first seed). " +
            $"(b) test MSE on the 224 held-out points, (c) |DFT| of the training residual at the low, mid and high bins (1, 5, 15), (d) train MSE; mean over {seeds} seeds. " +
            "Solid: the trained networks; dashed: the NTK theory from each network's initial outputs. The paper shows the same picture: lower p fits high " +
            "frequencies faster, and the theory tracks the networks.", png, svg, ids);

        var all = new List<Plot>
        {
            MsePanel("Test error, every mapping", "test_mse", "theory_test_mse", runs, mappings, colors, log: true),
            MsePanel("Train error, every mapping", "train_mse", "theory_train_mse", runs, mappings, colors, log: true, Alignment.LowerLeft),
        };
        (png, svg) = FigureWriter.Save(Path.Combine(context.OutDir, "fig3-all-mappings"), all, columns: 2);
        yield return new FigureResult("fig3-all-mappings", "Every mapping against the theory", "Tancik et al. Fig. 12 (supplement)",
            $"As Fig. 3 (b, d) for all {mappings.Count} mappings on log axes, mean over {seeds} seeds; solid observed, dashed theory. " +
            "The reference notebook's supplementary figure silently drops p = ∞ and no mapping (a 5-colour palette for 7 curves); they are drawn here.", png, svg, ids);
    }

    static Plot FunctionsPanel(List<ConvergenceRun> runs, List<string> shown, Dictionary<string, Color> colors)
    {
        var plot = Plots.NewPlot("(a) Final learned functions", "x", "f(x)");
        int seed = runs.Min(r => r.Seed);
        var first = runs.First(r => r.Seed == seed);
        var slice = Enumerable.Range(0, first.X.Length).Where(i => first.X[i] >= 0.5 && first.X[i] < 0.75).ToArray();
        var xs = slice.Select(i => first.X[i]).ToArray();
        var target = plot.Add.ScatterLine(xs, slice.Select(i => first.Target[i]).ToArray(), Colors.Black);
        target.LineWidth = 3;
        target.LegendText = "Target";
        foreach (var mapping in shown)
        {
            var run = runs.FirstOrDefault(r => r.Seed == seed && r.Mapping == mapping);
            if (run is null) continue;
            var line = plot.Add.ScatterLine(xs, slice.Select(i => run.Prediction[i]).ToArray(), colors[mapping]);
            line.LineWidth = 2;
            line.LegendText = NtkConvergenceData.Label(mapping);
        }
        var train = first.TrainIndex.Where(i => first.X[i] >= 0.5 && first.X[i] < 0.75).ToArray();
        var points = plot.Add.Markers(train.Select(i => first.X[i]).ToArray(), train.Select(i => first.Target[i]).ToArray(), MarkerShape.OpenCircle, 10, Colors.Black);
        points.LegendText = "Training points";
        plot.ShowLegend(Edge.Right); // the target fills the panel
        return plot;
    }

    static double[] MeanOverSeeds(List<ConvergenceRun> runs, string mapping, string metric)
    {
        var selected = runs.Where(r => r.Mapping == mapping && r.Series.ContainsKey(metric)).ToList();
        if (selected.Count == 0) return [];
        int frames = selected.Min(r => r[metric].Length);
        return Enumerable.Range(0, frames).Select(f => selected.Average(r => r[metric][f])).ToArray();
    }

    static double[] StepsOf(List<ConvergenceRun> runs, string mapping) => runs.First(r => r.Mapping == mapping).Steps;

    static Plot MsePanel(string title, string observed, string theory, List<ConvergenceRun> runs, List<string> shown, Dictionary<string, Color> colors,
        bool log, Alignment legend = Alignment.UpperRight)
    {
        var plot = Plots.NewPlot(title, "Training iteration", "MSE" + (log ? "" : " (linear axis, as the paper's panel)"));
        var plotted = new List<double>();
        foreach (var mapping in shown)
        {
            var steps = StepsOf(runs, mapping);
            foreach (var (metric, dashed) in new[] { (observed, false), (theory, true) })
            {
                var values = MeanOverSeeds(runs, mapping, metric);
                if (values.Length == 0) continue;
                var ys = log ? LogAxis.Log10(values) : values;
                plotted.AddRange(ys);
                var line = plot.Add.ScatterLine(steps.Take(ys.Length).ToArray(), ys, colors[mapping]);
                line.LineWidth = 2;
                if (dashed) line.LinePattern = LinePattern.Dashed;
                else line.LegendText = NtkConvergenceData.Label(mapping);
            }
        }
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "theory (dashed)", LineColor = Colors.Gray, LinePattern = LinePattern.Dashed, LineWidth = 2 });
        if (log) LogAxis.FitDecades(plot, plotted);
        else plot.Axes.SetLimitsY(0, 1.05 * plotted.Where(double.IsFinite).DefaultIfEmpty(1).Max());
        plot.ShowLegend(legend);
        return plot;
    }

    static Plot ResidualPanel(List<ConvergenceRun> runs, List<string> shown, Dictionary<string, Color> colors)
    {
        var plot = Plots.NewPlot("(c) Train residual frequency components", "Training iteration", "|DFT of f − y| (32 training points)");
        LinePattern[] patterns = [LinePattern.Solid, LinePattern.Dashed, LinePattern.Dotted];
        var plotted = new List<double>();
        foreach (var mapping in shown)
        {
            var steps = StepsOf(runs, mapping);
            for (int b = 0; b < Bands.Length; b++)
            {
                var values = MeanOverSeeds(runs, mapping, $"residual/{Bands[b]}");
                if (values.Length == 0) continue;
                var ys = LogAxis.Log10(values);
                plotted.AddRange(ys);
                var line = plot.Add.ScatterLine(steps.Take(ys.Length).ToArray(), ys, colors[mapping]);
                line.LineWidth = 2;
                line.LinePattern = patterns[b];
                if (b == 0) line.LegendText = NtkConvergenceData.Label(mapping);
            }
        }
        string[] bandLabels = ["low (bin 1): solid", "mid (bin 5): dashed", "high (bin 15): dotted"];
        for (int b = 0; b < Bands.Length; b++)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = bandLabels[b], LineColor = Colors.Gray, LinePattern = patterns[b], LineWidth = 2 });
        LogAxis.FitDecades(plot, plotted);
        plot.ShowLegend(Edge.Right); // twelve curves: the legend goes beside the data
        return plot;
    }

    public IEnumerable<ReportBlock> ReportBlocks(AnalysisContext context)
    {
        var runs = NtkConvergenceData.Load(context);
        if (runs.Count == 0) yield break;
        yield return new ReportParagraph($"At the end of training (width {runs[0].Width}, iteration {runs[0].Steps[^1]:F0}), mean over " +
            $"{runs.Select(r => r.Seed).Distinct().Count()} seeds. \"Linearised\" is the same linear dynamics with the network's own (empirical) NTK at " +
            "initialisation instead of the analytic one: where it is no closer to the network than the analytic theory, the gap comes from the kernel " +
            "changing during training rather than from the finite-width scatter of the initial kernel.");
        var rows = new List<string[]>();
        foreach (var byMapping in runs.GroupBy(r => r.Mapping).OrderBy(g => NtkConvergenceData.Order(g.Key)))
        {
            string Final(string metric) => byMapping.Where(r => r.Series.ContainsKey(metric)).Select(r => r[metric][^1]).DefaultIfEmpty(double.NaN).Average().ToString("G3", CultureInfo.InvariantCulture);
            rows.Add([NtkConvergenceData.Label(byMapping.Key), Final("train_mse"), Final("theory_train_mse"), Final("linearized_train_mse"),
                Final("test_mse"), Final("theory_test_mse"), byMapping.Average(HighResidualRatio).ToString("G3", CultureInfo.InvariantCulture),
                byMapping.Average(r => r.EmpiricalNtkError).ToString("F3", CultureInfo.InvariantCulture)]);
        }
        yield return new ReportTable(["mapping", "train MSE", "theory", "linearised", "test MSE", "theory", "r_high (NTK-5)", "‖Θ_emp − Θ‖/‖Θ‖ at init"], rows);
    }
}
