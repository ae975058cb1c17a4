namespace FourierRepro.Experiments.Core;

// What a run costs, in estimated seconds on the 2-core development machine: the number a shard split balances
// (Hosting/Shards) and a shard's log prints. It must be a pure function of the configuration, so every node of a
// cluster computes the same split; it need not be accurate, only proportional enough that shards finish together.
// The constants come from the recorded durations of the standard suite (docs: README "Running on a cluster"):
// steps under 1 GFLOP run on one thread (Core/TorchThreads) at ~60 GFLOP/s, larger ones on both at ~150, and every
// layer of every step costs ~0.1 ms of fixed overhead (operator dispatch, element-wise passes, the optimizer).
public static class CostModel
{
    const double SmallStepFlopsPerSecond = 6e10;
    const double LargeStepFlopsPerSecond = 1.5e11;
    const double SecondsPerLayerStep = 1e-4;

    public static double Seconds(double flops) =>
        flops / (flops < TorchThreads.SingleThreadBelowFlops ? SmallStepFlopsPerSecond : LargeStepFlopsPerSecond);

    // Full-batch training of `members` networks of one shape for `iterations` steps on `points` inputs.
    public static double Training(MlpShape shape, long points, long iterations, int members = 1) =>
        iterations * (Seconds(shape.StepFlops(points, members)) + SecondsPerLayerStep * shape.Depth);

    // `passes` forward evaluations on `points` inputs (a third of a training step's FLOPs).
    public static double Forward(MlpShape shape, long points, long passes, int members = 1) =>
        passes * (Seconds(shape.StepFlops(points, members) / 3) + SecondsPerLayerStep * shape.Depth / 3);

    // Frames recorded over a run of `iterations` steps, one every `recordEvery` and the last.
    public static long Frames(long iterations, long recordEvery) => iterations / recordEvery + 1;
}
