using System.Numerics;
using MathNet.Numerics.IntegralTransforms;

namespace FourierRepro.Experiments.Core;

// Tancik et al.'s random 1/f^α signals (sample_random_powerlaw in 1d_regression / 1d_scatter_plots / 1d_ntk_opt,
// PAPERS.md Part II "Shared 1D machinery"): a complex Gaussian spectrum shaped by (1 + |k|)^−α, real part of its
// inverse DFT. The amplitude falls like (1 + |k|)^−α, so the power falls like 1/f^{2α}; the paper calls it 1/f^α noise.
public static class PowerLawSignals
{
    // decay[k] = coords[k]^−α with coords[k] = 1 + min(k, N − k) (for N = 16: 1, 2, …, 9, 8, …, 2). With
    // `bandLimited` (1d_regression only) decay[N/4:] = 0: bins 0..N/4 − 1 are kept and every negative-frequency bin
    // is zeroed before the real part is taken.
    public static double[] Decay(int n, double alpha, bool bandLimited = false)
    {
        if (n < 2) throw new ArgumentOutOfRangeException(nameof(n), n, "a signal needs at least 2 points");
        var decay = new double[n];
        for (int k = 0; k < n; k++)
            decay[k] = bandLimited && k >= n / 4 ? 0 : Math.Pow(1 + Math.Min(k, n - k), -alpha);
        return decay;
    }

    // One signal of N points: real(ifft((z1 + i·z2) · decay)), with z1, z2 ~ N(0, 1) drawn per bin in the reference's
    // order (random.normal(key, [N, 2]) row by row: z1[k], z2[k], z1[k+1], …) and numpy's 1/N on the inverse.
    // The values are small (≈ 1/N scale); normalise with NormalizeJointly as the reference does.
    public static double[] Sample(int n, double alpha, Rng rng, bool bandLimited = false)
    {
        var decay = Decay(n, alpha, bandLimited);
        var spectrum = new Complex[n];
        for (int k = 0; k < n; k++)
        {
            double re = rng.Normal(), im = rng.Normal();
            spectrum[k] = new Complex(re, im) * decay[k];
        }
        Fourier.Inverse(spectrum, FourierOptions.AsymmetricScaling); // 1/N on the inverse only, as numpy.fft.ifft
        var signal = new double[n];
        for (int j = 0; j < n; j++) signal[j] = spectrum[j].Real;
        return signal;
    }

    // One signal normalised on its own into [−0.5, 0.5] (1d_regression's target; Fig. 4 normalises a batch jointly).
    public static double[] SampleNormalized(int n, double alpha, Rng rng, bool bandLimited = false)
    {
        var signal = Sample(n, alpha, rng, bandLimited);
        NormalizeJointly([signal]);
        return signal;
    }

    // `count` independent signals of N points, jointly normalised into [−0.5, 0.5] (Fig. 4's data_maker: one min and
    // one max over the whole batch).
    public static double[][] SampleBatch(int count, int n, double alpha, Rng rng, bool bandLimited = false)
    {
        var batch = new double[count][];
        for (int i = 0; i < count; i++) batch[i] = Sample(n, alpha, rng, bandLimited);
        NormalizeJointly(batch);
        return batch;
    }

    // s ← (s − min) / (max − min) − 0.5 with min and max over every value of every signal; in place.
    public static void NormalizeJointly(IReadOnlyList<double[]> signals)
    {
        double min = signals.Min(s => s.Min()), max = signals.Max(s => s.Max());
        if (!(max > min)) throw new ArgumentException("cannot normalise constant signals");
        foreach (var s in signals)
            for (int j = 0; j < s.Length; j++) s[j] = (s[j] - min) / (max - min) - 0.5;
    }
}
