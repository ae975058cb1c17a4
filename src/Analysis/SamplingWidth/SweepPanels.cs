using FourierRepro.Analysis.Plotting;
using ScottPlot;

namespace FourierRepro.Analysis.SamplingWidth;

// One panel of Fig. 4 / Fig. 13: MSE (log10) against the RMS of the sampled frequencies (log2), a marker per
// distribution, the dense baseline dashed with a ±1 std band. Log axes are drawn as log values with power ticks.
public static class SweepPanels
{
    static readonly MarkerShape[] Shapes = [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond];
    static readonly Color TestColor = Plots.Palette[0], TrainColor = Plots.Palette[3], DenseColor = Colors.Black;

    public const string XLabel = "RMS of sampled b_j: sqrt(mean(b²)) [cycles per unit interval, log₂]";

    public static Plot Panel(AlphaSweep a, int index, bool withTrain)
    {
        string letter = ((char)('a' + index)).ToString();
        var plot = Plots.NewPlot($"({letter}) Data sampled from 1/f^{a.Alpha:G}", XLabel, withTrain ? "MSE (log scale)" : "Test MSE (log scale)");
        var xsAll = a.Sparse.Select(n => Math.Log2(n.Rms)).ToList();
        double xMin = Math.Floor(xsAll.Min()) - 0.5, xMax = Math.Ceiling(xsAll.Max()) + 0.5;

        // Dense baseline: mean over signals, band ±1 std (lower edge clamped to a tenth of the mean for the log axis).
        double mean = a.DenseTestMse.Average(), std = Stats.Std(a.DenseTestMse);
        var band = plot.Add.FillY([xMin, xMax], [Math.Log10(Math.Max(mean - std, mean / 10)), Math.Log10(Math.Max(mean - std, mean / 10))],
            [Math.Log10(mean + std), Math.Log10(mean + std)]);
        band.FillColor = DenseColor.WithAlpha(0.12);
        band.LineWidth = 0;
        var dense = plot.Add.HorizontalLine(Math.Log10(mean), 2, DenseColor, LinePattern.Dashed);
        if (!withTrain) dense.LegendText = "Dense"; // with train MSE the legend is built by hand below

        // The training grid's Nyquist frequency, N/2: sampled frequencies beyond it alias on the training points.
        double nyquist = Math.Log2(a.TrainPoints / 2.0);
        if (nyquist < xMax)
        {
            var line = plot.Add.VerticalLine(nyquist, 1, Colors.Gray, LinePattern.Dotted);
            if (!withTrain) line.LegendText = $"train Nyquist N/2 = {a.TrainPoints / 2}";
        }

        var ys = new List<double>();
        for (int d = 0; d < a.Distributions.Length; d++)
        {
            var nets = a.Of(a.Distributions[d]).ToList();
            var xs = nets.Select(n => Math.Log2(n.Rms)).ToArray();
            var test = nets.Select(n => Math.Log10(n.TestMse)).ToArray();
            ys.AddRange(test);
            var color = withTrain ? TestColor : Plots.Palette[d % Plots.Palette.Length];
            Points(plot, xs, test, Shapes[d % Shapes.Length], color, withTrain ? null : a.Distributions[d]);
            if (withTrain)
            {
                var train = nets.Select(n => Math.Log10(n.TrainMse)).ToArray();
                ys.AddRange(train);
                Points(plot, xs, train, Shapes[d % Shapes.Length], TrainColor, null);
            }
        }
        if (withTrain)
        {
            for (int d = 0; d < a.Distributions.Length; d++)
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = a.Distributions[d], MarkerShape = Shapes[d % Shapes.Length], MarkerSize = 8, MarkerFillColor = Colors.Gray, MarkerLineColor = Colors.Gray });
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "test", MarkerShape = MarkerShape.FilledSquare, MarkerSize = 10, MarkerFillColor = TestColor, MarkerLineColor = TestColor });
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "train", MarkerShape = MarkerShape.FilledSquare, MarkerSize = 10, MarkerFillColor = TrainColor, MarkerLineColor = TrainColor });
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "Dense (test)", LineColor = DenseColor, LineWidth = 2, LinePattern = LinePattern.Dashed });
            if (nyquist < xMax)
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"train Nyquist N/2 = {a.TrainPoints / 2}", LineColor = Colors.Gray, LineWidth = 1, LinePattern = LinePattern.Dotted });
        }
        ys.Add(Math.Log10(mean));
        double yMin = Math.Floor(ys.Min() * 2) / 2 - 0.25, yMax = Math.Ceiling(ys.Max() * 2) / 2 + 0.25;
        yMax += 0.05 * (yMax - yMin); // headroom for the Underfitting / Overfitting labels

        var under = plot.Add.Text("Underfitting", xMin + 0.2, yMax - 0.1);
        under.LabelFontSize = 12;
        under.LabelAlignment = Alignment.UpperLeft;
        var over = plot.Add.Text("Overfitting", xMax - 0.2, yMax - 0.1);
        over.LabelFontSize = 12;
        over.LabelAlignment = Alignment.UpperRight;

        plot.Axes.SetLimits(xMin, xMax, yMin, yMax);
        plot.Axes.Bottom.TickGenerator = PowerTicks(2, xMin, xMax, 1);
        plot.Axes.Left.TickGenerator = PowerTicks(10, yMin, yMax, Math.Max(1, (int)Math.Ceiling((yMax - yMin) / 8)));
        plot.ShowLegend(withTrain ? Alignment.LowerLeft : Alignment.UpperCenter); // the U leaves its top middle free
        return plot;
    }

    static void Points(Plot plot, double[] xs, double[] ys, MarkerShape shape, Color color, string? legend)
    {
        var points = plot.Add.ScatterPoints(xs, ys, color);
        points.MarkerShape = shape;
        points.MarkerSize = 7;
        if (legend is not null) points.LegendText = legend;
    }

    // Ticks at integer exponents between lo and hi (every `step`-th), labelled base^k; for base 10 over less than
    // 2.5 decades also at 2·10^k and 5·10^k, so that a short axis keeps several labels.
    static ScottPlot.TickGenerators.NumericManual PowerTicks(int @base, double lo, double hi, int step)
    {
        var ticks = new List<(double Position, string Label)>();
        for (int k = (int)Math.Floor(lo); k <= (int)Math.Ceiling(hi); k++)
        {
            if (k % step == 0) ticks.Add((k, @base + Superscript(k)));
            if (@base == 10 && hi - lo < 2.5)
                foreach (var m in new[] { 2, 5 }) ticks.Add((k + Math.Log10(m), $"{m}·10{Superscript(k)}"));
        }
        ticks.RemoveAll(t => t.Position < lo || t.Position > hi);
        return new ScottPlot.TickGenerators.NumericManual(ticks.Select(t => t.Position).ToArray(), ticks.Select(t => t.Label).ToArray());
    }

    static string Superscript(int k) => string.Concat(k.ToString().Select(c => c switch
    {
        '-' => '⁻', '0' => '⁰', '1' => '¹', '2' => '²', '3' => '³', '4' => '⁴', '5' => '⁵', '6' => '⁶', '7' => '⁷', '8' => '⁸', _ => '⁹',
    }));
}
