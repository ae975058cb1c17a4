using System.Numerics;
using FourierRepro.Experiments.Core;
using MathNet.Numerics.IntegralTransforms;

namespace FourierRepro.Experiments.Regression1D;

// Tancik et al.'s sample_random_powerlaw (PAPERS.md "Shared 1D machinery"), kept private to regression-1d for now:
// the sampling-width experiment is adding a shared generator to Core, and the two are to be unified at merge.
// Spectrum (n₁ + i n₂)·(1 + min(k, N − k))^−α with n₁, n₂ ~ N(0, 1) per bin, signal = Re(ifft), no band limit (as
// Fig. 4), then scaled into [−0.5, 0.5].
public static class PowerLawNoise
{
    public static double[] Sample(int n, double alpha, Rng rng)
    {
        var spectrum = new Complex[n];
        for (int k = 0; k < n; k++)
        {
            double decay = Math.Pow(1 + Math.Min(k, n - k), -alpha);
            double re = rng.Normal(), im = rng.Normal();
            spectrum[k] = new Complex(re * decay, im * decay);
        }
        Fourier.Inverse(spectrum, FourierOptions.AsymmetricScaling); // numpy's ifft: 1/N on the inverse
        var s = spectrum.Select(c => c.Real).ToArray();
        double min = s.Min(), max = s.Max();
        return s.Select(v => (v - min) / (max - min) - 0.5).ToArray();
    }
}
