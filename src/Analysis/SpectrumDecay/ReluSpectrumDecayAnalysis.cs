using FourierRepro.Analysis.Plotting;
using ScottPlot;

namespace FourierRepro.Analysis.SpectrumDecay;

// Rahaman et al. 2019, Theorem 1 in 1D: the endpoint-corrected spectrum of a ReLU network decays like k^-2.
public sealed class ReluSpectrumDecayAnalysis : IAnalysisModule
{
    const double Expected = -2;
    const double MeanTolerance = 0.1;  // the mean over all networks: the band fit of one spectrum is good to a few hundredths (see the tests)
    const double EachTolerance = 0.35; // one network: where kinks closer than 1/k still interfere, an octave's local slope wanders by up to ±0.5

    public string Experiment => ReluSpectrumDecayData.Experiment;
    public string Title => "Spectral decay of ReLU networks (Rahaman et al. 2019, Theorem 1)";

    public IReadOnlyList<Claim> Claims { get; } =
    [
        new("DECAY-1", ReluSpectrumDecayData.Experiment,
            "Theorem 1: a ReLU network is a continuous piecewise-linear function, so in one dimension its Fourier coefficients decay like 1/k^2.",
            "Every network of the grid (depths x widths: 2 x 2 at smoke, one seed; 3 x 2 at standard, two seeds; 4 x 3 at paper, three seeds), at initialisation " +
            "and after training on Fig. 1's target, is evaluated in float64 on x = j/M, j = 0..M (M = 32768); the line through f(0) and f(1) is subtracted " +
            "(else the jump of the periodic extension adds a 1/k tail), the one-sided |DFT|/M taken, and log10|f(k)| fitted against log10 k by least squares " +
            "on the RMS of 12 log-spaced bands over 256 <= k < 4096. Measured: the mean exponent over all network states; the details give each one, " +
            "the exponent without the endpoint correction, and the linear pieces counted on the grid. " +
            "An identity, not a finding: every ReLU network, trained or not, of any depth and width, is continuous and piecewise linear by construction, " +
            "so nothing the data or the training do can make it fail; it checks the float64 evaluation, the endpoint correction and the band fit. " +
            "There is no empirical half to split off: what training changes (the number and place of the kinks, the constant in front of k^-2) is not what " +
            "Theorem 1 states, and the spectral bias it implies is tested by SB-1, SB-2 and PR-1. The check counts only when the same fit can give " +
            "something else: on the same functions with a jump (the spectrum without the endpoint correction, i.e. the periodic extension's " +
            "discontinuity, whose coefficients decay like 1/k) it must not find -2.",
            $"mean exponent within {Expected} ± {MeanTolerance}, and every exponent within {Expected} ± {EachTolerance} " +
            "(far from -1, a jump, and -3, a function with a continuous derivative); and the same bounds NOT met by the uncorrected spectra of the same networks", Scales.All,
            DecayExponent)
        {
            Kind = ClaimKind.Identity,
            ControlText = "The same networks' spectra without the endpoint correction (a function with a jump at the period's end): the same band fit must give " +
                          "about -1, outside the -2 bounds, or the fit cannot tell a kink from a jump and the identity proves nothing.",
        },
    ];

    static bool WithinBounds(IReadOnlyList<double> exponents) =>
        exponents.Count > 0 && Math.Abs(Stats.Mean(exponents) - Expected) <= MeanTolerance && exponents.All(p => Math.Abs(p - Expected) <= EachTolerance);

    internal static ClaimResult? DecayExponent(AnalysisContext context)
    {
        var states = ReluSpectrumDecayData.Load(context);
        if (states.Count == 0) return null;
        var exponents = states.Select(s => s.Exponent).ToList();
        var jumps = states.Select(s => s.UncorrectedExponent).ToList();
        double mean = Stats.Mean(exponents);
        double worst = states.Max(s => Math.Abs(s.Exponent - Expected));
        var control = new ControlResult("the same networks with a jump (no endpoint correction)", Stats.Mean(jumps), WithinBounds(jumps),
            $"mean exponent {Stats.Mean(jumps):F3}, min {jumps.Min():F2}, max {jumps.Max():F2}");
        var details = states.Select(s => $"run {s.RunId} {s.Network} {(s.Trained ? $"trained {s.Step}" : "init")}: " +
                                         $"{s.Exponent:F2} (uncorrected {s.UncorrectedExponent:F2}), {s.LinearPieces:F0} pieces");
        return new ClaimResult(mean, WithinBounds(exponents) && !control.EffectHolds,
            $"{states.Count} network states, exponent min {states.Min(s => s.Exponent):F2} max {states.Max(s => s.Exponent):F2}, largest |p + 2| {worst:F2}; " +
            string.Join("; ", details),
            states.Select(s => s.RunId).Distinct().ToArray()) { Control = control };
    }

