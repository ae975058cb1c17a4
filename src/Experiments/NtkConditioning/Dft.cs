namespace FourierRepro.Experiments.NtkConditioning;

public static class Dft
{
    // |Σ_j v_j e^{−2πi kj/n}| at every bin k = 0..n−1 (numpy's fft order, unnormalised), in float64.
    public static double[] Magnitude(IReadOnlyList<double> values) => Magnitude(values, Enumerable.Range(0, values.Count).ToArray());

    public static double[] Magnitude(IReadOnlyList<double> values, IReadOnlyList<int> bins)
    {
        int n = values.Count;
        var result = new double[bins.Count];
        for (int b = 0; b < bins.Count; b++)
        {
            double re = 0, im = 0;
            for (int j = 0; j < n; j++)
            {
                var (sin, cos) = Math.SinCos(2 * Math.PI * ((long)bins[b] * j % n) / n);
                re += values[j] * cos;
                im -= values[j] * sin;
            }
            result[b] = Math.Sqrt(re * re + im * im);
        }
        return result;
    }

    // Re and Im of Σ_j v_j e^{−2πi kj/n} at every bin k = 0..n−1 (numpy's fft order, unnormalised), in float64.
    public static (double[] Real, double[] Imag) Complex(IReadOnlyList<double> values)
    {
        int n = values.Count;
        var re = new double[n];
        var im = new double[n];
        for (int k = 0; k < n; k++)
            for (int j = 0; j < n; j++)
            {
                var (sin, cos) = Math.SinCos(2 * Math.PI * ((long)k * j % n) / n);
                re[k] += values[j] * cos;
                im[k] -= values[j] * sin;
            }
        return (re, im);
    }
}
