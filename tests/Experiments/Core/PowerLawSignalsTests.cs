using System.Numerics;
using FourierRepro.Experiments.Core;
using MathNet.Numerics.IntegralTransforms;

namespace FourierRepro.Tests;

public sealed class PowerLawSignalsTests
{
    [Fact]
    public void Decay_uses_the_reference_coordinates_and_band_limit()
    {
        // PAPERS.md: coords for N = 16 are [1, 2, …, 9, 8, …, 2]; decay = coords^−α; the band limit zeroes decay[N/4:].
        int[] coords = [1, 2, 3, 4, 5, 6, 7, 8, 9, 8, 7, 6, 5, 4, 3, 2];
        var decay = PowerLawSignals.Decay(16, 1.5);
        for (int k = 0; k < 16; k++) Check.Close(Math.Pow(coords[k], -1.5), decay[k], 1e-15, $"decay[{k}]");
        var limited = PowerLawSignals.Decay(16, 1.5, bandLimited: true);
        for (int k = 0; k < 16; k++) Check.Close(k < 4 ? decay[k] : 0, limited[k], 0, $"band-limited decay[{k}]");
    }

    [Fact]
    public void A_signal_is_the_real_part_of_the_inverse_dft_of_the_shaped_gaussian_spectrum()
    {
        int n = 24;
        double alpha = 0.7;
        var signal = PowerLawSignals.Sample(n, alpha, new Rng(9));
        var rng = new Rng(9); // the same draws: z1[k], z2[k] per bin, in bin order
        var decay = PowerLawSignals.Decay(n, alpha);
        var spectrum = Enumerable.Range(0, n).Select(k => { double re = rng.Normal(), im = rng.Normal(); return new Complex(re, im) * decay[k]; }).ToArray();
        for (int j = 0; j < n; j++)
        {
            Complex sum = 0;
            for (int k = 0; k < n; k++) sum += spectrum[k] * Complex.Exp(new Complex(0, 2 * Math.PI * k * j / n));
            Check.Close(sum.Real / n, signal[j], 1e-13, $"s[{j}] against a direct inverse DFT with numpy's 1/N");
        }
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.5)]
    public void Power_falls_like_one_over_f_to_the_two_alpha(double alpha)
    {
        // The real part halves the power of each bin and mixes it with bin N − k, which has the same decay, so
        // E|S_k|² ∝ (1 + k)^−2α exactly. 400 signals: each bin's mean has ~5 % noise; the fitted slope is far tighter.
        int n = 256, count = 400;
        var rng = new Rng(21);
        var power = new double[n / 2];
        for (int s = 0; s < count; s++)
        {
            var spectrum = PowerLawSignals.Sample(n, alpha, rng).Select(v => new Complex(v, 0)).ToArray();
            Fourier.Forward(spectrum, FourierOptions.AsymmetricScaling);
            for (int k = 0; k < n / 2; k++) power[k] += spectrum[k].Magnitude * spectrum[k].Magnitude / count;
        }
        var ks = Enumerable.Range(2, 100).ToArray();
        var x = ks.Select(k => Math.Log(1 + k)).ToArray();
        var y = ks.Select(k => Math.Log(power[k])).ToArray();
        double mx = x.Average(), my = y.Average();
        double slope = x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my)) / x.Sum(v => (v - mx) * (v - mx));
        Check.Close(-2 * alpha, slope, 0.1, "log-log slope of the mean power spectrum over k = 2..101");
    }

    [Fact]
    public void Band_limited_signals_have_no_power_from_n_over_4_up()
    {
        int n = 64;
        var spectrum = PowerLawSignals.Sample(n, 1, new Rng(3), bandLimited: true).Select(v => new Complex(v, 0)).ToArray();
        Fourier.Forward(spectrum, FourierOptions.AsymmetricScaling);
        for (int k = n / 4; k <= n / 2; k++) Check.Close(0, spectrum[k].Magnitude, 1e-12, $"|S_{k}| above the band limit");
        Assert.True(Enumerable.Range(1, n / 4 - 1).All(k => spectrum[k].Magnitude > 1e-6), "a bin below the band limit is empty");
    }

    [Fact]
    public void A_batch_is_normalised_jointly_into_minus_half_to_half()
    {
        int n = 128, count = 4;
        var batch = PowerLawSignals.SampleBatch(count, n, 1.0, new Rng(5));
        var rng = new Rng(5);
        var raw = Enumerable.Range(0, count).Select(_ => PowerLawSignals.Sample(n, 1.0, rng)).ToArray();
        double min = raw.Min(s => s.Min()), max = raw.Max(s => s.Max());
        for (int i = 0; i < count; i++)
            for (int j = 0; j < n; j++)
                Check.Close((raw[i][j] - min) / (max - min) - 0.5, batch[i][j], 1e-12, $"signal {i} point {j}: one affine map for the whole batch");
        Check.Close(-0.5, batch.Min(s => s.Min()), 1e-12, "batch minimum");
        Check.Close(0.5, batch.Max(s => s.Max()), 1e-12, "batch maximum");
        Assert.Equal(batch[2], PowerLawSignals.SampleBatch(count, n, 1.0, new Rng(5))[2]);
    }
}
