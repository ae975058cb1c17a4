using TorchSharp;
using static TorchSharp.torch;

namespace FourierRepro.Experiments.Core;

// The mean prediction of a network trained by full-batch gradient descent on ½ Σ (f − y)² with learning rate η, in
// the linearised (NTK) regime: after k steps, with time t = η·k,
//   f_train(t) = y + e^{−Θ t} (f₀ − y)
//   f_test(t)  = f₀_test − Θ_td Θ^{−1} (I − e^{−Θ t}) (f₀ − y)
// through the eigen-decomposition Θ = V Λ Vᵀ (float64, LAPACK through libtorch). Eigenvalues below 0 (round-off)
// are clipped to 0, as neural-tangents does; for λ = 0 the factor (1 − e^{−λt})/λ is its limit t.
// PAPERS.md section E: the principled theory starts from the network's initial outputs f₀ and uses t = η·k. The
// reference notebook re-anchors NT 0.2.2's predictor on the live network at every log step with t = η·k/n_y
// (see ReanchoredTime); the same decomposition serves both.
public sealed class LinearDynamics
{
    readonly int n, m;
    readonly double[] lambda;   // [n] eigenvalues of Θ, ascending, clipped at 0
    readonly double[] v;        // [n, n] row-major, columns are eigenvectors
    readonly double[] w;        // [m, n] row-major: Θ_td V

    public IReadOnlyList<double> Eigenvalues => lambda;
    public int TrainPoints => n;
    public int TestPoints => m;

    // thetaTrain: Θ [n, n] on the training points; thetaTestTrain: Θ_td [m, n] between test and training points (or null).
    public LinearDynamics(Tensor thetaTrain, Tensor? thetaTestTrain)
    {
        using var scope = torch.NewDisposeScope();
        var theta = thetaTrain.to(ScalarType.Float64).cpu();
        n = (int)theta.shape[0];
        if (theta.shape.Length != 2 || theta.shape[1] != n) throw new ArgumentException($"Θ must be square, is [{string.Join(", ", theta.shape)}]");
        theta = (theta + theta.t()) / 2; // symmetric to round-off already; eigh reads one triangle
        var (values, vectors) = torch.linalg.eigh(theta);
        lambda = values.clamp_min(0).data<double>().ToArray();
        v = vectors.contiguous().data<double>().ToArray();
        if (thetaTestTrain is null) { m = 0; w = []; return; }
        var td = thetaTestTrain.to(ScalarType.Float64).cpu();
        if (td.shape[1] != n) throw new ArgumentException($"Θ_td has {td.shape[1]} columns for {n} training points");
        m = (int)td.shape[0];
        w = torch.matmul(td, vectors).contiguous().data<double>().ToArray();
    }

    // f_train(t) and f_test(t) for the given start (f0Train [n], f0Test [m], may be empty when there are no test points).
    public (double[] Train, double[] Test) Predict(ReadOnlySpan<double> y, ReadOnlySpan<double> f0Train, ReadOnlySpan<double> f0Test, double time)
    {
        if (y.Length != n || f0Train.Length != n || f0Test.Length != m)
            throw new ArgumentException($"expected {n} targets and train outputs and {m} test outputs, got {y.Length}, {f0Train.Length}, {f0Test.Length}");
        // c = Vᵀ (f₀ − y): the initial residual in the eigenbasis.
        var c = new double[n];
        for (int i = 0; i < n; i++)
        {
            double r = f0Train[i] - y[i];
            for (int k = 0; k < n; k++) c[k] += v[i * n + k] * r;
        }
        var decay = new double[n];   // e^{−λt}
        var gain = new double[n];    // (1 − e^{−λt}) / λ, → t as λ → 0
        for (int k = 0; k < n; k++)
        {
            double lt = lambda[k] * time;
            decay[k] = Math.Exp(-lt);
            gain[k] = lt < 1e-12 ? time : -double.ExpM1(-lt) / lambda[k];
        }
        var train = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int k = 0; k < n; k++) s += v[i * n + k] * decay[k] * c[k];
            train[i] = y[i] + s;
        }
        var test = new double[m];
        for (int i = 0; i < m; i++)
        {
            double s = 0;
            for (int k = 0; k < n; k++) s += w[i * n + k] * gain[k] * c[k];
            test[i] = f0Test[i] - s;
        }
        return (train, test);
    }

    // The principled time after `steps` updates of gradient descent on ½ Σ (f − y)² with learning rate η.
    public static double Time(double learningRate, double steps) => learningRate * steps;

    // The reference notebook's time (PAPERS.md section E, quirk 2): NT 0.2.2's gradient_descent_mse divides Θ by
    // n_y = y_train.size because it assumes a mean loss, while the loss trained is a sum.
    public static double ReanchoredTime(double learningRate, double steps, int trainTargets) => learningRate * steps / trainTargets;
}

// Kernel ridge-less regression: the infinite-time limit of the linear dynamics from f₀ = 0, Θ_td Θ^{−1} y.
public static class KernelRegression
{
    // thetaTrain [n, n], thetaTestTrain [m, n], y [n] or [n, k] → [m] or [m, k], float64 (Cholesky solve).
    public static Tensor Predict(Tensor thetaTrain, Tensor thetaTestTrain, Tensor y)
    {
        using var scope = torch.NewDisposeScope();
        var rhs = y.dim() == 1 ? y.unsqueeze(1) : y;
        var l = torch.linalg.cholesky(thetaTrain.to(ScalarType.Float64));
        var alpha = torch.cholesky_solve(rhs.to(ScalarType.Float64), l);
        var result = torch.matmul(thetaTestTrain.to(ScalarType.Float64), alpha);
        return (y.dim() == 1 ? result.squeeze(1) : result).MoveToOuterDisposeScope();
    }
}
