namespace FourierRepro.Contracts;

// What a sampling-width run (one α) records, named once for the experiment that writes it and the analysis that
// reads it. Shapes: S signals, G = 2·TrainPoints grid points, KS = distributions × sweep values × S sparse networks
// (member k: distribution k / (V·S), sweep value (k / S) % V, signal k % S), KD = S dense networks, F recorded frames.
public static class SamplingWidthContract
{
    public const string Experiment = "sampling-width";

    // Metrics, one value per run.
    public const string BestSparseTestMse = "best_sparse_test_mse"; // step Iterations
    public const string DenseTestMse = "dense_test_mse";            // step Iterations (the same name as the array TestMse(Dense))
    public const string Networks = "networks";                      // step 0

    public static IReadOnlyList<MetricInfo> Metrics { get; } =
    [
        new(BestSparseTestMse, MetricGoal.Minimize, "MSE", "lowest test MSE (odd grid points) of the sparse configurations, each averaged over the signals"),
        new(DenseTestMse, MetricGoal.Minimize, "MSE", "test MSE of the dense baseline (b = 1..N/2, a = b^-p), averaged over the signals"),
        new(Networks, MetricGoal.None, "", "networks trained in the run (sparse and dense)"),
    ];

    // Arrays, each recorded once at step 0.
    public const string Signals = "signals";                         // [S, G]
    public const string SparseDistribution = "sparse_distribution";  // [KS] index into the run's Distributions
    public const string SparseSweepIndex = "sparse_sweep_index";     // [KS] index into SweepValues
    public const string SparseSignal = "sparse_signal";              // [KS] index of the signal fitted
    public const string SparseB = "sparse_b";                        // [KS, Features] sampled frequencies
    public const string SparseRms = "sparse_rms";                    // [KS] sqrt(mean(b²))
    public const string SparseStd = "sparse_std";                    // [KS] std of b about its mean (ddof 0)
    public const string DenseSignal = "dense_signal";                // [KD]
    public const string DenseB = "dense_b";                          // [TrainPoints/2] b = 1..N/2
    public const string DenseA = "dense_a";                          // [TrainPoints/2] a = b^-p

    // Each set of networks (Sparse or Dense) records its MSEs as <prefix>_…: final values after the last update [K],
    // the recorded iterations [F] and the curves [F, K] (frame 0 = iteration 0, the untrained networks).
    public const string Sparse = "sparse", Dense = "dense";
    public static string TrainMse(string prefix) => $"{prefix}_train_mse";
    public static string TestMse(string prefix) => $"{prefix}_test_mse";
    public static string RecordSteps(string prefix) => $"{prefix}_record_steps";
    public static string TrainMseCurve(string prefix) => $"{prefix}_train_mse_curve";
    public static string TestMseCurve(string prefix) => $"{prefix}_test_mse_curve";
}
