namespace FourierRepro.Experiments.Core;

public static class Signals
{
    // N equally spaced points on [0, 1), no endpoint (numpy arange(0, 1, 1/N)).
    public static double[] UnitGrid(int n)
    {
        var t = new double[n];
        for (int i = 0; i < n; i++) t[i] = (double)i / n;
        return t;
    }

    // Rahaman et al.'s target λ(z) = Σ A_i sin(2π k_i z + φ_i), phases φ_i ~ U(0, 2π) drawn from `rng`
    // (the reference draws 2π·U(0,1), the same thing). Returns the phases used.
    public static double[] PhasedWaves(ReadOnlySpan<double> z, ReadOnlySpan<int> frequencies, ReadOnlySpan<double> amplitudes, Rng rng, out double[] phases)
    {
        if (frequencies.Length != amplitudes.Length) throw new ArgumentException($"{frequencies.Length} frequencies but {amplitudes.Length} amplitudes");
        phases = new double[frequencies.Length];
        for (int i = 0; i < phases.Length; i++) phases[i] = 2 * Math.PI * rng.NextDouble();
        return PhasedWaves(z, frequencies, amplitudes, phases);
    }

    public static double[] PhasedWaves(ReadOnlySpan<double> z, ReadOnlySpan<int> frequencies, ReadOnlySpan<double> amplitudes, ReadOnlySpan<double> phases)
    {
        var y = new double[z.Length];
        for (int j = 0; j < z.Length; j++)
        {
            double s = 0;
            for (int i = 0; i < frequencies.Length; i++) s += amplitudes[i] * Math.Sin(2 * Math.PI * frequencies[i] * z[j] + phases[i]);
            y[j] = s;
        }
        return y;
    }
}
