using FourierRepro.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Xunit.Abstractions;

namespace FourierRepro.Tests;

// Shards made once by the real host (tiny spectral-bias runs, 4 per database), copied into each test's own folder.
public sealed class MergeShards : IAsyncLifetime
{
    readonly TempDir dir = new();
    public string A => dir.File("a.db");     // seeds 1, 2
    public string B => dir.File("b.db");     // seeds 3, 4
    public string All => dir.File("all.db"); // seeds 1..4 in one database: what merging A and B should give

    public async Task InitializeAsync()
    {
        Assert.Equal(0, await Run(A, 1, 2));
        Assert.Equal(0, await Run(B, 3, 2));
        Assert.Equal(0, await Run(All, 1, 4));
    }

    static Task<int> Run(string db, int firstSeed, int seeds) => Hosts.Experiments("run", "spectral-bias", "--db", db, "--scale", "smoke",
        "--first-seed", $"{firstSeed}", "--seeds", $"{seeds}", "--set", "spectral-bias.Iterations=20", "--set", "spectral-bias.RecordEvery=10",
        "--set", "spectral-bias.ControlSeeds=0");

    public Task DisposeAsync()
    {
        dir.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class MergeTests(MergeShards shards, ITestOutputHelper log) : IClassFixture<MergeShards>, IDisposable
{
    readonly TempDir dir = new();
    public void Dispose() => dir.Dispose();

    [Fact]
    public async Task Disjoint_shards_merge_into_what_one_database_of_all_their_runs_holds_and_claims_run_on_it()
    {
        var a = Copy(shards.A, "a.db");
        var b = Copy(shards.B, "b.db");
        Assert.True(await Hosts.Analysis("claims", "--scale", "smoke", "--db", a) is 0 or 1);
        Assert.True(Scalar(a, "SELECT count(*) FROM claim_checks") > 0); // rows of a's own evaluation, not to be copied
        var before = Hashes(a, b);
        var merged = dir.File("merged.db");
        await Merge(merged, a, b);

        Assert.Equal(before, Hashes(a, b));
        AssertNoSidecars(a, b, merged);
        var content = Content(merged);
        Assert.Equal(Content(a).Concat(Content(b)).OrderBy(kv => kv.Key, StringComparer.Ordinal), content);
        Assert.Equal(content.Count, Scalar(merged, "SELECT count(DISTINCT id) FROM runs")); // renumbered: b's ids 1..4 are taken by a's
        Assert.Equal(0, Scalar(merged, "SELECT count(*) FROM claim_checks") + Scalar(merged, "SELECT count(*) FROM artifacts"));
        Assert.Equal(Scalar(a, "SELECT count(*) FROM metric_definitions"), Scalar(merged, "SELECT count(*) FROM metric_definitions"));

        // The same runs trained into one database: the same identities, and values equal to training round-off.
        var all = shards.All;
        Assert.Equal(Content(all).Keys, content.Keys);
        var (mergedValues, allValues) = (Values(merged), Values(all));
        Assert.Equal(allValues.Keys.Order(StringComparer.Ordinal), mergedValues.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, expected) in allValues)
            Check.Close(expected, mergedValues[key], 1e-5 * Math.Max(1, Math.Abs(expected)), key); // the README: reproducible to round-off

        int claims = await Hosts.Analysis("claims", "--scale", "smoke", "--db", merged);
        Assert.True(claims is 0 or 1, $"claims on the merged database exited {claims}");
        Assert.True(Scalar(merged, "SELECT count(*) FROM claim_checks") > 0);
        Assert.Equal(0, await Hosts.Analysis("runs", "--db", merged));
    }

    [Fact]
    public async Task Merging_again_or_a_shard_twice_changes_nothing()
    {
        var a = Copy(shards.A, "a.db");
        var b = Copy(shards.B, "b.db");
        var merged = dir.File("merged.db");
        await Merge(merged, a, b);
        var (content, counts) = (Content(merged), Counts(merged));

        var again = await Merge(merged, a, b, b);
        Assert.Equal(content, Content(merged));
        Assert.Equal(counts, Counts(merged));
        Assert.Contains($"{merged} (the existing output): 8 runs read, 0 copied, 8 already present, 0 superseded", again);

        var twice = dir.File("twice.db");
        await Merge(twice, a, a);
        Assert.Equal(Content(a), Content(twice));
        Assert.Equal(Counts(a), Counts(twice));
        await Merge(merged, twice);
        Assert.Equal(content, Content(merged));
        Assert.Equal(counts, Counts(merged));
    }

    [Fact]
    public async Task A_completed_copy_beats_a_failed_or_interrupted_one_in_any_input_and_in_the_output()
    {
        var a = Copy(shards.A, "a.db");
        var failed = Copy(shards.A, "failed.db");
        Sql(failed, "UPDATE runs SET status = 'failed', error = 'diverged' WHERE id = 1; DELETE FROM metrics WHERE run_id = 1 AND step > 0");
        var interrupted = Copy(shards.A, "interrupted.db");
        Sql(interrupted, "UPDATE runs SET status = 'interrupted' WHERE id = 2");

        var first = dir.File("first.db");
        await Merge(first, failed, interrupted, a);
        Assert.Equal(Content(a), Content(first));
        var last = dir.File("last.db");
        await Merge(last, a, failed);
        Assert.Equal(Content(a), Content(last));

        var output = dir.File("out.db");
        await Merge(output, failed);
        Assert.Equal(1, Scalar(output, "SELECT count(*) FROM runs WHERE status = 'failed'"));
        var summary = DatabaseMerge.Merge(output, [a]);
        Assert.Equal(Content(a), Content(output)); // the failed copy replaced, its partial metrics gone with it
        Assert.Equal((3, 1), (summary.Sources[0].AlreadyPresent, summary.Sources[0].Superseded));
        Assert.Equal((1, 3), (summary.Sources[1].Copied, summary.Sources[1].AlreadyPresent));
    }

    [Fact]
    public async Task A_run_completed_in_no_input_is_kept_once_and_named_in_the_summary()
    {
        var failed = Copy(shards.A, "failed.db");
        Sql(failed, "UPDATE runs SET status = 'failed', error = 'diverged' WHERE id = 1");
        var interrupted = Copy(shards.A, "interrupted.db");
        Sql(interrupted, "UPDATE runs SET status = 'interrupted', started_at = '2999-01-01 00:00:00' WHERE id = 1"); // newer, but not as far
        var pending = Copy(shards.A, "pending.db");
        Sql(pending, "UPDATE runs SET status = 'pending' WHERE id = 1");
        Assert.Equal(1, Scalar(failed, "SELECT seed FROM runs WHERE id = 1"));
        var label = Text(failed, "SELECT label FROM runs WHERE id = 1");

        var merged = dir.File("merged.db");
        var output = await Merge(merged, interrupted, failed, pending);
        Assert.Contains("4 runs (3 completed), 1 not completed in any input", output);
        Assert.Contains($"spectral-bias smoke '{label}' seed 1: interrupted in {interrupted}, failed in {failed}, pending in {pending} (kept failed from {failed})", output);
        Assert.Equal("failed diverged", Text(merged, $"SELECT status || ' ' || error FROM runs WHERE seed = 1 AND label = '{label}'"));
    }

    [Fact]
    public async Task An_input_of_an_older_schema_merges_and_stays_as_it_was()
    {
        var old = Copy(shards.A, "old.db");
        using (var db = ResultsDatabase.Open(old)) db.GetService<IMigrator>().Migrate("20261128170256_InitialSchema");
        Assert.Equal(1, Scalar(old, "SELECT count(*) FROM __EFMigrationsHistory"));
        var b = Copy(shards.B, "b.db");
        var before = Hashes(old, b);

        var merged = dir.File("merged.db");
        await Merge(merged, old, b);
        Assert.Equal(before, Hashes(old, b));
        AssertNoSidecars(old, b);
        Assert.Equal(Content(shards.A).Concat(Content(b)).OrderBy(kv => kv.Key, StringComparer.Ordinal), Content(merged));
    }

    [Theory]
    [InlineData("conflicting metric")]
    [InlineData("conflicting array")]
    [InlineData("foreign SQLite file")]
    [InlineData("not SQLite")]
    [InlineData("newer schema")]
    [InlineData("missing input")]
    [InlineData("output is an input")]
    [InlineData("no inputs")]
    public async Task Refusals_exit_2_and_leave_the_output_byte_for_byte_or_absent(string problem)
    {
        var a = Copy(shards.A, "a.db");
        var bad = dir.File("bad.db");
        switch (problem)
        {
            case "conflicting metric":
                File.Copy(a, bad);
                Sql(bad, "UPDATE metrics SET value = value * 1.5 WHERE id = (SELECT max(id) FROM metrics)");
                break;
            case "conflicting array":
                File.Copy(a, bad);
                Sql(bad, "UPDATE arrays SET data = zeroblob(length(data)) WHERE id = (SELECT max(id) FROM arrays)");
                break;
            case "foreign SQLite file": Sql(bad, "CREATE TABLE foo (x INTEGER)"); break;
            case "not SQLite": File.WriteAllText(bad, "not a database"); break;
            case "newer schema":
                File.Copy(a, bad);
                Sql(bad, "INSERT INTO __EFMigrationsHistory VALUES ('29991231000000_Future', '10.0.15')");
                break;
        }
        string[] Inputs(string output) => problem switch
        {
            "output is an input" => [a, output],
            "no inputs" => [],
            _ => [a, bad],
        };

        var absent = dir.File(Path.Combine("new", "merged.db"));
        var files = Listing();
        var hashes = Hashes(Inputs(absent).Where(File.Exists).ToArray());
        Assert.Equal(2, await Hosts.Analysis(["merge", "--into", absent, .. Inputs(absent)]));
        Assert.False(Directory.Exists(Path.GetDirectoryName(absent)), $"{problem}: the output's folder was made");
        Assert.Equal(files, Listing());
        Assert.Equal(hashes, Hashes(Inputs(absent).Where(File.Exists).ToArray()));

        var existing = dir.File("existing.db");
        await Merge(existing, a, Copy(shards.B, "b.db")); // holds a's runs: a conflict with it is refused as well
        var hash = Files.Sha256(existing);
        files = Listing();
        Assert.Equal(2, await Hosts.Analysis(["merge", "--into", existing, .. Inputs(existing)]));
        Assert.Equal(hash, Files.Sha256(existing));
        Assert.Equal(files, Listing()); // no temp file, -wal or -shm left
    }

    [Fact]
    public void A_conflict_names_the_run_and_both_files_in_one_line()
    {
        var a = Copy(shards.A, "a.db");
        var b = Copy(shards.A, "changed.db");
        Sql(b, "UPDATE metrics SET value = value + 1 WHERE id = (SELECT min(id) FROM metrics)");
        var run = Text(b, "SELECT 'spectral-bias smoke ''' || label || ''' seed ' || seed FROM runs WHERE id = (SELECT run_id FROM metrics ORDER BY id LIMIT 1)");
        var e = Assert.Throws<ResultsDatabaseException>(() => DatabaseMerge.Merge(dir.File("m.db"), [a, b]));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains(run, e.Message);
        Assert.Contains(a, e.Message);
        Assert.Contains(b, e.Message);
        Assert.False(File.Exists(dir.File("m.db")));
    }

    async Task<string> Merge(string into, params string[] inputs)
    {
        var output = new StringWriter();
        Assert.Equal(0, await Hosts.Analysis(output, ["merge", "--into", into, .. inputs]));
        log.WriteLine(output.ToString());
        return output.ToString();
    }

    string Copy(string shard, string name)
    {
        Assert.False(File.Exists(shard + "-wal"), $"{shard} has a write-ahead log: copying the file alone would lose rows");
        var to = dir.File(name);
        File.Copy(shard, to);
        return to;
    }

    string[] Listing() => [.. Directory.GetFileSystemEntries(dir.Path).Order(StringComparer.Ordinal)];

    static string[] Hashes(params string[] paths) => [.. paths.Select(Files.Sha256)];

    static void AssertNoSidecars(params string[] paths)
    {
        foreach (var p in paths)
            Assert.False(File.Exists(p + "-wal") || File.Exists(p + "-shm"), $"{p}: a -wal or -shm file was left beside it");
    }

    // Every run by identity: every column but its id, and its metric rows and arrays, sorted. A read-write connection
    // that writes nothing leaves the file as it was and removes the -wal and -shm files when it closes.
    static SortedDictionary<string, string> Content(string db)
    {
        using var c = Connect(db);
        var content = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var run in Rows(c, "SELECT * FROM runs"))
        {
            var identity = $"{run["experiment"]} {run["scale"]} {run["seed"]} {run["config_hash"]}";
            var columns = run.Where(kv => kv.Key != "id").Select(kv => $"{kv.Key}={kv.Value}");
            var metrics = Rows(c, $"SELECT name, step, value, is_nan FROM metrics WHERE run_id = {run["id"]}").Select(r => string.Join(" ", r.Values));
            var arrays = Rows(c, $"SELECT name, step, shape, dtype, hex(data) FROM arrays WHERE run_id = {run["id"]}").Select(r => string.Join(" ", r.Values));
            content[identity] = string.Join("\n", columns.Concat(metrics.Order(StringComparer.Ordinal)).Concat(arrays.Order(StringComparer.Ordinal)));
        }
        return content;
    }

