using System.Globalization;
using FourierRepro.Analysis.Claims;
using FourierRepro.Analysis.Images;
using FourierRepro.Analysis.Plotting;
using FourierRepro.Storage;
using ScottPlot;

namespace FourierRepro.Analysis.Regression1D;

// The 1D demonstration (Tancik et al. 2020, cf. Figs. 3 and 4): trained networks' outputs over a 1/f^α target per
// mapping, and their train and test errors.
public sealed class Regression1DAnalysis : IAnalysisModule
{
    public const string ExperimentName = Regression1DContract.Experiment;
    const double MaxRatio = 0.5; // Fourier features at least halve no mapping's test MSE, geometric mean over units (a 3 dB PSNR gain)

    public string Experiment => ExperimentName;
    public string Title => "1D regression with Fourier features (Tancik et al. 2020, 1D demonstration)";

    public IReadOnlyList<Claim> Claims { get; } =
    [
        new("R1D-1", ExperimentName,
            "As for images, Fourier features let the network reach a lower test error than no mapping.",
            "Per unit (one signal of one seed: 3 signals x 2 seeds at smoke, 4 x 2 at standard and paper; a seed draws the same signals for every mapping), " +
            "log2 of the final test MSE (held-out odd samples) over no mapping's on the same signal, for the positional encoding and for the Gaussian mapping " +
            "at the middle σ of the configuration (fixed in advance, not the best one). The measured value is the larger of the two geometric-mean ratios " +
            "2^mean(log2 ratio).",
            $"both geometric-mean ratios <= {MaxRatio} (at least halving no mapping's test MSE: a 3 dB gain)", Scales.All, FourierBeatsNone)
        {
            NullHypothesis = "The mapping makes no difference to the test error: each unit's log ratio to no mapping's test MSE is symmetric about 0 " +
                             "(an intersection-union test: both mappings' exact sign-flip tests must reject).",
            ControlText = $"The same measure on the same runs at iteration 0 (the untrained networks' test MSE per signal, recorded as {Regression1DContract.InitialTestMse}): " +
                          "nothing is learned there, so the effect must be absent (the measure must stay short of the claim's bound there, whatever its p-value). Training with LearningRate=1e-12 gives the same control after training.",
            Power = "Exact sign-flip test over n signal x seed units: its smallest p is 2^-n, so n >= 5 units are needed for p < 0.05; smoke has 6 (1/64), " +
                    "standard and paper 8 (1/256).",
        },
    ];

    sealed record MappingRuns(string Label, string Mapping, double Sigma, List<RunRecord> Runs, double[] FinalTest, double[] FinalTrain);

    // Loaded once per report (and seed filter): the claim and the figures get the same objects.
    static List<MappingRuns> Load(AnalysisContext context) => context.Cached(ExperimentName, Read);

    static List<MappingRuns> Read(AnalysisContext context)
    {
        var runs = RunFamilies.Largest(context.CompletedRuns(ExperimentName), nameof(Regression1DConfig.Mappings), nameof(Regression1DConfig.GaussianSigmas));
        return runs.Select(r => (Run: r, Config: r.Config<Regression1DConfig>()))
            .GroupBy(r => (Mapping: r.Config.SingleMapping(), Sigma: r.Config.SingleSigma()), r => r.Run)
            .OrderBy(g => Order(g.Key.Mapping)).ThenBy(g => g.Key.Sigma)
            .Select(g => new MappingRuns(
                g.Key.Mapping == Regression1DConfig.Gaussian ? $"{Regression1DConfig.Gaussian} σ={g.Key.Sigma.ToString("G4", CultureInfo.InvariantCulture)}" : g.Key.Mapping,
                g.Key.Mapping, g.Key.Sigma, g.ToList(),
                g.SelectMany(r => context.Db.RequireArray(r.Id, Regression1DContract.FinalTestMse).Data).ToArray(),
                g.SelectMany(r => context.Db.RequireArray(r.Id, Regression1DContract.FinalTrainMse).Data).ToArray()))
            .ToList();
    }

    // A signal of one's own (Signal) is named by its file name; RunFamilies keeps one plan, hence one target.
    static string TargetName(List<MappingRuns> data) =>
        data[0].Runs[0].Config<Regression1DConfig>().Signal is { } file ? $"target {Path.GetFileName(file)}" : "1/f target";

    static int Order(string mapping) =>
        Array.IndexOf([Regression1DConfig.None, Regression1DConfig.Basic, Regression1DConfig.PosEnc, Regression1DConfig.Gaussian], mapping);

