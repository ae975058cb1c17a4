using System.Globalization;
using FourierRepro.Analysis.Claims;
using FourierRepro.Analysis.Plotting;
using ScottPlot;

namespace FourierRepro.Analysis.SamplingWidth;

// Tancik et al. 2020, Fig. 4 and supplementary Fig. 13: test (and train) MSE of MLPs with 16 sampled Fourier
// frequencies against the RMS of the sample, per distribution, with the dense baseline; and the claims they support.
public sealed class SamplingWidthAnalysis : IAnalysisModule
{
    const double BinOctaves = 1;         // SW-1: RMS bins one octave wide (the sweep steps by 1.125 octaves)
    // SW-1: with the error set by the width alone the ratio is about the curve's change across one 1-octave bin over its
    // change across the ~10 octaves of the sweep (0.1-0.2 for a U, whose sides are steeper than its mean slope; 0.12 on the
    // synthetic width-only sweep of SweepStatsTests); with errors that depend on neither (exchangeable) it is about 1. A third
    // lies between: the shape moves the error by at most a third of what the width does.
    const double MaxSpreadRatio = 1.0 / 3;
    // SW-3: "close" = within a factor 2 in test MSE (3 dB of PSNR) either way; the paper gives no number, only the figure.
    const double MaxDenseFactor = 2;
    const double Learned = 0.5;          // SW-3: the dense baseline learned when its final train MSE is at most half its initial

    const string UntrainedControl = "the untrained networks (iteration 0 of the same runs' recorded curves)";

    public string Experiment => SamplingWidthData.Experiment;
    public string Title => "Sampling-distribution width (Tancik et al. 2020, Fig. 4 and Fig. 13)";