    public IEnumerable<FigureResult> DrawFigures(AnalysisContext context)
    {
        var states = ReluSpectrumDecayData.Load(context);
        if (states.Count == 0) yield break;
        // One run per network shape in the spectrum panels (the first seed); every run in the exponent panel.
        var firstRuns = states.GroupBy(s => s.Network).Select(g => g.Min(s => s.RunId)).ToHashSet();
        var networks = states.Select(s => s.Network).Distinct().ToList();
        var panels = new List<Plot>
        {
            SpectrumPanel("(a) at initialisation", states.Where(s => !s.Trained && firstRuns.Contains(s.RunId)).ToList(), networks),
            SpectrumPanel($"(b) after {states.Where(s => s.Trained).Select(s => s.Step).DefaultIfEmpty().Max()} training steps",
                states.Where(s => s.Trained && firstRuns.Contains(s.RunId)).ToList(), networks),
            ExponentPanel(states),
        };
        var (png, svg) = FigureWriter.Save(Path.Combine(context.OutDir, "theorem1-spectrum-decay"), panels, columns: 3);
        yield return new FigureResult("theorem1-spectrum-decay", "Fourier spectrum of 1D ReLU networks decays like k^-2", "Rahaman et al. Theorem 1 (no figure in the paper)",
            "The networks are evaluated in float64 on 32769 points of [0, 1], the line through the two ends is subtracted, and the one-sided |DFT| is shown as the " +
            "RMS over log-spaced bins. Dashed: the least-squares power law over the fit range; dotted black: a k^-2 guide. " +
            "(c) The fitted exponents against the number of linear pieces on the grid: about -2 however many pieces, and about -1 without the endpoint correction.",
            png, svg, states.Select(s => s.RunId).Distinct().ToArray());
    }

    static Plot SpectrumPanel(string title, List<DecayState> states, List<string> networks)
    {
        var plot = Plots.NewPlot(title, "Frequency k [cycles on [0, 1]]", "|f(k)| (endpoint-corrected)");
        if (states.Count == 0) return plot;
        double yMin = double.MaxValue, yMax = double.MinValue;
        foreach (var s in states)
        {
            var color = Plots.Palette[networks.IndexOf(s.Network) % Plots.Palette.Length];
            var (k, rms) = ReluSpectrumDecayData.LogBinned(s.Spectrum, 60);
            var curve = plot.Add.ScatterLine(k.Select(Math.Log10).ToArray(), rms.Select(Math.Log10).ToArray(), color);
            curve.LineWidth = 2;
            curve.LegendText = $"{s.Network}: p = {s.Exponent:F2}";
            double[] fitX = [Math.Log10(s.FitLow), Math.Log10(s.FitHigh)];
            var fit = plot.Add.ScatterLine(fitX, fitX.Select(x => s.Intercept + s.Exponent * x).ToArray(), Colors.Black);
            fit.LineWidth = 1.5f;
            fit.LinePattern = LinePattern.Dashed;
            yMin = Math.Min(yMin, rms.Select(Math.Log10).Min());
            yMax = Math.Max(yMax, rms.Select(Math.Log10).Max());
        }
        // k^-2 guide, a decade above the highest curve at the start of the fit range.
        var top = states.MaxBy(s => s.Intercept + s.Exponent * Math.Log10(s.FitLow))!;
        double anchor = top.Intercept + top.Exponent * Math.Log10(top.FitLow) + 1 + 2 * Math.Log10(top.FitLow);
        double[] guideX = [1, Math.Log10(top.Spectrum.Length)];
        var guide = plot.Add.ScatterLine(guideX, guideX.Select(x => anchor - 2 * x).ToArray(), Colors.Black);
        guide.LinePattern = LinePattern.Dotted;
        guide.LineWidth = 2;
        guide.LegendText = "k⁻²";
        LogTicks.Apply(plot, 0, Math.Log10(top.Spectrum.Length), yMin, Math.Max(yMax, anchor - 2));
        plot.ShowLegend(Alignment.LowerLeft);
        plot.Legend.FontSize = 11;
        return plot;
    }

