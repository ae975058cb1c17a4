namespace FourierRepro.Contracts;

// What a manifold-spectral-bias run records (Rahaman Fig. 5, 6). N points on the flower curve, K target
// frequencies (cycles per revolution), F recorded frames, G the decision grid's side.
public static class ManifoldSpectralBiasContract
{
    public const string Experiment = "manifold-spectral-bias";

    // Metric series.
    public const string Loss = CommonNames.Loss;
    public const string Accuracy = "accuracy"; // classification only

    public static IReadOnlyList<MetricInfo> Metrics { get; } =
    [
        new(Loss, MetricGoal.Minimize, "", "training loss (MSE for regression, mean logistic loss for classification), before the update of that iteration"),
        new(Accuracy, MetricGoal.Maximize, "", "classification: share of the curve points whose logit has the sign of their label"),
    ];

    // Arrays, each recorded once at step 0.
    public const string CurveXy = "curve_xy";                   // [N, 2] the curve in the plane
    public const string Target = CommonNames.Target;                      // [N] regression target, or classification labels 0/1
    public const string Phases = CommonNames.Phases;                      // [K]
    public const string Frequencies = CommonNames.Frequencies;            // [K] k_i
    public const string CurveLength = "curve_length";           // [1] polyline length
    public const string RecordSteps = CommonNames.RecordSteps;           // [F] regression
    public const string NormalizedAmplitude = CommonNames.NormalizedAmplitude; // [F, K] regression: 2|f̃(k_i)|/A_i along the curve
    public const string Spectrum = CommonNames.Spectrum;                  // [F, N/2] regression
    public const string Prediction = CommonNames.Prediction;              // [N] regression, the last frame
    public const string DecisionLogits = "decision_logits";     // [G, G] classification, over [−extent, extent]²
    public const string DecisionExtent = "decision_extent";     // [1]
}