    public IReadOnlyList<Claim> Claims { get; } =
    [
        new("SW-1", SamplingWidthData.Experiment,
            "The width of the sampling distribution matters far more than its shape: test error against the standard deviation of the sampled b_j falls on nearly one curve for Gaussian, uniform, uniform-log and Laplacian samples (Fig. 4).",
            $"Per alpha, every trained sparse network (all signals and seeds) is put in a bin of log2 RMS, sqrt(mean(b^2)), {BinOctaves:G} octave wide. " +
            "In each bin holding networks of at least two distributions, the spread is max - min over distributions of their mean log10 test MSE; " +
            "the range is max - min over bins of the bin's mean log10 test MSE. The ratio is the mean spread over bins / the range. " +
            "Measured: the largest ratio over the alphas (4 x 9 x signals networks per alpha: 36 at smoke, 72 at standard, 144 at paper). " +
            "Bound 1/3: width alone gives about the curve's change across one bin over its change across the sweep (0.1-0.2 for a U), errors that " +
            "depend on neither width nor shape give about 1.",
            $"max over alpha of mean within-bin spread / across-bin range <= {MaxSpreadRatio:F2}", Scales.All,
            WidthOverShape)
        {
            NullHypothesis = "within each alpha, the networks' test errors are exchangeable (they depend on neither the width nor the shape)",
            ControlText = UntrainedControl + ": their error does not depend on the width",
            Power = "Permutation test (20000 shuffles of the test MSEs over the networks of each alpha): smallest p 1/20001 at every scale.",
        },
        new("SW-2", SamplingWidthData.Experiment,
            "Too narrow a distribution underfits and too wide a one overfits: test error is U-shaped in the width, with its minimum strictly inside the sampled range, for every distribution (Fig. 4, 'Underfitting' / 'Overfitting').",
            "Per alpha and distribution, the curve is the mean over signals of log10 test MSE at each of the 9 sweep values (ordered by width). " +
            "Its depth is min(first, last) - min(curve) in decades: positive exactly when the minimum lies strictly inside the range (a property " +
            "of the statistic, hence the bound 0). Measured: the smallest depth over all alpha x distribution curves (12). The test is on the mean " +
            "depth: a flat noisy curve also has an interior minimum 7 times in 9. The shallowest curves are at alpha = 0.5: much of a 1/f^0.5 " +
            "signal's variance is at high frequencies (15 % of it above the training grid's Nyquist frequency at smoke, 11 % in the paper), " +
            "where no model predicts it, which lifts the bottom of the U.",
            "every curve's minimum strictly inside: smallest depth > 0", Scales.All,
            UShape)
        {
            NullHypothesis = "within each curve, the test errors are exchangeable over the 9 sweep values (no dependence on the width)",
            ControlText = UntrainedControl + ": no U by construction",
            Power = "Permutation test of the mean depth, values shuffled within each of the 12 curves: smallest p ~ 1/20001 at every scale.",
        },
        new("SW-3", SamplingWidthData.Experiment,
            "With a well-chosen width, 16 sampled frequencies come close to the dense set of all frequencies b = 1..N/2 with the tuned power-law weights a_j = b_j^-p (Fig. 4, dashed line).",
            "Per alpha, the best sparse configuration is the (distribution, sweep value) with the lowest test MSE averaged over signals; per signal " +
            "(alpha x signal), r = that configuration's test MSE on the signal / the dense net's test MSE on the same signal. Choosing the best of 36 " +
            "configurations on the test error flatters the sparse side a little. Measured: the largest factor max(r, 1/r) over the signals. " +
            $"Material progress: every dense net learned (final train MSE <= {Learned} x its initial). Bound: a factor {MaxDenseFactor:G} (3 dB of PSNR), " +
            "a round definition of 'close'; the paper gives only the figure.",
            $"every signal's max(r, 1/r) <= {MaxDenseFactor:G}, r = best sparse / dense test MSE", Scales.StandardAndPaper,
            SparseVersusDense)
        {
            NullHypothesis = "for each signal, the best sparse configuration is outside a factor 2 of the dense net with probability >= 1/2",
            ControlText = "the narrowest sweep value (its best distribution, chosen the same way): 16 frequencies of a few cycles cannot represent the signal",
            Power = "Sign test over signals (alpha x signal): smallest p 2^-n. Smoke has 3 signals (p >= 1/8), standard 6 (1/64), paper 12.",
        },
    ];

    // The control "shows the effect" when it would itself be reproduced: effect beyond the bound and p < 0.05.
    static ControlResult Control(string name, ClaimResult control) =>
        new(name, control.Measured, control.EffectHolds && control.Test is { Significant: true }, control.Details);

    static ClaimResult? WidthOverShape(AnalysisContext context)
    {
        var data = SamplingWidthData.Load(context);
        if (data.Count == 0) return null;
        return WidthOverShape(data, test: true) with { Control = Control("untrained networks", WidthOverShape(data.Select(a => a.AtInitialState()).ToList(), test: false)) };
    }

    // test = false (a control whose effect is absent needs no p-value): the permutations are skipped unless the effect holds.
    static ClaimResult WidthOverShape(List<AlphaSweep> data, bool test)
    {
        var layouts = data.Select(a => SweepStats.Layout(a, BinOctaves)).ToList();
        var logs = data.Select(a => a.Sparse.Select(n => Math.Log10(n.TestMse)).ToArray()).ToList();
        var stats = data.Select((a, i) => (a.Alpha, S: SweepStats.WidthVsShape(layouts[i], logs[i]))).ToList();
        double worst = stats.Max(s => s.S.Ratio);
        var ratios = stats.Select(s => s.S.Ratio).ToList();
        Significance? significance = null;
        if (test || worst <= MaxSpreadRatio)
        {
            // Smaller is the effect: the statistic is minus the largest ratio.
            double p = HypothesisTests.PermutationPValue(logs, groups => -groups.Select((g, i) => SweepStats.WidthVsShape(layouts[i], g).Ratio).Max());
            var (lo, hi) = HypothesisTests.BootstrapMeanInterval(ratios);
            significance = new Significance(p, lo, hi, ratios.Count, "alphas", "permutation test of the largest ratio, test MSEs shuffled over the networks of each alpha", ratios);
        }
        return new ClaimResult(worst, worst <= MaxSpreadRatio,
            string.Join("; ", stats.Select(s => $"alpha {s.Alpha:G}: ratio {s.S.Ratio:F3} (mean spread {s.S.MeanSpread:F3}, max {s.S.MaxSpread:F3} decades " +
                                                 $"over {s.S.SharedBins} shared bins of {s.S.Bins}; range {s.S.Range:F2} decades)")),
            data.SelectMany(a => a.RunIds).ToArray()) { Test = significance };
    }

