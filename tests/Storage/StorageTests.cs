using FourierRepro.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace FourierRepro.Tests;

public sealed class StorageTests : IDisposable
{
    readonly TempDir dir = new();
    public void Dispose() => dir.Dispose();

    static RunRecord NewRun(string experiment = "e", int seed = 1) => new()
    {
        Experiment = experiment, Scale = "smoke", Seed = seed, Label = "l", ConfigJson = "{}", ConfigHash = "h", Status = RunStatus.Running,
        Device = "cpu", CodeVersion = "c", LibraryVersions = "{}", Host = "h", StartedAt = DateTime.UtcNow,
    };

    static long AddRun(ResultsDbContext db, string experiment = "e", int seed = 1)
    {
        if (db.Experiments.Find(experiment) is null)
            db.Experiments.Add(new ExperimentRecord { Name = experiment, Paper = "p", Reproduces = "r", Summary = "s" });
        var run = NewRun(experiment, seed);
        db.Runs.Add(run);
        db.SaveChanges();
        return run.Id;
    }

    // POSIX drops every fcntl lock a process holds on a file when it closes any descriptor of it. A second context opened
    // while one is open (the runner's and the heartbeat's) must not read the file outside SQLite, or this process's
    // shared lock on the database is gone and another process may checkpoint and delete the write-ahead log under it
    // (seen with two workers: a lost completion, then 'database disk image is malformed').
    [Fact]
    public void Opening_a_second_context_keeps_the_first_connections_lock_on_the_file()
    {
        var path = dir.File("locks.db");
        using var first = ResultsDatabase.Open(path);
        AddRun(first);
        Assert.Equal(1, first.Runs.Count());
        long inode = Inode(path);
        int before = ReadLocks(inode);
        Assert.True(before > 0, "an open WAL connection holds a shared lock on the database file (see /proc/locks)");

        ResultsDatabase.Validate(path);
        using (var second = ResultsDatabase.Open(path)) Assert.Equal(1, second.Runs.Count());
        Assert.Equal(before, ReadLocks(inode));
    }

    static long Inode(string path)
    {
        var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true })!;
        var text = stat.StandardOutput.ReadToEnd();
        stat.WaitForExit();
        return long.Parse(text.Trim());
    }

    // This process's POSIX read locks on the inode, from /proc/locks ("1: POSIX ADVISORY READ <pid> <maj>:<min>:<inode> …").
    static int ReadLocks(long inode) =>
        File.ReadAllLines("/proc/locks").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Count(f => f.Length >= 6 && f[1] == "POSIX" && f[3] == "READ" && f[4] == Environment.ProcessId.ToString() && f[5].EndsWith($":{inode}"));

    [Fact]
    public void Migrations_apply_and_tables_are_snake_case()
    {
        var path = dir.File("a.db");
        using (var db = ResultsDatabase.Open(path)) Assert.Empty(db.Database.GetPendingMigrations());
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name";
        var tables = new List<string>();
        using (var r = cmd.ExecuteReader()) while (r.Read()) tables.Add(r.GetString(0));
        Assert.Superset(new HashSet<string> { "experiments", "runs", "metrics", "arrays", "artifacts", "claim_checks", "metric_definitions" }, tables.ToHashSet());
        cmd.CommandText = "SELECT config_hash, code_version, library_versions, started_at FROM runs";
        cmd.ExecuteReader().Dispose(); // the columns users query exist under these names
        cmd.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string)cmd.ExecuteScalar()!);
    }

    [Fact]
    public void Metrics_round_trip_with_nan_and_infinities_kept()
    {
        var path = dir.File("m.db");
        long run;
        using (var db = ResultsDatabase.Open(path))
        {
            run = AddRun(db);
            MetricWriter.Insert(db, [new(run, "x", 0, 1.5), new(run, "x", 1, double.NaN), new(run, "x", 2, double.PositiveInfinity), new(run, "x", 3, double.NegativeInfinity)]);
        }
        using var again = ResultsDatabase.Open(path); // a second open of the same file sees the data
        var (steps, values) = again.MetricSeries(run, "x");
        Assert.Equal([0L, 1, 2, 3], steps);
        Assert.Equal(1.5, values[0]);
        Assert.True(double.IsNaN(values[1]));
        Assert.Equal(double.PositiveInfinity, values[2]);
        Assert.Equal(double.NegativeInfinity, values[3]);
    }

    [Fact]
    public void Arrays_round_trip_in_both_precisions()
    {
        var path = dir.File("arr.db");
        using var db = ResultsDatabase.Open(path);
        long run = AddRun(db);
        db.Arrays.Add(ArrayCodec.Encode(run, "f", 0, [2, 3], new float[] { 1, 2, 3, 4, 5, 6.5f }));
        db.Arrays.Add(ArrayCodec.Encode(run, "d", 7, [3], new[] { Math.PI, double.NaN, -1 }));
        db.SaveChanges();
        var f = db.RequireArray(run, "f");
        Assert.Equal([2, 3], f.Shape);
        Assert.Equal(6.5, f[1, 2]);
        var d = db.RequireArray(run, "d", 7);
        Assert.Equal(Math.PI, d.Data[0]);
        Assert.True(double.IsNaN(d.Data[1]));
        Assert.Throws<ArgumentException>(() => ArrayCodec.Encode(run, "bad", 0, [4], new float[3]));
    }

    [Fact]
    public void Run_identity_is_unique()
    {
        using var db = ResultsDatabase.Open(dir.File("u.db"));
        AddRun(db);
        db.Runs.Add(NewRun());
        Assert.Throws<DbUpdateException>(() => db.SaveChanges());
    }

    [Fact]
    public void Deleting_a_run_removes_its_rows()
    {
        using var db = ResultsDatabase.Open(dir.File("c.db"));
        long run = AddRun(db);
        MetricWriter.Insert(db, [new(run, "x", 0, 1)]);
        db.Runs.Where(r => r.Id == run).ExecuteDelete();
        Assert.Equal(0, db.Metrics.Count());
    }

    [Fact]
    public void Files_that_are_not_our_database_are_refused_and_left_unchanged()
    {
        var text = dir.File("notes.db");
        File.WriteAllText(text, "these are my notes, not a database");
        var foreign = dir.File("foreign.db");
        using (var c = new SqliteConnection($"Data Source={foreign};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE people (name TEXT)";
            cmd.ExecuteNonQuery();
        }
        foreach (var path in new[] { text, foreign })
        {
            var before = Files.Sha256(path);
            var e = Assert.Throws<ResultsDatabaseException>(() => ResultsDatabase.Open(path));
            Assert.DoesNotContain('\n', e.Message);
            Assert.Equal(before, Files.Sha256(path));
        }
        Assert.Throws<ResultsDatabaseException>(() => ResultsDatabase.Open(dir.Path));
        Assert.Throws<ResultsDatabaseException>(() => ResultsDatabase.OpenExisting(dir.File("missing.db")));
        Assert.Throws<ResultsDatabaseException>(() => ResultsDatabase.Open("/proc/fourier/x.db"));
    }

    [Fact]
    public void Metric_writer_is_fast_enough_for_series()
    {
        // Not a timing assertion: a sanity check that 100k rows go through one prepared statement in one transaction.
        using var db = ResultsDatabase.Open(dir.File("fast.db"));
        long run = AddRun(db);
        MetricWriter.Insert(db, Enumerable.Range(0, 100_000).Select(i => new MetricRow(run, "loss", i, 1.0 / (i + 1))).ToList());
        Assert.Equal(100_000, db.Metrics.Count(m => m.RunId == run));
    }
}
