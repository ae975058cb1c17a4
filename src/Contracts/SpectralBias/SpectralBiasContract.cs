namespace FourierRepro.Contracts;

// What a spectral-bias run records (Rahaman Fig. 1, 2), named once for the experiment that writes it and the
// analysis that reads it. Shapes: F recorded frames, K target frequencies, N sample points.
public static class SpectralBiasContract
{
    public const string Experiment = "spectral-bias";

    // Metric series, one value per recorded frame.
    public const string Loss = CommonNames.Loss;
    public static string SpectralNorm(int layer) => $"spectral_norm/layer{layer}"; // σ_max of layer 1.. (1-based)

    public static IReadOnlyList<MetricInfo> Metrics(int layers) =>
    [
        SineSum.LossInfo,
        .. Enumerable.Range(1, layers).Select(l => new MetricInfo(SpectralNorm(l), MetricGoal.None, "", $"largest singular value of layer {l}'s weight matrix")),
    ];

    // Arrays, each recorded once at step 0.
    public const string Target = CommonNames.Target;
    public const string Phases = CommonNames.Phases;
    public const string RecordSteps = CommonNames.RecordSteps;          // [F] iteration of each frame (0 = initial state)
    public const string Frequencies = CommonNames.Frequencies;
    public const string Amplitudes = "amplitudes";             // [K] A_i
    public const string NormalizedAmplitude = CommonNames.NormalizedAmplitude; // [F, K] 2|f̃(k_i)|/A_i
    public const string Spectrum = CommonNames.Spectrum;                 // [F, N/2] |f̃(k)|, k = 0 .. N/2 − 1
    public const string Prediction = CommonNames.Prediction;             // [F, N] the network on the N points
}