    // A run's per-signal array, keyed by (seed, signal index); null when a run lacks it (recorded before it existed).
    static Dictionary<(int Seed, int Signal), double>? PerUnit(AnalysisContext context, MappingRuns m, string array)
    {
        var units = new Dictionary<(int, int), double>();
        foreach (var r in m.Runs.GroupBy(r => r.Seed).Select(g => g.MaxBy(r => r.Id)!))
        {
            if (context.Db.ReadArray(r.Id, array) is not { } a) return null;
            for (int i = 0; i < a.Data.Length; i++) units[(r.Seed, i)] = a.Data[i];
        }
        return units;
    }

    // log2(MSE_mapping / MSE_none) per unit both have.
    static double[] LogRatios(Dictionary<(int, int), double> mapping, Dictionary<(int, int), double> none) =>
        none.Keys.Intersect(mapping.Keys).Order().Select(u => Math.Log2(mapping[u] / none[u])).ToArray();

    static ClaimResult? FourierBeatsNone(AnalysisContext context)
    {
        var data = Load(context);
        if (data.Count == 0) return null;
        var none = data.FirstOrDefault(m => m.Mapping == Regression1DConfig.None);
        var posenc = data.FirstOrDefault(m => m.Mapping == Regression1DConfig.PosEnc);
        var gaussians = data.Where(m => m.Mapping == Regression1DConfig.Gaussian).OrderBy(m => m.Sigma).ToList();
        if (none is null || posenc is null || gaussians.Count == 0)
            return ClaimResult.NotEvaluated("the claim needs the runs of no mapping, the positional encoding and the Gaussian mapping");
        var fourier = new[] { posenc, gaussians[(gaussians.Count - 1) / 2] };

        (double[][] LogRatios, double Worst)? Measure(string array)
        {
            var baseline = PerUnit(context, none, array);
            var per = fourier.Select(m => PerUnit(context, m, array)).ToList();
            if (baseline is null || per.Any(p => p is null)) return null;
            var ratios = per.Select(p => LogRatios(p!, baseline)).ToArray();
            return (ratios, ratios.Max(r => Math.Pow(2, r.Average())));
        }
        var final = Measure(Regression1DContract.FinalTestMse);
        var initial = Measure(Regression1DContract.InitialTestMse);
        if (final is null || initial is null)
            return ClaimResult.NotEvaluated($"a run lacks its per-signal test MSE at iteration 0 or at the end (recorded before {Regression1DContract.InitialTestMse} existed): rerun with --force");

        Significance Test(double[][] logRatios)
        {
            // Gains log2(none / mapping): positive when the mapping is better. The claim needs both mappings: p = the larger p.
            var tests = logRatios.Select(r => HypothesisTests.SignFlip(r.Select(v => -v).ToList(), 0, "signal x seed units")).ToList();
            int worst = tests[0].PValue >= tests[1].PValue ? 0 : 1;
            return tests[worst] with
            {
                Test = $"intersection-union test: the larger p of two exact sign-flip tests of log2(MSE_none / MSE_mapping) (posenc {tests[0].PValue:G3}, " +
                       $"{fourier[1].Label} {tests[1].PValue:G3}); values and interval of {fourier[worst].Label}",
            };
        }
        string Ratios(double[][] logRatios) => string.Join(", ", fourier.Select((m, i) => $"{m.Label} {Math.Pow(2, logRatios[i].Average()):G3}"));
        var control = Test(initial.Value.LogRatios);
        return new ClaimResult(final.Value.Worst, final.Value.Worst <= MaxRatio,
            $"geometric-mean test MSE / none's over {final.Value.LogRatios[0].Length} units: {Ratios(final.Value.LogRatios)}; mean test MSE per mapping: " +
            string.Join(", ", data.Select(m => $"{m.Label} {m.FinalTest.Average():G3} (train {m.FinalTrain.Average():G3})")),
            data.SelectMany(m => m.Runs.Select(r => r.Id)).ToArray())
        {
            Test = Test(final.Value.LogRatios),
            Control = new("untrained networks (iteration 0)", initial.Value.Worst, initial.Value.Worst <= MaxRatio,
                $"geometric-mean initial test MSE / none's: {Ratios(initial.Value.LogRatios)} (its test: p = {control.PValue:G3})"),
        };
    }

