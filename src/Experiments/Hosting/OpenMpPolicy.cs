using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FourierRepro.Experiments.Hosting;

// libtorch's CPU kernels run on libgomp threads that, by default, spin for a while at every barrier. On a machine whose
// cores are busy with other work, a spinning worker holds a core the thread it waits for needs: measured here, 300
// steps of the 6x256 spectral-bias MLP took 194 s with 2 torch threads at load 5, against 3.7 s with
// OMP_WAIT_POLICY=PASSIVE (and 4.2 s with 1 thread). libgomp reads the variable once, when libtorch is loaded, and
// .NET's Environment.SetEnvironmentVariable does not reach native getenv on Linux, so it is set with libc's setenv
// before the first torch call: from this assembly's module initializer, which runs before any of its types is used.
// A value the user set (OMP_WAIT_POLICY or GOMP_SPINCOUNT) is left alone.
public static class OpenMpPolicy
{
    [ModuleInitializer]
    internal static void OnLoad() => Apply();

    public static void Apply()
    {
        if (!OperatingSystem.IsLinux()) return;
        if (Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null || Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is not null) return;
        try { setenv("OMP_WAIT_POLICY", "PASSIVE", 0); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }

    [DllImport("libc", EntryPoint = "setenv")] // DllImport, not LibraryImport: the latter needs unsafe code enabled
    static extern int setenv(string name, string value, int overwrite);
}
