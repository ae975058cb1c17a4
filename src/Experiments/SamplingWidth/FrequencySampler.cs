using FourierRepro.Experiments.Core;

namespace FourierRepro.Experiments.SamplingWidth;

// The four distributions of Fig. 4 (bval_generators in 1d_scatter_plots, PAPERS.md section F). Each is drawn at
// factor·sc, the factors chosen by the authors so that one sweep value sc gives similar widths for all four.
public static class FrequencySampler
{
    public const string Gaussian = SamplingWidthConfig.Gaussian, Uniform = SamplingWidthConfig.Uniform,
        UniformLog = SamplingWidthConfig.UniformLog, Laplace = SamplingWidthConfig.Laplace;

    public static readonly string[] All = SamplingWidthConfig.AllDistributions;

    public static double Factor(string distribution) => distribution switch
    {
        Gaussian => 32,
        Uniform => 64,
        UniformLog => 80,
        Laplace => 20,
        _ => throw new ConfigException($"sampling-width: unknown distribution '{distribution}' (known: {string.Join(", ", All)})"),
    };

    // m frequencies at sweep value `sc`, in units of cycles per unit interval, multiplied by `unit` afterwards (1 at
    // the paper's 1024 training points; see SamplingWidthConfig.FrequencyUnit).
    public static double[] Sample(string distribution, double sc, int m, double unit, Rng rng)
    {
        double s = Factor(distribution) * sc;
        var b = new double[m];
        for (int i = 0; i < m; i++)
            b[i] = unit * distribution switch
            {
                Gaussian => rng.Normal() * s,
                Uniform => rng.NextDouble() * s,
                UniformLog => Math.Pow(s, rng.NextDouble()),
                _ => rng.Laplace() * s,
            };
        return b;
    }

    // The figure's x axis: sqrt(mean(b²)), the RMS about 0 (the reference's b_stds; not the std about the mean,
    // which differs for the non-negative uniform and log-uniform draws).
    public static double Rms(IReadOnlyList<double> b) => Math.Sqrt(b.Average(v => v * v));

    // The empirical standard deviation about the sample mean (numpy's np.std, ddof = 0), recorded beside the RMS.
    public static double Std(IReadOnlyList<double> b)
    {
        double mean = b.Average();
        return Math.Sqrt(b.Average(v => (v - mean) * (v - mean)));
    }
}