    public IEnumerable<FigureResult> DrawFigures(AnalysisContext context)
    {
        var data = Load(context);
        if (data.Count == 0) yield break;
        var runIds = data.SelectMany(m => m.Runs.Select(r => r.Id)).ToArray();

        // Outputs over the target on a window of 64 samples of the first signal of the lowest seed.
        var panels = new List<Plot>();
        foreach (var (m, i) in data.Select((m, i) => (m, i)))
        {
            var run = m.Runs.OrderBy(r => r.Seed).First();
            var x = context.Db.RequireArray(run.Id, Regression1DContract.X).Data;
            var target = context.Db.RequireArray(run.Id, Regression1DContract.Target).Row(0);
            var prediction = context.Db.RequireArray(run.Id, Regression1DContract.Prediction).Row(0);
            int start = x.Length / 2, n = Math.Min(64, x.Length - start);
            var wx = x.Skip(start).Take(n).ToArray();
            var plot = Plots.NewPlot($"{m.Label}: test MSE {m.FinalTest.Average():G2}", "x", "f(x)");
            var t = plot.Add.ScatterLine(wx, target.Skip(start).Take(n).ToArray(), Colors.Black);
            t.LineWidth = 1.5f;
            t.LegendText = "target";
            var p = plot.Add.ScatterLine(wx, prediction.Skip(start).Take(n).ToArray(), Plots.Palette[i % Plots.Palette.Length]);
            p.LineWidth = 2;
            p.LegendText = "network";
            var train = Enumerable.Range(start, n).Where(j => j % 2 == 0).ToArray();
            var markers = plot.Add.Markers(train.Select(j => x[j]).ToArray(), train.Select(j => target[j]).ToArray(), MarkerShape.OpenCircle, 6, Colors.Black);
            markers.LegendText = "training samples";
            if (i == 0) plot.ShowLegend(Alignment.UpperRight); else plot.HideLegend();
            panels.Add(plot);
        }
        var (png, svg) = FigureWriter.Save(Path.Combine(context.OutDir, "regression-1d-fits"), panels, columns: 3, panelHeight: 400);
        yield return new FigureResult("regression-1d-fits", "Trained networks over the target", "Tancik et al. Fig. 3(a) (1D, learned functions)",
            $"Each mapping's trained network (colour) over a window of the {TargetName(data)} (black), with the training samples (circles: every other sample; " +
            "the ones between are the test set). No mapping gives a smooth curve through the samples; Fourier features follow the signal; a too-large σ " +
            "passes through the training samples and oscillates between them.", png, svg, runIds);

        // Test MSE over training (log scale) and the final train/test MSE per mapping.
        var curves = Plots.NewPlot("Test MSE over training (mean over signals)", "Training iteration", "log10 test MSE");
        foreach (var (m, i) in data.Select((m, i) => (m, i)))
        {
            var series = m.Runs.Select(r => context.Db.MetricSeries(r.Id, Regression1DContract.TestMse)).ToList();
            int n = series.Min(s => s.Steps.Length);
            var xs = series[0].Steps.Take(n).Select(s => (double)s).ToArray();
            var ys = Enumerable.Range(0, n).Select(f => Math.Log10(series.Average(s => s.Values[f]))).ToArray();
            var line = curves.Add.ScatterLine(xs, ys, Plots.Palette[i % Plots.Palette.Length]);
            line.LineWidth = 2;
            line.LegendText = m.Label;
        }
        curves.ShowLegend(Alignment.UpperRight);

        var bars = Plots.NewPlot("Final error per mapping (mean over signals and seeds)", "", "log10 MSE");
        var positions = Enumerable.Range(0, data.Count).Select(i => (double)i).ToArray();
        var test = bars.Add.ScatterPoints(positions.Select(p => p + 0.12).ToArray(), data.Select(m => Math.Log10(m.FinalTest.Average())).ToArray(), Colors.Red);
        test.MarkerSize = 10;
        test.LegendText = "test (odd samples)";
        var trainPts = bars.Add.ScatterPoints(positions.Select(p => p - 0.12).ToArray(), data.Select(m => Math.Log10(m.FinalTrain.Average())).ToArray(), Colors.Green);
        trainPts.MarkerSize = 10;
        trainPts.MarkerShape = MarkerShape.FilledSquare;
        trainPts.LegendText = "train (even samples)";
        bars.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, data.Select(m => m.Label.Replace(Regression1DConfig.Gaussian + " ", "gauss\n")).ToArray());
        bars.Axes.SetLimitsX(-0.5, data.Count - 0.5);
        bars.ShowLegend(Alignment.LowerLeft);
        (png, svg) = FigureWriter.Save(Path.Combine(context.OutDir, "regression-1d-errors"), [curves, bars], columns: 2);
        yield return new FigureResult("regression-1d-errors", "Train and test error per mapping", "Tancik et al. Fig. 3(b, d) / Fig. 4 (1D errors)",
            "Left: test MSE over training. Right: final train and test MSE per mapping. Fourier features lower the test error; with σ far too small the " +
            "network underfits, far too large it fits the training samples and generalises worse.", png, svg, runIds);
    }
}
