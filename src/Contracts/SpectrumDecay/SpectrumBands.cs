namespace FourierRepro.Contracts;

// The log-band RMS of a one-sided spectrum, shared by the experiment's power-law fit (which it records) and the
// figure's light curve, so that the two cannot drift apart.
public static class SpectrumBands
{
    // `bands` log-spaced bands over kLow ≤ k < kHigh; in each, the root mean square of |F(k)| placed at the band's
    // geometric centre. Empty and all-zero bands are skipped.
    public static (double[] K, double[] Rms) LogBandRms(ReadOnlySpan<double> oneSided, int kLow, int kHigh, int bands)
    {
        var bandK = new List<double>();
        var bandRms = new List<double>();
        double ratio = Math.Pow((double)kHigh / kLow, 1.0 / bands);
        for (int i = 0; i < bands; i++)
        {
            int lo = (int)Math.Round(kLow * Math.Pow(ratio, i)), hi = (int)Math.Round(kLow * Math.Pow(ratio, i + 1));
            if (i == bands - 1) hi = kHigh;
            if (hi <= lo) continue;
            double power = 0;
            for (int k = lo; k < hi; k++) power += oneSided[k] * oneSided[k];
            if (power <= 0) continue;
            bandK.Add(Math.Sqrt((double)lo * (hi - 1)));
            bandRms.Add(Math.Sqrt(power / (hi - lo)));
        }
        return (bandK.ToArray(), bandRms.ToArray());
    }
}
