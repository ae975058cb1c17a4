namespace FourierRepro.Analysis.SamplingWidth;

// The measurements behind the sampling-width claims, on one α's networks.
public static class SweepStats
{
    // Claim 1. Networks are binned by log2 RMS (bins `binOctaves` wide, aligned at integer multiples). In each bin that
    // holds networks of at least two distributions, the spread is max − min over distributions of their mean log10
    // test MSE; the range is max − min over bins of the bin's mean log10 test MSE (all distributions pooled).
    // Returns mean spread / range: small when the width (RMS) decides the error and the shape hardly matters.
    public static WidthVsShape WidthVsShape(AlphaSweep sweep, double binOctaves)
    {
        var bins = sweep.Sparse.GroupBy(n => (int)Math.Floor(Math.Log2(n.Rms) / binOctaves)).OrderBy(g => g.Key).ToList();
        var spreads = new List<double>();
        var binMeans = new List<double>();
        foreach (var bin in bins)
        {
            binMeans.Add(bin.Average(n => Math.Log10(n.TestMse)));
            var byDistribution = bin.GroupBy(n => n.Distribution).Select(g => g.Average(n => Math.Log10(n.TestMse))).ToList();
            if (byDistribution.Count >= 2) spreads.Add(byDistribution.Max() - byDistribution.Min());
        }
        double range = binMeans.Max() - binMeans.Min();
        double meanSpread = spreads.Count == 0 ? double.NaN : spreads.Average();
        return new WidthVsShape(meanSpread / range, meanSpread, spreads.Count == 0 ? double.NaN : spreads.Max(), range, spreads.Count, bins.Count);
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
