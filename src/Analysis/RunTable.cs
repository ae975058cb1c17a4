using FourierRepro.Storage;
using Microsoft.EntityFrameworkCore;

namespace FourierRepro.Analysis;

public static class RunTable
{
    // One line per run: id, experiment, scale, seed, label, status, duration, and the final value of each metric
    // that has a goal (minimize / maximize) in metric_definitions.
    public static void Print(TextWriter output, ResultsDbContext db, string? experiment)
    {
        var runs = db.Runs.AsNoTracking().Where(r => experiment == null || r.Experiment == experiment).OrderBy(r => r.Id).ToList();
        var keyMetrics = db.MetricDefinitions.AsNoTracking().Where(m => m.Goal != MetricGoal.None).ToList()
            .GroupBy(m => m.Experiment).ToDictionary(g => g.Key, g => g.Select(m => m.Name).ToList());
        output.WriteLine($"{"id",5} {"experiment",-24} {"scale",-8} {"seed",4} {"label",-28} {"status",-11} {"time",8}  final metrics");
        foreach (var r in runs)
        {
            var metrics = keyMetrics.TryGetValue(r.Experiment, out var names)
                ? string.Join(", ", names.Select(n => (n, v: db.FinalMetric(r.Id, n))).Where(x => !double.IsNaN(x.v)).Select(x => $"{x.n}={x.v:G4}"))
                : "";
            var time = r.DurationSeconds is double d ? $"{d:F1}s" : "-";
            output.WriteLine($"{r.Id,5} {r.Experiment,-24} {r.Scale,-8} {r.Seed,4} {r.Label,-28} {r.Status,-11} {time,8}  {metrics}" +
                             (r.Error is null ? "" : $"  error: {r.Error.Split('\n')[0]}"));
        }
        output.WriteLine($"{runs.Count} runs: " + string.Join(", ", runs.GroupBy(r => r.Status).Select(g => $"{g.Count()} {g.Key}")));
    }
}
