using FourierRepro.Experiments.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace FourierRepro.Tests;

public sealed class LinearDynamicsTests
{
    // A small NTK problem: 16 training points of the p = 1 mapping, 24 test points, width 256.
    static (Tensor Theta, Tensor ThetaTd, double[] Y, double[] F0, double[] F0Test) Problem()
    {
        var mapping = InputMapping.PowerLaw1D(16, 1);
        var xTrain = Enumerable.Range(0, 16).Select(i => i / 16.0).ToArray();
        var xTest = Enumerable.Range(0, 24).Select(i => (i + 0.5) / 24).ToArray();
        var spec = new NtkSpec(4, 256);
        var train = torch.tensor(mapping.Encode(xTrain), [16, 32]);
        var test = torch.tensor(mapping.Encode(xTest), [24, 32]);
        var rng = new Rng(9);
        return (Ntk.Kernel(spec, train, train), Ntk.Kernel(spec, test, train),
            xTrain.Select(x => Math.Sin(2 * Math.PI * 3 * x) + 0.3 * rng.Normal()).ToArray(),
            Enumerable.Range(0, 16).Select(_ => 0.1 * rng.Normal()).ToArray(),
            Enumerable.Range(0, 24).Select(_ => 0.1 * rng.Normal()).ToArray());
    }

    [Fact]
    public void Starts_at_the_initial_outputs_and_ends_at_kernel_regression_from_them()
    {
        using var scope = torch.NewDisposeScope();
        var (theta, td, y, f0, f0Test) = Problem();
        var dynamics = new LinearDynamics(theta, td);
        var (train0, test0) = dynamics.Predict(y, f0, f0Test, 0);
        for (int i = 0; i < 16; i++) Check.Close(f0[i], train0[i], 1e-12, $"f_train(0)[{i}]");
        for (int i = 0; i < 24; i++) Check.Close(f0Test[i], test0[i], 1e-12, $"f_test(0)[{i}]");

        // t → ∞: f_train = y and f_test = f₀_test + Θ_td Θ^{−1} (y − f₀) (kernel regression of the initial residual).
        double slowest = dynamics.Eigenvalues.Min();
        Assert.True(slowest > 0, $"Θ should be positive definite, smallest eigenvalue {slowest}");
        var (trainInf, testInf) = dynamics.Predict(y, f0, f0Test, 60 / slowest);
        var residual = torch.tensor(y.Zip(f0, (a, b) => a - b).ToArray());
        var regression = KernelRegression.Predict(theta, td, residual).data<double>().ToArray();
        for (int i = 0; i < 16; i++) Check.Close(y[i], trainInf[i], 1e-9, $"f_train(∞)[{i}]");
        for (int i = 0; i < 24; i++) Check.Close(f0Test[i] + regression[i], testInf[i], 1e-6, $"f_test(∞)[{i}]");
    }

    [Fact]
    public void Matches_gradient_descent_on_the_linearised_model_with_a_small_learning_rate()
    {
        // Linearised network, GD on ½Σ(f − y)²: f ← f − ηΘ(f − y), f_test ← f_test − ηΘ_td(f − y). With ηλ_max ≈ 1e-3
        // the per-step factor 1 − ηλ and e^{−ηλ} differ by ~(ηλ)²/2 per step; over 2000 steps the predictions agree
        // to ~1e-3 of their size (measured 2e-4).
        using var scope = torch.NewDisposeScope();
        var (theta, td, y, f0, f0Test) = Problem();
        var dynamics = new LinearDynamics(theta, td);
        double eta = 1e-3 / dynamics.Eigenvalues.Max();
        const int Steps = 2000;
        var th = To2D(theta);
        var tdd = To2D(td);
        var f = (double[])f0.Clone();
        var ft = (double[])f0Test.Clone();
        for (int s = 0; s < Steps; s++)
        {
            var r = f.Zip(y, (a, b) => a - b).ToArray();
            for (int i = 0; i < 24; i++) ft[i] -= eta * Enumerable.Range(0, 16).Sum(j => tdd[i, j] * r[j]);
            for (int i = 0; i < 16; i++) f[i] -= eta * Enumerable.Range(0, 16).Sum(j => th[i, j] * r[j]);
        }
        var (train, test) = dynamics.Predict(y, f0, f0Test, LinearDynamics.Time(eta, Steps));
        for (int i = 0; i < 16; i++) Check.Close(f[i], train[i], 1e-3, $"f_train[{i}] after {Steps} steps");
        for (int i = 0; i < 24; i++) Check.Close(ft[i], test[i], 1e-3, $"f_test[{i}] after {Steps} steps");
    }

