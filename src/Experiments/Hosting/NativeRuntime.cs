using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FourierRepro.Experiments.Hosting;

// Settings of the native libraries under TorchSharp that decide how fast training runs on a CPU. They must be in
// place before libtorch loads, so they are applied from this assembly's module initializer (which runs before any of
// its types is used; tests that call torch first call Apply themselves). Environment variables are set with libc's
// setenv because .NET's Environment.SetEnvironmentVariable does not reach native getenv on Linux; a value the user
// set is left alone. Measured on a 2-core machine (`bench`, README "Performance"):
//
// - OMP_WAIT_POLICY=PASSIVE. libgomp's workers spin at every barrier by default; when the other core is busy, a
//   spinning worker holds the core the thread it waits for needs: 300 steps of the 6x256 spectral-bias MLP took 194 s
//   with 2 threads at load 5, against 3.7 s passive (4.2 s with 1 thread). (GOMP_SPINCOUNT set by the user also wins.)
// - THP_MEM_ALLOC_ENABLE=1. libtorch then asks for transparent huge pages (madvise) for buffers of 2 MB and more.
//   Buffers above glibc's mmap threshold (32 MiB at most) are mapped afresh at every allocation, so the 64 MB
//   activations of the 65,536-pixel image MLP cost ~0.15 s of page faults per 0.55 s step with 4 KB pages:
//   0.70 s → 0.55 s per step. The price is memory held in 2 MB units (16,384-pixel image run: 1.6 GB resident
//   instead of 0.5 GB, flat over the run). Without THP in the kernel (transparent_hugepage=never) it does nothing.
// - glibc malloc: mmap threshold fixed at 32 MiB and trim threshold at 512 MiB (mallopt). The default threshold is
//   dynamic, and the heap top is returned to the system whenever 2x the threshold is free, so a training loop that
//   frees and reallocates the same few-MB buffers every step keeps faulting pages back in: the ensemble of 20
//   spectral-bias networks took 45 ms per step with the default and 41 ms with these values (and 66 ms with a 1 MiB
//   threshold, which an earlier version set to bound memory growth that was really TorchSharp's finalizer backlog,
//   fixed in Core/Trainer). The 4,096-pixel image run and the sampling-width ensembles stay flat with these values.
public static class NativeRuntime
{
    const int M_TRIM_THRESHOLD = -1, M_MMAP_THRESHOLD = -3;
    public const int MmapThresholdBytes = 32 << 20, TrimThresholdBytes = 512 << 20;
    static bool applied;

    [ModuleInitializer]
    internal static void OnLoad() => Apply();

    public static void Apply()
    {
        if (applied || !OperatingSystem.IsLinux()) return;
        applied = true;
        try
        {
            if (Unset("OMP_WAIT_POLICY") && Unset("GOMP_SPINCOUNT")) setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
            if (Unset("THP_MEM_ALLOC_ENABLE")) setenv("THP_MEM_ALLOC_ENABLE", "1", 0);
            if (Unset("MALLOC_MMAP_THRESHOLD_") && Unset("MALLOC_TRIM_THRESHOLD_"))
            {
                mallopt(M_MMAP_THRESHOLD, MmapThresholdBytes);
                mallopt(M_TRIM_THRESHOLD, TrimThresholdBytes);
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { } // not glibc: defaults
    }

    static bool Unset(string name) => Environment.GetEnvironmentVariable(name) is null;

    // DllImport, not LibraryImport: the latter needs unsafe code enabled.
    [DllImport("libc", EntryPoint = "setenv")]
    static extern int setenv(string name, string value, int overwrite);

    [DllImport("libc", EntryPoint = "mallopt")]
    static extern int mallopt(int param, int value);
}