    // Metric values and array elements by identity, name, step (and index), for comparing separately trained runs.
    static Dictionary<string, double> Values(string db)
    {
        using var c = Connect(db);
        var values = new Dictionary<string, double>();
        const string Run = "r.experiment || ' ' || r.seed || ' ' || r.config_hash || ' ' || x.name || ' ' || x.step";
        foreach (var m in Rows(c, $"SELECT {Run} AS k, x.value AS v FROM metrics x JOIN runs r ON r.id = x.run_id"))
            values[(string)m["k"]!] = m["v"] is double v ? v : double.NaN;
        foreach (var a in Rows(c, $"SELECT {Run} AS k, x.shape, x.dtype, x.data FROM arrays x JOIN runs r ON r.id = x.run_id"))
        {
            var decoded = ArrayCodec.Decode(new ArrayRecord { Name = (string)a["k"]!, Shape = (string)a["shape"]!, Dtype = (string)a["dtype"]!, Data = (byte[])a["data"]! });
            for (int i = 0; i < decoded.Data.Length; i++) values[$"{a["k"]} [{i}]"] = decoded.Data[i];
        }
        return values;
    }

    static (long, long, long, long, long) Counts(string db) => (Scalar(db, "SELECT count(*) FROM runs"), Scalar(db, "SELECT count(*) FROM metrics"),
        Scalar(db, "SELECT count(*) FROM arrays"), Scalar(db, "SELECT count(*) FROM experiments"), Scalar(db, "SELECT count(*) FROM metric_definitions"));

    static SqliteConnection Connect(string db)
    {
        var c = new SqliteConnection($"Data Source={db};Pooling=False");
        c.Open();
        return c;
    }

    static void Sql(string db, string sql)
    {
        using var c = Connect(db);
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    static long Scalar(string db, string sql) => Convert.ToInt64(One(db, sql));
    static string Text(string db, string sql) => (string)One(db, sql)!;

    static object? One(string db, string sql)
    {
        using var c = Connect(db);
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    static List<Dictionary<string, object?>> Rows(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        while (r.Read())
            rows.Add(Enumerable.Range(0, r.FieldCount).ToDictionary(r.GetName, i => r.IsDBNull(i) ? null : r.GetValue(i)));
        return rows;
    }
}
