using FourierRepro.Analysis;
using FourierRepro.Experiments.Hosting;
using FourierRepro.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace FourierRepro.Tests;

// Workers sharing one database and one plan (issue 14): every run trained once, stale leases taken over, live ones
// left to their worker, pending rows for the plan, the lease timeout checked.
public sealed class LeaseTests : IDisposable
{
    readonly TempDir dir = new();
    public void Dispose() => dir.Dispose();

    // A safety net only: a few seconds on a quiet machine, a minute or more when other jobs load the 2 cores.
    static readonly TimeSpan HostTimeout = TimeSpan.FromSeconds(300);

    // In-process hosts leave torch's thread count alone (it is the test process's); host processes get --threads 1.
    static readonly string[] OneThread = ["--threads", "1"];

    static readonly string[] Tiny = ["--scale", "smoke", "--seeds", "1", "--set", "spectral-bias.Iterations=20",
        "--set", "spectral-bias.RecordEvery=10", "--set", "spectral-bias.ControlSeeds=0"];

    // 2 amplitude cases x seeds; 150 iterations are ~1 s a run on one quiet core, so that two workers overlap.
    static string[] Overlapping(string db, int seeds, int iterations = 150) => ["run", "spectral-bias", "--db", db, "--scale", "smoke", "--seeds", seeds.ToString(),
        "--set", $"spectral-bias.Iterations={iterations}", "--set", "spectral-bias.ControlSeeds=0"];

    static List<RunRecord> Rows(string db)
    {
        using var c = ResultsDatabase.Open(db);
        return c.Runs.AsNoTracking().OrderBy(r => r.Id).ToList();
    }

    static int PidOf(string? workerId) => int.Parse(workerId!.Split(':')[1]);

    [Fact]
    public async Task Two_processes_on_one_database_and_plan_train_every_run_exactly_once()
    {
        var db = dir.File("shared.db");
        using var a = HostProcess.Start([.. Overlapping(db, 3), .. OneThread]);
        using var b = HostProcess.Start([.. Overlapping(db, 3), .. OneThread]);
        int exitA = await a.ExitCode(HostTimeout), exitB = await b.ExitCode(HostTimeout);
        Assert.True(exitA == 0, $"worker A exited {exitA}:\n{a.Output}");
        Assert.True(exitB == 0, $"worker B exited {exitB}:\n{b.Output}");

        var runs = Rows(db);
        Assert.Equal(6, runs.Count);
        Assert.All(runs, r => Assert.Equal(RunStatus.Completed, r.Status));
        Assert.All(runs, r => Assert.True(r.Attempts == 1, $"run {r.Id} ({r.Label} seed {r.Seed}) trained {r.Attempts} times\nA:\n{a.Output}\nB:\n{b.Output}"));
        Assert.All(runs, r => Assert.NotNull(r.HeartbeatAt));
        // Both trained: the test cannot pass by one process finishing the plan before the other starts.
        Assert.Equal(new[] { a.Pid, b.Pid }.Order(), runs.Select(r => PidOf(r.WorkerId)).Distinct().Order());
    }

    [Fact]
    public async Task A_stale_lease_is_taken_over_and_a_live_one_is_left_to_its_worker()
    {
        var db = dir.File("stale.db");
        Assert.Equal(0, await Hosts.Experiments(["run", "spectral-bias", "--db", db, .. Tiny]));
        var before = Rows(db);
        Assert.Equal(2, before.Count);
        long staleId = before[0].Id, liveId = before[1].Id;
        var liveBeat = DateTime.UtcNow;
        int liveLoss;
        using (var c = ResultsDatabase.Open(db))
        {
            c.Runs.Where(r => r.Id == staleId).ExecuteUpdate(s => s.SetProperty(r => r.Status, RunStatus.Running)
                .SetProperty(r => r.WorkerId, "gone-host:4242:aaaaaa").SetProperty(r => r.HeartbeatAt, DateTime.UtcNow.AddHours(-1)));
            c.Runs.Where(r => r.Id == liveId).ExecuteUpdate(s => s.SetProperty(r => r.Status, RunStatus.Running)
                .SetProperty(r => r.WorkerId, "busy-host:4343:bbbbbb").SetProperty(r => r.HeartbeatAt, liveBeat));
            liveLoss = c.MetricSeries(liveId, "loss").Steps.Length;
        }

        using var host = HostProcess.Start(["run", "spectral-bias", "--db", db, .. Tiny, .. OneThread]);
        Assert.True(await host.ExitCode(HostTimeout) == 0, host.Output);
        Assert.Contains("from worker gone-host:4242:aaaaaa", host.Output);
        Assert.Contains("held by worker busy-host:4343:bbbbbb", host.Output);
        Assert.Contains("1 left to other workers", host.Output);

        var after = Rows(db);
        var stale = after.Single(r => r.Id == staleId);
        Assert.Equal(RunStatus.Completed, stale.Status);
        Assert.Equal(2, stale.Attempts);
        Assert.Equal(host.Pid, PidOf(stale.WorkerId));
        var live = after.Single(r => r.Id == liveId); // not trained: as it was left
        Assert.Equal((RunStatus.Running, 1, "busy-host:4343:bbbbbb", before[1].StartedAt), (live.Status, live.Attempts, live.WorkerId, live.StartedAt));
        Assert.Equal(liveBeat, live.HeartbeatAt);
        using var check = ResultsDatabase.Open(db);
        Assert.Equal(liveLoss, check.MetricSeries(liveId, "loss").Steps.Length);
    }

