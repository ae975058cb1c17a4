using FourierRepro.Storage;
using Microsoft.EntityFrameworkCore;

namespace FourierRepro.Experiments.Hosting;

// Buffers what a run records and writes it in batched transactions. The run becomes `completed` in the same
// transaction as its last rows, so a completed run always has all its data; a crash loses only the run in flight.
// Every flush first renews the worker's lease, in the flush's transaction: when the run was taken over by another worker,
// nothing is written (the new holder has reset the row and records its own attempt).
public sealed class StorageRecorder(ResultsDbContext db, HeldLease lease, DateTime startedAt) : IRunRecorder
{
    const int FlushRows = 50_000;
    static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(10);

    readonly long runId = lease.RunId;
    readonly List<MetricRow> metrics = [];
    readonly List<ArrayRecord> arrays = [];
    DateTime lastFlush = DateTime.UtcNow;

    public void Metric(string name, long step, double value)
    {
        metrics.Add(new MetricRow(runId, name, step, value));
        MaybeFlush();
    }

    public void Array(string name, long step, int[] shape, ReadOnlySpan<float> data)
    {
        arrays.Add(ArrayCodec.Encode(runId, name, step, shape, data));
        MaybeFlush();
    }

    public void Array(string name, long step, int[] shape, ReadOnlySpan<double> data)
    {
        arrays.Add(ArrayCodec.Encode(runId, name, step, shape, data));
        MaybeFlush();
    }

    void MaybeFlush()
    {
        if (metrics.Count >= FlushRows || DateTime.UtcNow - lastFlush > FlushInterval)
            if (!Flush(finalStatus: null, error: null)) throw new LeaseLostException(runId, lease.LostTo);
    }

    // False when the lease was lost: nothing was written.
    public bool Complete() => Flush(RunStatus.Completed, null);

    // Failed and interrupted runs keep what they recorded, for diagnosis (and their worker_id); they are re-run from
    // scratch. False when the lease was lost: nothing was written.
    public bool Fail(string status, string error) => Flush(status, error);

    bool Flush(string? finalStatus, string? error)
    {
        using var tx = db.BeginWriteTransaction();
        if (!lease.Renew(db))
        {
            metrics.Clear();
            arrays.Clear();
            return false; // rolled back on dispose
        }
        MetricWriter.Insert(db, metrics);
        if (arrays.Count > 0)
        {
            db.Arrays.AddRange(arrays);
            db.SaveChanges();
            db.ChangeTracker.Clear();
        }
        if (finalStatus is not null)
        {
            var now = DateTime.UtcNow;
            db.Runs.Where(r => r.Id == runId).ExecuteUpdate(s => s
                .SetProperty(r => r.Status, finalStatus)
                .SetProperty(r => r.Error, error)
                .SetProperty(r => r.FinishedAt, now)
                .SetProperty(r => r.DurationSeconds, (now - startedAt).TotalSeconds));
        }
        tx.Commit();
        metrics.Clear();
        arrays.Clear();
        lastFlush = DateTime.UtcNow;
        return true;
    }
}
