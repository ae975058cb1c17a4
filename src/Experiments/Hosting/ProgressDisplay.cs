using System.Diagnostics;

namespace FourierRepro.Experiments.Hosting;

// Progress of the plan: a live bar on a terminal; plain lines (every 10 %) when output is redirected or CI is set.
public sealed class ProgressDisplay : IRunProgress
{
    readonly TextWriter output;
    readonly bool live;
    readonly Stopwatch runClock = new();
    string prefix = "";
    int lastDecile = -1;
    long lastDrawTicks;

    public ProgressDisplay(TextWriter output, bool? live = null)
    {
        this.output = output;
        var ci = Environment.GetEnvironmentVariable("CI");
        this.live = live ?? (!Console.IsOutputRedirected && string.IsNullOrEmpty(ci) && Environment.GetEnvironmentVariable("TERM") != "dumb");
    }

    public void BeginRun(int index, int count, string description)
    {
        prefix = $"[{index}/{count}] {description}";
        lastDecile = -1;
        runClock.Restart();
        if (!live) output.WriteLine($"{prefix}: started");
    }

    public void Report(long done, long total)
    {
        if (total <= 0) return;
        double fraction = Math.Clamp((double)done / total, 0, 1);
        if (live)
        {
            long now = Stopwatch.GetTimestamp();
            if (done < total && Stopwatch.GetElapsedTime(lastDrawTicks, now) < TimeSpan.FromMilliseconds(200)) return;
            lastDrawTicks = now;
            const int width = 30;
            int filled = (int)(fraction * width);
            var eta = fraction > 0.01 ? TimeSpan.FromSeconds(runClock.Elapsed.TotalSeconds * (1 - fraction) / fraction) : (TimeSpan?)null;
            output.Write($"\r{prefix} [{new string('#', filled)}{new string('.', width - filled)}] {fraction,4:P0} {done}/{total}" + (eta is { } e ? $" eta {e:mm\\:ss}" : "") + "   ");
        }
        else
        {
            int decile = (int)(fraction * 10);
            if (decile > lastDecile && decile is > 0 and < 10)
            {
                lastDecile = decile;
                output.WriteLine($"{prefix}: {decile * 10}% ({done}/{total}, {runClock.Elapsed.TotalSeconds:F0} s)");
            }
        }
    }

    public void EndRun(string status, string? detail = null)
    {
        if (live) output.Write("\r" + new string(' ', Math.Min(Console.IsOutputRedirected ? 120 : Math.Max(Console.WindowWidth - 1, 40), 160)) + "\r");
        output.WriteLine($"{prefix}: {status} in {runClock.Elapsed.TotalSeconds:F1} s" + (detail is null ? "" : $" — {detail}"));
    }
}