    [Fact]
    public void Reanchored_reference_variant_runs_n_y_times_slower()
    {
        // NT 0.2.2's predictor assumes a mean loss: its time is η·k/n_y for a loss that is a sum (PAPERS.md, quirk 2).
        Check.Close(2e-5 * 100 / 32, LinearDynamics.ReanchoredTime(2e-5, 100, 32), 1e-18, "re-anchored time");
        Check.Close(2e-5 * 100, LinearDynamics.Time(2e-5, 100), 1e-18, "principled time");
    }

    static double[,] To2D(Tensor t)
    {
        var flat = t.data<double>().ToArray();
        int rows = (int)t.shape[0], cols = (int)t.shape[1];
        var result = new double[rows, cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) result[i, j] = flat[i * cols + j];
        return result;
    }
}

public sealed class PowerLawSignalsNormalizedTests
{
    [Fact]
    public void Band_limited_signal_spans_minus_half_to_half_and_has_no_frequency_at_or_above_n_over_4()
    {
        var s = PowerLawSignals.SampleNormalized(256, 1, new Rng(3), bandLimited: true);
        Check.Close(-0.5, s.Min(), 1e-12, "min");
        Check.Close(0.5, s.Max(), 1e-12, "max");
        var spectrum = Spectrum.OneSidedMagnitude(s);
        for (int k = 64; k < 128; k++) Check.Close(0, spectrum[k], 1e-12, $"|DFT| at bin {k}");
        Assert.True(spectrum[1..64].Max() > 1e-3);
        Assert.Equal(s, PowerLawSignals.SampleNormalized(256, 1, new Rng(3), bandLimited: true));
    }

    [Fact]
    public void Amplitude_decays_like_one_plus_k_to_the_minus_alpha()
    {
        // Mean |DFT| over 400 signals, before any band limit: the log-log slope against 1 + k over bins 1..100 is −α.
        // Per bin the mean of |n1 + i n2| over 400 draws has ~2.6% relative error, so the fitted slope is within ±0.03.
        foreach (var alpha in new[] { 1.0, 1.5 })
        {
            var mean = new double[128];
            var rng = new Rng(17);
            for (int r = 0; r < 400; r++)
            {
                var s = PowerLawSignals.SampleNormalized(256, alpha, rng, bandLimited: false);
                var spectrum = Spectrum.OneSidedMagnitude(s);
                double total = spectrum.Skip(1).Sum(); // the rescale to [−0.5, 0.5] scales every bin but 0 by one factor per signal
                for (int k = 0; k < 128; k++) mean[k] += spectrum[k] / total / 400;
            }
            var xs = Enumerable.Range(1, 100).Select(k => Math.Log(1 + k)).ToArray();
            var ys = Enumerable.Range(1, 100).Select(k => Math.Log(mean[k])).ToArray();
            double mx = xs.Average(), my = ys.Average();
            double slope = xs.Zip(ys).Sum(t => (t.First - mx) * (t.Second - my)) / xs.Sum(x => (x - mx) * (x - mx));
            Check.Close(-alpha, slope, 0.05, $"log-log slope of the mean amplitude for α = {alpha}");
        }
    }
}
