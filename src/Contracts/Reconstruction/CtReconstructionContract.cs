namespace FourierRepro.Contracts;

// What a ct-reconstruction run records: ReconstructionContract's series and arrays (2D: [R, R] images, a [A, R] sinogram).
public static class CtReconstructionContract
{
    public const string Experiment = "ct-reconstruction";

    public static IReadOnlyList<MetricInfo> Metrics { get; } = ReconstructionContract.Metrics(
        "max |projection of a centred disc of radius 0.5 - its chord-length closed form| over the sinogram, on this run's grid and angles (an implementation check)");
}
