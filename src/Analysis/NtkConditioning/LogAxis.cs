using ScottPlot;

namespace FourierRepro.Analysis.NtkConditioning;

// ScottPlot 5 has no log axis: values are plotted as log10 and the axis gets decade ticks labelled 10ⁿ, with
// minor ticks at 2..9 × 10ⁿ.
public static class LogAxis
{
    public const double Floor = 1e-12; // zeros (and round-off negatives) are drawn at the floor rather than dropped

    public static double[] Log10(IEnumerable<double> values) => values.Select(v => Math.Log10(Math.Max(v, Floor))).ToArray();

    public static void Decades(IAxis axis, double minLog, double maxLog)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        int first = (int)Math.Floor(minLog), last = (int)Math.Ceiling(maxLog);
        double span = maxLog - minLog;
        int step = Math.Max(1, (last - first + 7) / 8); // at most ~8 labelled decades
        // Under two decades a plot would show one or two labels: label 2× and 5× too (all of 2..9× under one decade).
        int[] labelled = span < 1 ? [2, 3, 4, 5, 6, 7, 8, 9] : span < 2 ? [2, 5] : [];
        for (int e = first; e <= last; e++)
        {
            if ((e - first) % step == 0) ticks.AddMajor(e, "10" + Superscript(e));
            if (step > 1) continue;
            for (int m = 2; m <= 9; m++)
            {
                double position = e + Math.Log10(m);
                if (labelled.Contains(m)) ticks.AddMajor(position, $"{m}·10{Superscript(e)}");
                else ticks.AddMinor(position);
            }
        }
        axis.TickGenerator = ticks;
    }

    // Sets decade ticks and limits that cover every finite value of the plotted (log10) series, with a small margin.
    public static void FitDecades(Plot plot, IEnumerable<double> logValues, double? maxLog = null)
    {
        var finite = logValues.Where(double.IsFinite).ToList();
        if (finite.Count == 0) return;
        double lo = finite.Min(), hi = maxLog ?? finite.Max();
        double margin = Math.Max(0.05 * (hi - lo), 0.05);
        Decades(plot.Axes.Left, lo - margin, hi + margin);
        plot.Axes.SetLimitsY(lo - margin, hi + margin);
    }

    static string Superscript(int e)
    {
        const string digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        var text = Math.Abs(e).ToString().Select(c => digits[c - '0']);
        return (e < 0 ? "⁻" : "") + string.Concat(text);
    }
}