    static ClaimResult? UShape(AnalysisContext context)
    {
        var data = SamplingWidthData.Load(context);
        if (data.Count == 0) return null;
        return UShape(data, test: true) with { Control = Control("untrained networks", UShape(data.Select(a => a.AtInitialState()).ToList(), test: false)) };
    }

    static ClaimResult UShape(List<AlphaSweep> data, bool test)
    {
        var details = new List<string>();
        var curves = new List<double[]>();
        foreach (var a in data)
            foreach (var d in a.Distributions)
            {
                var curve = a.MeanLogTest(d);
                var (depth, argMin) = SweepStats.UDepth(curve);
                curves.Add(curve);
                details.Add($"alpha {a.Alpha:G} {d}: min at sweep {argMin + 1}/{a.SweepValues.Length}, depth {depth:F3}");
            }
        var depths = curves.Select(c => SweepStats.UDepth(c).Depth).ToList();
        Significance? significance = null;
        if (test || depths.Min() > 0)
        {
            double p = HypothesisTests.PermutationPValue(curves, cs => cs.Average(c => SweepStats.UDepth(c).Depth));
            var (lo, hi) = HypothesisTests.BootstrapMeanInterval(depths);
            significance = new Significance(p, lo, hi, depths.Count, "curves", "permutation test of the mean depth, values shuffled over the sweep within each curve", depths);
        }
        return new ClaimResult(depths.Min(), depths.Min() > 0, $"mean depth {depths.Average():F3} decades; " + string.Join("; ", details),
            data.SelectMany(a => a.RunIds).ToArray()) { Test = significance };
    }

    static ClaimResult? SparseVersusDense(AnalysisContext context)
    {
        var data = SamplingWidthData.Load(context);
        if (data.Count == 0) return null;
        if (data.Any(a => a.DenseSignal is null)) return ClaimResult.NotEvaluated("the runs do not record which signal each dense net fitted");
        return SparseVersusDense(data, widest: true) with { Control = Control("narrowest sweep value", SparseVersusDense(data, widest: false)) };
    }

    // widest = false: the configuration is chosen among the narrowest sweep value only (the control).
    static ClaimResult SparseVersusDense(List<AlphaSweep> data, bool widest)
    {
        var details = new List<string>();
        var factors = new List<double>();
        var margins = new List<double>();
        bool learned = true;
        foreach (var a in data)
        {
            var best = a.Sparse.Where(n => widest || n.SweepIndex == 0)
                .GroupBy(n => (n.Distribution, n.SweepIndex)).MinBy(g => g.Average(n => n.TestMse))!.ToList();
            var ratios = new List<string>();
            for (int i = 0; i < a.DenseTestMse.Length; i++)
            {
                var net = best.FirstOrDefault(n => n.Signal == a.DenseSignal![i]);
                if (net is null) continue;
                double r = net.TestMse / a.DenseTestMse[i];
                factors.Add(Math.Max(r, 1 / r));
                margins.Add(Math.Log(MaxDenseFactor) - Math.Abs(Math.Log(r)));
                learned &= a.DenseInitialTrainMse is { } initial && a.DenseTrainMse[i] <= Learned * initial[i];
                ratios.Add($"{r:F2}");
            }
            details.Add($"alpha {a.Alpha:G}: {best[0].Distribution}, sweep {best[0].SweepIndex + 1}, RMS {best.Average(n => n.Rms):G3}, " +
                        $"test MSE {best.Average(n => n.TestMse):G3} vs dense {a.DenseTestMse.Average():G3} (p = {a.DensePower:G}): r = {string.Join(", ", ratios)}");
        }
        double worst = factors.Max();
        var test = HypothesisTests.SignTest(margins, 0, "signals");
        return new ClaimResult(worst, worst <= MaxDenseFactor && learned,
            (learned ? "" : "not every dense net learned; ") + string.Join("; ", details), data.SelectMany(a => a.RunIds).ToArray()) { Test = test };
    }

