using TorchSharp;

namespace FourierRepro.Experiments.Core;

// How many torch threads a training loop uses. libgomp runs with OMP_WAIT_POLICY=PASSIVE here (Hosting/NativeRuntime:
// spinning workers made 2 threads 50x slower on a busy machine), and with passive workers a step made of many small
// operations pays a wake-up per operation: measured on a quiet 2-core machine, the 200-point 6x256 step took 8.2 ms
// with 2 passive threads, 3.3 ms with 2 spinning ones and 4.2 ms with 1 thread; the 16,384-pixel image step 0.144 s
// with 2 passive threads and 0.269 s with 1. So steps below ~1 GFLOP run on one thread, larger ones on all of Max.
public static class TorchThreads
{
    public const double SingleThreadBelowFlops = 1e9;

    // The most threads any loop may use: set once by the host (--threads, default one per core).
    public static int Max { get; set; } = Environment.ProcessorCount;

    public static int ForStep(double flopsPerStep) => flopsPerStep < SingleThreadBelowFlops ? 1 : Max;

    // Sets torch's thread count for a loop of steps of this size, and restores the previous count on dispose.
    public static IDisposable Use(double flopsPerStep) => Exactly(ForStep(flopsPerStep));

    // Sets torch's thread count, and restores the previous count on dispose.
    public static IDisposable Exactly(int wanted)
    {
        if (wanted < 1) throw new ArgumentOutOfRangeException(nameof(wanted), "a loop needs at least one thread");
        int previous = torch.get_num_threads();
        if (wanted != previous) torch.set_num_threads(wanted);
        return new Restore(previous, wanted);
    }

    sealed class Restore(int previous, int wanted) : IDisposable
    {
        public void Dispose()
        {
            if (wanted != previous) torch.set_num_threads(previous);
        }
    }
}
