using FourierRepro.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FourierRepro.Experiments.Hosting;

public sealed class LeaseLostException(long runId, string? toWorker)
    : Exception($"run {runId} is no longer held by this worker (now: {toWorker ?? "no row"})");

// The lease this worker holds on the run it trains. A heartbeat on a timer renews it while the run trains, whatever
// the run records: training is on its own thread, and some runs record nothing for minutes (NTK solves, evaluation
// sweeps), so the recorder's flushes alone cannot keep it alive. The recorder renews it too, in the transaction of
// each flush, so that a worker whose run was taken over writes nothing more into it. When the lease is found lost,
// the run is cancelled (Token) and the runner leaves the row to its new holder.
public sealed class HeldLease : IDisposable
{
    // The heartbeat comes at least 10 times per lease timeout (default 300 s: every 10 s), so a worker is taken for
    // dead only after many missed beats, not after one slow write.
    public static TimeSpan HeartbeatInterval(TimeSpan leaseTimeout) => TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(10).Ticks, leaseTimeout.Ticks / 10));

    readonly string dbPath;
    readonly string description;
    readonly ILogger log;
    readonly CancellationTokenSource cancel;
    readonly CancellationTokenSource stop = new();
    readonly Task heartbeat;
    string? lostTo;
    int lost;

    public long RunId { get; }
    public string WorkerId { get; }
    public bool Lost => Volatile.Read(ref lost) == 1;
    public string? LostTo => Volatile.Read(ref lostTo);
    // Cancelled on shutdown (hostStop) or when the lease is lost.
    public CancellationToken Token => cancel.Token;

    public HeldLease(string dbPath, long runId, string description, string workerId, TimeSpan leaseTimeout, ILogger log, CancellationToken hostStop)
    {
        this.dbPath = dbPath;
        this.description = description;
        this.log = log;
        RunId = runId;
        WorkerId = workerId;
        cancel = CancellationTokenSource.CreateLinkedTokenSource(hostStop);
        heartbeat = Task.Run(() => BeatAsync(HeartbeatInterval(leaseTimeout)));
    }

    // Writes the heartbeat through db (the caller's own context; inside its transaction when it has one). False when
    // the run is no longer this worker's: taken over (another worker_id) or its row deleted. A row still ours but no
    // longer running is a run that has just ended: true, nothing to renew.
    public bool Renew(ResultsDbContext db)
    {
        if (Lost) return false;
        var now = DateTime.UtcNow;
        int n = db.Runs.Where(r => r.Id == RunId && r.WorkerId == WorkerId && r.Status == RunStatus.Running)
            .ExecuteUpdate(s => s.SetProperty(r => r.HeartbeatAt, now));
        if (n == 1) return true;
        var row = db.Runs.AsNoTracking().Where(r => r.Id == RunId).Select(r => new { r.WorkerId, r.Status }).SingleOrDefault();
        if (row is not null && row.WorkerId == WorkerId) return true;
        if (Interlocked.Exchange(ref lost, 1) == 0)
        {
            Volatile.Write(ref lostTo, row?.WorkerId);
            log.LogError("Run {RunId} ({Description}) was taken over by worker {Worker} (status {Status}): this worker ({Me}) missed its heartbeats "
                + "for longer than the lease timeout; it stops the run and writes nothing more into it", RunId, description, row?.WorkerId ?? "(row deleted)",
                row?.Status ?? "-", WorkerId);
            cancel.Cancel();
        }
        return false;
    }

    async Task BeatAsync(TimeSpan interval)
    {
        // Its own context, used by this loop alone and one tick at a time: never the training thread's (STYLE 10).
        ResultsDbContext? db = null;
        try
        {
            using var timer = new PeriodicTimer(interval);
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                try
                {
                    db ??= ResultsDatabase.Open(dbPath);
                    if (!Renew(db)) return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A busy or briefly unreadable database: the next beat tries again on a fresh connection.
                    log.LogWarning("Heartbeat of run {RunId} not written: {Error}", RunId, e.Message.Split('\n')[0]);
                    db?.Dispose();
                    db = null;
                }
            }
        }
        catch (OperationCanceledException) { }
        finally
        {
            db?.Dispose();
        }
    }

    // Stops the heartbeat and waits for a beat in progress: the lease ends with the run, and so does its connection.
    public void Dispose()
    {
        stop.Cancel();
        heartbeat.Wait();
        stop.Dispose();
        cancel.Dispose();
    }
}
