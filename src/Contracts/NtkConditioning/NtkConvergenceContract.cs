namespace FourierRepro.Contracts;

// What an ntk-convergence run records (Tancik Fig. 3), named once for the experiment that writes it and the analysis
// that reads it. Shapes: N points, T = N / TrainEvery training points.
public static class NtkConvergenceContract
{
    public const string Experiment = "ntk-convergence";

    // The bins of ResidualBins, in order: low, mid, high (panel c).
    public const string Low = "low", Mid = "mid", High = "high";
    public static readonly string[] Bands = [Low, Mid, High];

    // Metric series, one value per recorded frame (iteration 0, RecordEvery, …, Iterations).
    public const string TrainMse = "train_mse";                    // the network on the T training points
    public const string TestMse = "test_mse";                      // the network on the N − T held-out points
    public const string TheoryTrainMse = "theory_train_mse";       // NTK linear dynamics from the network's initial outputs
    public const string TheoryTestMse = "theory_test_mse";
    public static string Residual(string band) => $"residual/{band}";             // |DFT| of the network's training residual at that bin
    public static string TheoryResidual(string band) => $"theory_residual/{band}"; // the same for the theory
    public const string ReanchoredTrainMse = "reanchored_theory_train_mse"; // only with RecordReanchoredTheory
    public const string ReanchoredTestMse = "reanchored_theory_test_mse";
    public const string LinearizedTrainMse = "linearized_train_mse"; // the same dynamics with the network's own initial NTK
    public const string LinearizedTestMse = "linearized_test_mse";
    // Recorded once, at step 0.
    public const string EmpiricalNtkRelError = "empirical_ntk_rel_error";
    public const string EtaLambdaMax = "eta_lambda_max";

    public static IReadOnlyList<MetricInfo> Metrics { get; } =
    [
        new(TrainMse, MetricGoal.Minimize, "MSE", "mean squared error of the network on the 32 training points, after that many SGD steps"),
        new(TestMse, MetricGoal.Minimize, "MSE", "mean squared error of the network on the 224 held-out points"),
        new(TheoryTrainMse, MetricGoal.Minimize, "MSE", "train MSE of the NTK linear dynamics from the network's initial outputs, t = lr x iteration"),
        new(TheoryTestMse, MetricGoal.Minimize, "MSE", "test MSE of the NTK linear dynamics from the network's initial outputs"),
        .. Bands.Select(b => new MetricInfo(Residual(b), MetricGoal.Minimize, "|DFT|", $"|DFT| of the network's training residual f - y (32 points) at the {b} bin of ResidualBins")),
        .. Bands.Select(b => new MetricInfo(TheoryResidual(b), MetricGoal.Minimize, "|DFT|", $"|DFT| of the theory's training residual at the {b} bin")),
        new(ReanchoredTrainMse, MetricGoal.Minimize, "MSE", "the reference notebook's theory: NT 0.2.2 predictor re-anchored on the live network, t = lr x iteration / 32 (only with RecordReanchoredTheory)"),
        new(ReanchoredTestMse, MetricGoal.Minimize, "MSE", "test MSE of the re-anchored reference theory (only with RecordReanchoredTheory)"),
        new(LinearizedTrainMse, MetricGoal.Minimize, "MSE", "train MSE of the same linear dynamics with the network's own (empirical) NTK at initialisation: the linearised network"),
        new(LinearizedTestMse, MetricGoal.Minimize, "MSE", "test MSE of the linearised network"),
        new(EmpiricalNtkRelError, MetricGoal.None, "", "||empirical NTK of the initial network - analytic NTK||_F / ||analytic||_F on the training points"),
        new(EtaLambdaMax, MetricGoal.None, "", "learning rate x largest eigenvalue of the analytic NTK on the training points (SGD is stable below 2)"),
    ];

    // Arrays.
    public const string X = CommonNames.X;                                  // [N] step 0: x = linspace(0, 1, N, endpoint=False)
    public const string Target = CommonNames.Target;                        // [N] step 0
    public const string TrainIndex = "train_index";               // [T] step 0: indices into x of the training points
    public const string NtkEigenvalues = "ntk_eigenvalues";       // [T] step 0: of the analytic NTK on the training points
    public const string InitialPrediction = "initial_prediction"; // [N] step 0: the untrained network
    public const string Prediction = CommonNames.Prediction;                // [N] step Iterations: the trained network
    public const string TheoryPrediction = "theory_prediction";   // [N] step Iterations: the theory
}