    [Fact]
    public async Task The_plan_is_recorded_pending_at_its_start_and_every_pending_run_completes()
    {
        var db = dir.File("pending.db");
        var task = Hosts.Experiments(Overlapping(db, 1, iterations: 400)); // 2 runs; the first (~2 s) outlasts many polls, also on a quiet machine (60 iterations were missed there)
        List<RunRecord>? seen = null;
        string table = "";
        while (seen is null && !task.IsCompleted)
        {
            await Task.Delay(50);
            if (!File.Exists(db)) continue;
            using var c = ResultsDatabase.Open(db);
            var rows = c.Runs.AsNoTracking().ToList();
            if (rows.Count == 0) continue;
            seen = rows;
            var w = new StringWriter();
            RunTable.Print(w, c, null);
            table = w.ToString();
        }
        Assert.Equal(0, await task);
        Assert.NotNull(seen);
        Assert.Equal(2, seen.Count); // the whole plan at once: one transaction
        var pending = seen.Where(r => r.Status == RunStatus.Pending).ToList();
        Assert.NotEmpty(pending);
        Assert.All(pending, r => Assert.Equal((0, null, null), (r.Attempts, r.WorkerId, r.FinishedAt)));
        Assert.Contains($"{pending.Count} pending", table);
        Assert.Contains(" pending ", table.Split('\n').First(l => l.TrimStart().StartsWith(pending[0].Id + " ")));

        var done = Rows(db);
        Assert.Equal(seen.Select(r => r.Id).Order(), done.Select(r => r.Id).Order());
        Assert.All(done, r => Assert.Equal((RunStatus.Completed, 1), (r.Status, r.Attempts)));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("soon")]
    public async Task A_lease_timeout_that_is_not_positive_exits_2_naming_it_and_leaves_the_database_unchanged(string value)
    {
        var db = dir.File("keep.db");
        Assert.Equal(0, await Hosts.Experiments(["run", "spectral-bias", "--db", db, .. Tiny]));
        var before = Files.Sha256(db);
        var stderr = Console.Error;
        var captured = new StringWriter();
        Console.SetError(captured);
        int exit;
        try { exit = await Hosts.Experiments(["run", "spectral-bias", "--db", db, .. Tiny, "--lease-timeout", value]); }
        finally { Console.SetError(stderr); }
        Assert.Equal(2, exit);
        Assert.Contains("--lease-timeout", captured.ToString());
        Assert.Equal(before, Files.Sha256(db));
    }

    [Fact]
    public async Task A_write_transaction_holds_the_write_lock_from_its_start()
    {
        var db = dir.File("lock.db");
        using var first = ResultsDatabase.Open(db);
        using var second = ResultsDatabase.Open(db);
        using var tx = first.BeginWriteTransaction(); // nothing read or written yet
        var waiting = Task.Run(() => { using var t = second.BeginWriteTransaction(); t.Commit(); });
        await Task.Delay(1000);
        Assert.False(waiting.IsCompleted, "a second write transaction began while the first held the lock");
        tx.Commit();
        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void A_database_another_worker_is_creating_is_not_refused_as_foreign()
    {
        // What a second worker can find while the first one's Migrate holds EF's lock and has not committed the schema.
        var db = dir.File("creating.db");
        using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE \"__EFMigrationsLock\" (\"Id\" INTEGER NOT NULL PRIMARY KEY, \"Timestamp\" TEXT NOT NULL)";
            cmd.ExecuteNonQuery();
        }
        ResultsDatabase.Validate(db);
        using var opened = ResultsDatabase.Open(db);
        Assert.Empty(opened.Database.GetPendingMigrations());
    }

