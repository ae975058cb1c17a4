namespace FourierRepro.Contracts;

// Rahaman's 1D problem, shared by spectral-bias (Fig. 1) and perturbation-robustness (Fig. 3): N equally spaced
// points z on [0, 1), the target Σ A_i sin(2π k_i z + φ_i) with the run's own random phases, a Depth × Width ReLU
// MLP (PyTorch's default init) trained by full-batch Adam. Both configuration records carry these settings under
// the same names (the interface adds nothing to their JSON).
public interface ISineSumSettings
{
    int[] Frequencies { get; }
    int Points { get; }
    int Depth { get; }
    int Width { get; }
    double LearningRate { get; }
    int Iterations { get; }
    int RecordEvery { get; }
}

public static class SineSum
{
    public static MetricInfo LossInfo { get; } =
        new(CommonNames.Loss, MetricGoal.Minimize, "MSE", "training loss (mean squared error over the 200 points), before the update of that iteration");
}