    public IEnumerable<FigureResult> DrawFigures(AnalysisContext context)
    {
        var data = SamplingWidthData.Load(context);
        if (data.Count == 0) yield break;
        var runIds = data.SelectMany(a => a.RunIds).ToArray();
        int signals = data.Min(a => a.DenseTestMse.Length);

        var (png, svg) = FigureWriter.Save(Path.Combine(context.OutDir, "fig4-sampling-width"),
            data.Select((a, i) => SweepPanels.Panel(a, i, withTrain: false)).ToList(), columns: data.Count);
        yield return new FigureResult("fig4-sampling-width", "Test error against the width of the sampled frequencies", "Tancik et al. Fig. 4",
            "Each marker is one trained 4-layer MLP with 16 sampled Fourier frequencies (a = 1), placed at the RMS sqrt(mean(b²)) of its sample " +
            "(the paper's axis, labelled there as a standard deviation). Dashed: the dense set b = 1..N/2 with a = b^-p, mean over " +
            $"{signals} signal(s) per α with a ±1 std band (none with a single signal). The paper shows a U: underfitting at small RMS, " +
            "overfitting at large RMS, all four distributions on one curve, the best close to the dense line.", png, svg, runIds);

        (png, svg) = FigureWriter.Save(Path.Combine(context.OutDir, "fig13-sampling-width-train"),
            data.Select((a, i) => SweepPanels.Panel(a, i, withTrain: true)).ToList(), columns: data.Count);
        yield return new FigureResult("fig13-sampling-width-train", "Train and test error against the width of the sampled frequencies", "Tancik et al. Fig. 13 (supplement)",
            "As Fig. 4 with a marker per distribution and the final training MSE added in a second colour: the training error keeps falling as the " +
            "width grows (down to float32 round-off once the network interpolates), while the test error turns up — the overfitting side of the U.", png, svg, runIds);
    }

    public IEnumerable<ReportBlock> ReportBlocks(AnalysisContext context)
    {
        var data = SamplingWidthData.Load(context);
        if (data.Count == 0) yield break;
        yield return new ReportParagraph("Best sparse configuration per α beside the dense baseline (test MSE on the odd grid points, mean over signals). " +
                                         "The paper gives these only as a figure.");
        yield return new ReportTable(["α", "dense p", "dense test MSE (mean ± std)", "best sparse test MSE", "distribution", "RMS of b", "ratio"],
            data.Select(a =>
            {
                var best = a.BestSparse();
                double mean = a.DenseTestMse.Average(), std = Stats.Std(a.DenseTestMse);
                return new[]
                {
                    a.Alpha.ToString("G", CultureInfo.InvariantCulture), a.DensePower.ToString("G", CultureInfo.InvariantCulture),
                    $"{mean:G3} ± {std:G2}", best.TestMse.ToString("G3", CultureInfo.InvariantCulture), best.Distribution,
                    best.Rms.ToString("G3", CultureInfo.InvariantCulture), (best.TestMse / mean).ToString("F2", CultureInfo.InvariantCulture),
                };
            }).ToList());
    }
}
