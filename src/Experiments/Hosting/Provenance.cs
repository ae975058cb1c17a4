using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using TorchSharp;

namespace FourierRepro.Experiments.Hosting;

// What every run records about where it ran (STYLE 12): code version, libraries, device, threads, host.
public sealed record Provenance(string CodeVersion, string LibraryVersions, string Host, string Device, int Threads)
{
    public static Provenance Collect(torch.Device device, int threads)
    {
        var libraries = new SortedDictionary<string, string>
        {
            ["TorchSharp"] = typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown",
            ["libtorch"] = torch.__version__,
            ["dotnet"] = Environment.Version.ToString(),
            ["EntityFrameworkCore"] = typeof(Microsoft.EntityFrameworkCore.DbContext).Assembly.GetName().Version?.ToString() ?? "unknown",
            ["MathNet.Numerics"] = typeof(MathNet.Numerics.Control).Assembly.GetName().Version?.ToString() ?? "unknown",
        };
        var deviceName = device.type == DeviceType.CUDA ? $"cuda:{device.index} ({torch.cuda.device_count()} visible)" : "cpu";
        return new Provenance(GitVersion(), JsonSerializer.Serialize(libraries), $"{Environment.MachineName}; {RuntimeInformation.OSDescription}; {RuntimeInformation.ProcessArchitecture}; {Environment.ProcessorCount} cores",
            deviceName, threads);
    }

    // "<commit>" or "<commit>+dirty" (tracked files changed), or "unknown" outside a git checkout.
    static string GitVersion()
    {
        var commit = Git("rev-parse HEAD");
        if (commit is null) return "unknown";
        var status = Git("status --porcelain --untracked-files=no");
        return string.IsNullOrWhiteSpace(status) ? commit : commit + "+dirty";
    }

    static string? Git(string arguments)
    {
        try
        {
            var start = new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(start);
            if (p is null) return null;
            var output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return p.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git on this machine
        }
    }
}
