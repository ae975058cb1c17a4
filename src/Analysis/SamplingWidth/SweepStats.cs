namespace FourierRepro.Analysis.SamplingWidth;

// The measurements behind the sampling-width claims, on one α's networks.
public static class SweepStats
{
    // Claim 1. Networks are binned by log2 RMS (bins `binOctaves` wide, aligned at integer multiples). In each bin that
    // holds networks of at least two distributions, the spread is max − min over distributions of their mean log10
    // test MSE; the range is max − min over bins of the bin's mean log10 test MSE (all distributions pooled).
    // Returns mean spread / range: small when the width (RMS) decides the error and the shape hardly matters.
    public static WidthVsShape WidthVsShape(AlphaSweep sweep, double binOctaves) =>
        WidthVsShape(Layout(sweep, binOctaves), sweep.Sparse.Select(n => Math.Log10(n.TestMse)).ToArray());

    // Bin and distribution of every network, computed once so that the permutation test can re-evaluate the statistic
    // on shuffled errors cheaply.
    public sealed record BinLayout(int[] Bin, int[] Distribution, int Bins, int Distributions);

    public static BinLayout Layout(AlphaSweep sweep, double binOctaves)
    {
        var keys = sweep.Sparse.Select(n => (int)Math.Floor(Math.Log2(n.Rms) / binOctaves)).ToArray();
        var distinct = keys.Distinct().Order().ToList();
        var distributions = sweep.Sparse.Select(n => n.Distribution).Distinct().ToList();
        return new BinLayout(keys.Select(k => distinct.IndexOf(k)).ToArray(), sweep.Sparse.Select(n => distributions.IndexOf(n.Distribution)).ToArray(),
            distinct.Count, distributions.Count);
    }

    public static WidthVsShape WidthVsShape(BinLayout layout, IReadOnlyList<double> logTest)
    {
        var sum = new double[layout.Bins, layout.Distributions];
        var count = new int[layout.Bins, layout.Distributions];
        for (int k = 0; k < logTest.Count; k++)
        {
            sum[layout.Bin[k], layout.Distribution[k]] += logTest[k];
            count[layout.Bin[k], layout.Distribution[k]]++;
        }
        var spreads = new List<double>();
        var binMeans = new List<double>();
        for (int b = 0; b < layout.Bins; b++)
        {
            double total = 0, lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            int n = 0, present = 0;
            for (int d = 0; d < layout.Distributions; d++)
            {
                if (count[b, d] == 0) continue;
                double mean = sum[b, d] / count[b, d];
                (lo, hi, total, n, present) = (Math.Min(lo, mean), Math.Max(hi, mean), total + sum[b, d], n + count[b, d], present + 1);
            }
            binMeans.Add(total / n);
            if (present >= 2) spreads.Add(hi - lo);
        }
        double range = binMeans.Max() - binMeans.Min();
        double meanSpread = spreads.Count == 0 ? double.NaN : spreads.Average();
        return new WidthVsShape(meanSpread / range, meanSpread, spreads.Count == 0 ? double.NaN : spreads.Max(), range, spreads.Count, layout.Bins);
    }

    // Claim 2. The shallower side of the U of one distribution's curve (mean log10 test MSE per sweep value): how far,
    // in decades, the lower of the two end points lies above the curve's minimum; negative or zero when the minimum
    // is at an end. Also the index of the minimum.
    public static (double Depth, int ArgMin) UDepth(IReadOnlyList<double> curve)
    {
        int argMin = 0;
        for (int i = 1; i < curve.Count; i++) if (curve[i] < curve[argMin]) argMin = i;
        return (Math.Min(curve[0], curve[^1]) - curve[argMin], argMin);
    }
}

public sealed record WidthVsShape(double Ratio, double MeanSpread, double MaxSpread, double Range, int SharedBins, int Bins);
