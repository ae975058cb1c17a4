namespace FourierRepro.Contracts;

// What a scale-sweep run (one σ) records: ImageFitContract's PSNR series, target and prediction, and a slice of the
// composed NTK. Shapes: P = SlicePoints offsets.
public static class ScaleSweepContract
{
    public const string Experiment = "scale-sweep";

    public const string KernelHalfWidth = "kernel_half_width"; // metric at step 0, pixels

    public static IReadOnlyList<MetricInfo> Metrics { get; } =
    [
        .. ImageFitContract.Metrics("image"),
        new(KernelHalfWidth, MetricGoal.None, "pixels", "half width at half maximum of the normalized NTK slice, in pixels of the image"),
    ];

    // Arrays, recorded at step 0.
    public const string KernelOffsets = "kernel_offsets"; // [P] pixels, −Resolution/4 … +Resolution/4
    public const string KernelSlice = "kernel_slice";     // [P] Θ(γ(v), γ(v₀)) / Θ(γ(v₀), γ(v₀))
}
