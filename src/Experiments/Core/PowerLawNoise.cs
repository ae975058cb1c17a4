namespace FourierRepro.Experiments.Core;

// Tancik et al.'s random 1D signals (PAPERS.md, "Shared 1D machinery", sample_random_powerlaw): spectrum
// (n1 + i·n2)·(1 + min(k, N − k))^−α with n1, n2 ~ N(0, 1) per bin, signal = Re(ifft(spectrum)), then rescaled
// into [−0.5, 0.5]. Amplitude ∝ (1 + |k|)^−α: "1/f^α noise".
public static class PowerLawNoise
{
    // bandLimited: the 1d_regression notebook's decay[N/4:] = 0, which keeps bins 0..N/4 − 1 (and drops every
    // negative-frequency bin before the real part is taken). Every bin's two normals are drawn either way, so the
    // stream does not depend on the band limit.
    public static double[] Sample(int n, double alpha, Rng rng, bool bandLimited)
    {
        if (n < 4) throw new ArgumentOutOfRangeException(nameof(n), "need at least 4 samples");
        var re = new double[n];
        var im = new double[n];
        for (int k = 0; k < n; k++)
        {
            double decay = Math.Pow(1 + Math.Min(k, n - k), -alpha);
            if (bandLimited && k >= n / 4) decay = 0;
            double n1 = rng.Normal(), n2 = rng.Normal();
            re[k] = n1 * decay;
            im[k] = n2 * decay;
        }
        var cos = new double[n];
        var sin = new double[n];
        for (int i = 0; i < n; i++) (sin[i], cos[i]) = Math.SinCos(2 * Math.PI * i / n);
        var signal = new double[n];
        for (int t = 0; t < n; t++)
        {
            double s = 0;
            for (int k = 0; k < n; k++)
            {
                int phase = (int)((long)k * t % n); // e^{2πi kt/n}, exact index reduction
                s += re[k] * cos[phase] - im[k] * sin[phase];
            }
            signal[t] = s / n;                                       // numpy's ifft scaling (irrelevant after the rescale)
        }
        double min = signal.Min(), max = signal.Max();
        for (int t = 0; t < n; t++) signal[t] = (signal[t] - min) / (max - min) - 0.5;
        return signal;
    }
}