    [Fact]
    public async Task The_heartbeat_renews_the_lease_and_a_lease_taken_over_stops_the_run_and_its_writes()
    {
        var db = dir.File("beat.db");
        long id;
        var t0 = DateTime.UtcNow.AddMinutes(-1);
        using (var c = ResultsDatabase.Open(db))
        {
            c.Experiments.Add(new ExperimentRecord { Name = "e", Paper = "p", Reproduces = "r", Summary = "s" });
            var row = new RunRecord
            {
                Experiment = "e", Scale = "smoke", Label = "l", ConfigJson = "{}", ConfigHash = "h", Status = RunStatus.Running, Attempts = 1,
                Device = "cpu", CodeVersion = "c", LibraryVersions = "{}", Host = "h", StartedAt = t0, WorkerId = "me:1:000000", HeartbeatAt = t0,
            };
            c.Runs.Add(row);
            c.SaveChanges();
            id = row.Id;
        }
        DateTime? Beat() { using var c = ResultsDatabase.Open(db); return c.Runs.AsNoTracking().Single(r => r.Id == id).HeartbeatAt; }

        // A 1 s timeout beats every 0.1 s.
        using var lease = new HeldLease(db, id, "test run", "me:1:000000", TimeSpan.FromSeconds(1), NullLogger.Instance, CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Beat() == t0 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.True(Beat() > t0, "no heartbeat written");

        using (var c = ResultsDatabase.Open(db))
            c.Runs.Where(r => r.Id == id).ExecuteUpdate(s => s.SetProperty(r => r.WorkerId, "thief:2:111111").SetProperty(r => r.Attempts, 2));
        while (!lease.Token.IsCancellationRequested && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.True(lease.Lost && lease.Token.IsCancellationRequested, "a lease taken over was not noticed");
        Assert.Equal("thief:2:111111", lease.LostTo);

        using var mine = ResultsDatabase.Open(db);
        var recorder = new StorageRecorder(mine, lease, t0);
        recorder.Metric("loss", 0, 1.0);
        Assert.False(recorder.Complete());
        Assert.Empty(mine.Metrics.AsNoTracking().Where(m => m.RunId == id));
        var after = mine.Runs.AsNoTracking().Single(r => r.Id == id);
        Assert.Equal((RunStatus.Running, "thief:2:111111", 2), (after.Status, after.WorkerId, after.Attempts));
    }

    // The rules for taking a run, on rows, without a database (RunLeases.Decide).
    [Fact]
    public void Rules_for_taking_a_run_with_force_for_runs_failed_elsewhere_and_for_leases()
    {
        var now = DateTime.UtcNow;
        var me = new Worker("me:1:000000", now.AddMinutes(-10));
        var timeout = TimeSpan.FromSeconds(300);
        RunRecord Row(string status, DateTime? finished = null, string? worker = "other:2:111111", DateTime? beat = null) => new()
        {
            Experiment = "e", Scale = "smoke", Label = "l", ConfigJson = "{}", ConfigHash = "h", Status = status, Device = "cpu", CodeVersion = "c",
            LibraryVersions = "{}", Host = "h", StartedAt = now.AddHours(-2), FinishedAt = finished, WorkerId = worker, HeartbeatAt = beat,
        };
        LeaseOutcome Kind(RunRecord? row, bool force = false) => RunLeases.Decide(row, me, force, timeout, now).Outcome;

        Assert.Equal(LeaseOutcome.Taken, Kind(null));
        Assert.Equal(LeaseOutcome.Taken, Kind(Row(RunStatus.Pending, worker: null)));
        Assert.Equal(LeaseOutcome.Taken, Kind(Row(RunStatus.Interrupted, finished: now.AddMinutes(-1))));
        Assert.Equal(LeaseOutcome.Completed, Kind(Row(RunStatus.Completed, finished: now.AddHours(-1))));
        Assert.Equal(LeaseOutcome.Taken, Kind(Row(RunStatus.Completed, finished: now.AddHours(-1)), force: true));       // before this worker: re-run
        Assert.Equal(LeaseOutcome.Completed, Kind(Row(RunStatus.Completed, finished: now.AddMinutes(-1)), force: true));   // since: done in this plan
        Assert.Equal(LeaseOutcome.Taken, Kind(Row(RunStatus.Failed, finished: now.AddHours(-1))));                      // failed before: retried
        Assert.Equal(LeaseOutcome.FailedByOther, Kind(Row(RunStatus.Failed, finished: now.AddMinutes(-1))));              // failed elsewhere since
        Assert.Equal(LeaseOutcome.HeldByOther, Kind(Row(RunStatus.Running, beat: now.AddSeconds(-30))));
        var stale = RunLeases.Decide(Row(RunStatus.Running, beat: now.AddSeconds(-301)), me, false, timeout, now);
        Assert.Equal((LeaseOutcome.Taken, "other:2:111111"), (stale.Outcome, stale.OtherWorker));                            // a takeover names the old worker
        Assert.Equal(LeaseOutcome.Taken, Kind(Row(RunStatus.Running, worker: null, beat: null)));                         // no heartbeat: started_at, 2 h ago
    }
}
