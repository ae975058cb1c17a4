namespace FourierRepro.Contracts;

// What a perturbation-robustness run records (Rahaman Fig. 3). Shapes: K target frequencies, N points, D the
// perturbation norms δ, M the random directions.
public static class PerturbationRobustnessContract
{
    public const string Experiment = "perturbation-robustness";

    public const string Loss = CommonNames.Loss;

    public static IReadOnlyList<MetricInfo> Metrics { get; } =
    [
        SineSum.LossInfo,
    ];

    // Arrays, each recorded once at step 0.
    public const string Target = CommonNames.Target;
    public const string Phases = CommonNames.Phases;
    public const string Frequencies = CommonNames.Frequencies;
    public const string DirectionNorms = "direction_norms";      // [M] global L2 norm of each direction (1 by construction)
    public const string PerturbationNorms = "perturbation_norms"; // [D] δ
    public const string InitialFitAmplitude = "initial_fit_amplitude"; // [K] 2|f̃(k_i)|/A_i of the untrained network
    public const string InitialNormalizedAmplitude = "initial_normalized_amplitude"; // [D, K] the untrained network's sweep (PR-1's control)
    public const string Prediction = CommonNames.Prediction;               // [N] the trained network
    public const string ModelSpectrum = "model_spectrum";        // [N/2] |f̃_θ(k)| of the trained network
    public const string FitAmplitude = "fit_amplitude";          // [K] 2|f̃_θ(k_i)|/A_i of the trained network
    public const string PerturbedSpectrum = "perturbed_spectrum"; // [D, N/2] mean over directions of |f̃_{θ+δu}(k)|
    public const string NormalizedAmplitude = CommonNames.NormalizedAmplitude; // [D, K] that mean at k_i over |f̃_θ(k_i)|
}
