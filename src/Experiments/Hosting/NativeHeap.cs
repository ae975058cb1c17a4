using System.Runtime.InteropServices;

namespace FourierRepro.Experiments.Hosting;

// glibc's malloc raises its mmap threshold dynamically up to 32 MiB, after which libtorch's freed activation buffers
// (a few MiB each, allocated 64-byte aligned) go to the heap and are not reused: a batched ensemble (Core/Mlp with
// K = 18, 256 points, width 256) grew by ~20 MB per training step, to many GB in one run, with a constant number of
// live tensors. A fixed threshold of 1 MiB serves every larger buffer by mmap and returns it on free: memory stays
// flat, for ~30 % more system time on such steps (page faults). Small tensors, as in spectral-bias, are unaffected.
public static class NativeHeap
{
    const int M_MMAP_THRESHOLD = -3;
    public const int MmapThresholdBytes = 1 << 20;

    // Once per process, before training. Does nothing off glibc (macOS, Windows, musl).
    public static void BoundGrowth()
    {
        if (!OperatingSystem.IsLinux()) return;
        try { mallopt(M_MMAP_THRESHOLD, MmapThresholdBytes); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }

    [DllImport("libc", EntryPoint = "mallopt")] // DllImport, not LibraryImport: the latter needs unsafe code enabled
    static extern int mallopt(int param, int value);
}
