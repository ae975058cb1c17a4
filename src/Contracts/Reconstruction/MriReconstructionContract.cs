namespace FourierRepro.Contracts;

// What an mri-reconstruction run records: ReconstructionContract's series and arrays (3D: [R, R, R] volumes), and the
// fraction of k-space its mask samples.
public static class MriReconstructionContract
{
    public const string Experiment = "mri-reconstruction";

    public const string ObservedFraction = "observed_fraction"; // metric, step 0: sampled frequencies / R³ (~12.6 % at 96³)

    public static IReadOnlyList<MetricInfo> Metrics { get; } =
    [
        .. ReconstructionContract.Metrics(
            "|masked 3D-FFT loss - the same loss from a direct triple-sum DFT| / the direct loss, on a 4x4x4 volume through this run's code path (an implementation check)"),
        new(ObservedFraction, MetricGoal.None, "", "fraction of the R^3 k-space frequencies the mask samples (the notebook's: ~12.6 % at 96^3)"),
    ];
}