    static Plot ExponentPanel(List<DecayState> states)
    {
        var plot = Plots.NewPlot("(c) fitted exponents", "Linear pieces on the grid", "fitted exponent p in |f(k)| ~ k^p");
        void Series(IEnumerable<DecayState> subset, Func<DecayState, double> y, Color color, MarkerShape shape, string label)
        {
            var list = subset.ToList();
            if (list.Count == 0) return;
            var markers = plot.Add.Markers(list.Select(s => Math.Log10(s.LinearPieces)).ToArray(), list.Select(y).ToArray(), shape, 9, color);
            markers.LegendText = label;
        }
        var band = plot.Add.VerticalSpan(Expected - EachTolerance, Expected + EachTolerance);
        band.FillStyle.Color = Colors.Green.WithAlpha(0.12);
        band.LineStyle.Width = 0;
        band.LegendText = $"-2 ± {EachTolerance}";
        plot.Add.HorizontalLine(Expected, 1.5f, Colors.Green, LinePattern.Dashed);
        plot.Add.HorizontalLine(-1, 1, Colors.Gray, LinePattern.Dotted);
        Series(states.Where(s => !s.Trained), s => s.Exponent, Plots.Palette[0], MarkerShape.FilledCircle, "initialisation");
        Series(states.Where(s => s.Trained), s => s.Exponent, Plots.Palette[1], MarkerShape.FilledSquare, "trained");
        Series(states, s => s.UncorrectedExponent, Colors.Gray, MarkerShape.OpenTriangleUp, "without endpoint correction");
        double xMin = Math.Log10(states.Min(s => s.LinearPieces)) - 0.2, xMax = Math.Log10(states.Max(s => s.LinearPieces)) + 0.2;
        LogTicks.ApplyX(plot, xMin, xMax);
        plot.Axes.SetLimitsY(-3, -0.5);
        plot.ShowLegend(Alignment.LowerRight);
        plot.Legend.FontSize = 11;
        return plot;
    }
}

// Log axes: ScottPlot 5 plots log10 of the data, and these ticks label the decades.
public static class LogTicks
{
    public static void Apply(Plot plot, double xMin, double xMax, double yMin, double yMax)
    {
        ApplyX(plot, xMin, xMax);
        plot.Axes.Left.TickGenerator = Decades(yMin, yMax);
        plot.Axes.SetLimitsY(Math.Floor(yMin), Math.Ceiling(yMax));
    }

    public static void ApplyX(Plot plot, double xMin, double xMax)
    {
        plot.Axes.Bottom.TickGenerator = Decades(xMin, xMax);
        plot.Axes.SetLimitsX(xMin, xMax);
    }

    static ScottPlot.TickGenerators.NumericManual Decades(double min, double max)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        int lo = (int)Math.Ceiling(min - 1e-9), hi = (int)Math.Floor(max + 1e-9);
        int step = Math.Max(1, (hi - lo + 1) / 8);
        for (int e = lo; e <= hi; e++)
        {
            if ((e - lo) % step == 0) ticks.AddMajor(e, Label(e));
            for (int m = 2; m < 10; m++)
                if (e + Math.Log10(m) <= max) ticks.AddMinor(e + Math.Log10(m));
        }
        return ticks;
    }

    static string Label(int exponent) => "10" + string.Concat(exponent.ToString().Select(c => c switch
    {
        '-' => '⁻', '0' => '⁰', '1' => '¹', '2' => '²', '3' => '³', '4' => '⁴', '5' => '⁵', '6' => '⁶', '7' => '⁷', '8' => '⁸', _ => '⁹',
    }));
}
