namespace FourierRepro.Contracts;

// What a regression-1d run records, named once for the experiment that writes it and the analysis that reads it.
// Shapes: K signals per run, G = 2·Points grid samples (train on the even ones, test on the odd).
public static class Regression1DContract
{
    public const string Experiment = "regression-1d";

    // Metric series, one value per recorded frame, mean over the run's K signals.
    public const string TrainMse = "mse_train";
    public const string TestMse = "mse_test";

    public static IReadOnlyList<MetricInfo> Metrics { get; } =
    [
        new(TrainMse, MetricGoal.Minimize, "MSE", "mean squared error on the training samples, mean over the run's signals, before the update of that iteration"),
        new(TestMse, MetricGoal.Minimize, "MSE", "mean squared error on the held-out odd samples, mean over the run's signals"),
    ];

    // Arrays.
    public const string X = CommonNames.X;                                // [G] step 0: the grid on [0, 1)
    public const string Target = CommonNames.Target;                      // [K, G] step 0: the signals
    public const string InitialTrainMse = "initial_mse_train";  // [K] step 0: the untrained networks, per signal
    public const string InitialTestMse = "initial_mse_test";    // [K] step 0
    public const string Prediction = CommonNames.Prediction;              // [K, G] step Iterations: the trained networks
    public const string FinalTrainMse = "final_mse_train";      // [K] step Iterations, per signal
    public const string FinalTestMse = "final_mse_test";        // [K] step Iterations
}
