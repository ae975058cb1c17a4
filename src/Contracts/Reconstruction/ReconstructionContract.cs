namespace FourierRepro.Contracts;

// What a ct-reconstruction or mri-reconstruction run records (Tancik Table 1, indirect rows), named once for the
// experiments that write them and the analysis that reads them: the series and arrays both families share.
public static class ReconstructionContract
{
    // Metric series, one value per recorded frame (iteration 0, RecordEvery, …, Iterations).
    public const string Psnr = "psnr";                 // the reconstruction on the whole grid against the phantom (peak 1)
    public const string ObservationLoss = "observation_loss"; // the training loss: the misfit of the observations
    // Recorded once, at step 0: the run's own check of its forward model against an independent computation.
    public const string ForwardModelError = "forward_model_error";

    public static IReadOnlyList<MetricInfo> Metrics(string forwardModelCheck) =>
    [
        new(Psnr, MetricGoal.Maximize, "dB", "PSNR (-10 log10 MSE, peak 1) of the reconstruction on the whole grid against the phantom, never seen in training"),
        new(ObservationLoss, MetricGoal.Minimize, "", "0.5 x mean squared misfit of the observations, the training loss, before the update of that iteration"),
        new(ForwardModelError, MetricGoal.Minimize, "", forwardModelCheck),
    ];

    // Arrays.
    public const string Target = CommonNames.Target;         // [R, R] or [R, R, R] step 0: the phantom
    public const string Prediction = CommonNames.Prediction; // same shape, step Iterations: the reconstruction
    public const string Observations = "observations";      // CT: [A, R] step 0, the sinogram; MRI: [R, R] step 0, the mask's zero-frequency slice (1 = sampled)
}
