using System.Diagnostics;
using System.Text;

namespace FourierRepro.Tests;

// The experiments host as a process of its own: `dotnet FourierRepro.Experiments.dll`, the build this test assembly
// references (copied next to it with its runtimeconfig and deps files). Needed where in-process hosts cannot stand in:
// worker identity (host:pid) and torch's global thread pool, which two hosts in one process would share.
public sealed class HostProcess : IDisposable
{
    readonly Process process;
    readonly StringBuilder output = new();

    public int Pid => process.Id;
    public string Output { get { lock (output) return output.ToString(); } }

    HostProcess(string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "FourierRepro.Experiments.dll");
        Assert.True(File.Exists(dll), $"{dll} not found: the test project must reference src/Experiments");
        // The dotnet that runs these tests (DOTNET_HOST_PATH is set by the dotnet CLI for its children), else the one on PATH.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("FOURIER_", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key); // only the arguments configure it
        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    void Append(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    public static HostProcess Start(params string[] args) => new(args);

    // The exit code; a host still running after the timeout is killed and fails the test with its output.
    public async Task<int> ExitCode(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"host {Pid} still running after {timeout.TotalSeconds:F0} s:\n{Output}");
        }
        process.WaitForExit(); // drains the redirected output
        return process.ExitCode;
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
    }
}
