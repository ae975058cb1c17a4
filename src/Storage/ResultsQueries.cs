using Microsoft.EntityFrameworkCore;

namespace FourierRepro.Storage;

// Reading helpers shared by Analysis and the tests.
public static class ResultsQueries
{
    public static List<RunRecord> CompletedRuns(this ResultsDbContext db, string experiment, string scale) =>
        db.Runs.AsNoTracking()
            .Where(r => r.Experiment == experiment && r.Scale == scale && r.Status == RunStatus.Completed)
            .OrderBy(r => r.Id).ToList();

    // (steps, values) of one metric of one run, in step order; NaN restored from is_nan.
    public static (long[] Steps, double[] Values) MetricSeries(this ResultsDbContext db, long runId, string name)
    {
        var rows = db.Metrics.AsNoTracking().Where(m => m.RunId == runId && m.Name == name).OrderBy(m => m.Step)
            .Select(m => new { m.Step, m.Value, m.IsNan }).ToList();
        return (rows.Select(r => r.Step).ToArray(), rows.Select(r => r.IsNan ? double.NaN : r.Value ?? double.NaN).ToArray());
    }

    // The value of a metric at its last recorded step, or NaN when it was not recorded.
    public static double FinalMetric(this ResultsDbContext db, long runId, string name)
    {
        var row = db.Metrics.AsNoTracking().Where(m => m.RunId == runId && m.Name == name).OrderByDescending(m => m.Step).FirstOrDefault();
        return row is null || row.IsNan ? double.NaN : row.Value ?? double.NaN;
    }

    public static NdArray? ReadArray(this ResultsDbContext db, long runId, string name, long? step = null)
    {
        var q = db.Arrays.AsNoTracking().Where(a => a.RunId == runId && a.Name == name);
        if (step is long s) q = q.Where(a => a.Step == s);
        var record = q.OrderByDescending(a => a.Step).FirstOrDefault();
        return record is null ? null : ArrayCodec.Decode(record);
    }

    public static NdArray RequireArray(this ResultsDbContext db, long runId, string name, long? step = null) =>
        db.ReadArray(runId, name, step) ?? throw new InvalidDataException($"run {runId}: no array '{name}' recorded");
}
