namespace FourierRepro.Experiments.Core;

// Tools to check Rahaman et al.'s Theorem 1 in 1D (PAPERS.md section C): a ReLU network is continuous and
// piecewise linear, so its Fourier coefficients fall off like 1/k² — once the jump of its periodic extension is
// removed. Samples are f(x_j) on x_j = a + j(b − a)/M, j = 0..M (both ends included).
public static class PiecewiseLinearSpectrum
{
    // Subtracts the line through (a, f(a)) and (b, f(b)), then the one-sided |DFT|/M of the first M samples
    // (the convention of Spectrum.OneSidedMagnitude): the corrected function is 0 at both ends, so its periodic
    // extension is continuous and only the slope jumps (kinks, and the one at the wrap-around) remain, each
    // contributing Δs·e^{−2πikx}/(2πk)² to the coefficient of frequency k.
    public static double[] EndpointCorrected(ReadOnlySpan<double> samples)
    {
        int m = samples.Length - 1;
        if (m < 2) throw new ArgumentException("need at least 3 samples (M + 1 with both ends)");
        double f0 = samples[0], f1 = samples[m];
        var g = new double[m];
        for (int j = 0; j < m; j++) g[j] = samples[j] - (f0 + (f1 - f0) * j / m);
        return Spectrum.OneSidedMagnitude(g);
    }

    // Without the correction: the periodic extension jumps by f(b) − f(a), which adds a 1/k tail.
    public static double[] Uncorrected(ReadOnlySpan<double> samples) => Spectrum.OneSidedMagnitude(samples[..^1]);

    public sealed record PowerLawFit(double Exponent, double Intercept, double[] BandK, double[] BandAmplitude);

    // Fits |F(k)| ≈ C·k^Exponent over kLow ≤ k < kHigh. The single coefficients of a piecewise-linear function
    // scatter (they are sums of Δs_j·e^{−2πikx_j} over the kinks, with phases that vary with k), so the fit is
    // on `bands` log-spaced bands: in each, the root mean square of |F(k)| at the band's geometric centre, then a
    // least-squares line through (log10 k, log10 rms).
    public static PowerLawFit FitPowerLaw(ReadOnlySpan<double> oneSided, int kLow, int kHigh, int bands)
    {
        if (kLow < 1 || kHigh > oneSided.Length || kHigh <= kLow || bands < 2)
            throw new ArgumentException($"fit range [{kLow}, {kHigh}) with {bands} bands does not fit a spectrum of {oneSided.Length} bins");
        var (bandK, bandRms) = SpectrumBands.LogBandRms(oneSided, kLow, kHigh, bands);
        if (bandK.Length < 2) throw new ArgumentException($"fewer than 2 non-empty bands in [{kLow}, {kHigh})");
        var (slope, intercept) = LeastSquaresLine(bandK.Select(Math.Log10).ToArray(), bandRms.Select(Math.Log10).ToArray());
        return new PowerLawFit(slope, intercept, bandK, bandRms);
    }

    static (double Slope, double Intercept) LeastSquaresLine(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        double slope = sxy / sxx;
        return (slope, my - slope * mx);
    }

    // The number of linear pieces resolved on the grid: 1 + the number of maximal runs of grid points whose second
    // difference |f_{j+1} − 2f_j + f_{j−1}| exceeds `tolerance`·(max|f| + 1) (a kink between two grid points bends
    // both neighbours' second differences; kinks closer than two grid steps count once, so this is a lower bound).
    public static int LinearPieces(ReadOnlySpan<double> samples, double tolerance = 1e-10)
    {
        double scale = 1;
        foreach (var v in samples) scale = Math.Max(scale, Math.Abs(v) + 1);
        double threshold = tolerance * scale;
        int pieces = 1;
        bool inRun = false;
        for (int j = 1; j < samples.Length - 1; j++)
        {
            bool bent = Math.Abs(samples[j + 1] - 2 * samples[j] + samples[j - 1]) > threshold;
            if (bent && !inRun) pieces++;
            inRun = bent;
        }
        return pieces;
    }
}
