using FourierRepro.Storage;
using Microsoft.EntityFrameworkCore;

namespace FourierRepro.Tests;

// The experiments host: planning, skipping, failures, interruption and bad input, on tiny spectral-bias runs.
public sealed class HostTests : IDisposable
{
    readonly TempDir dir = new();
    public void Dispose() => dir.Dispose();

    static readonly string[] Tiny = ["--scale", "smoke", "--seeds", "1", "--set", "spectral-bias.Iterations=20", "--set", "spectral-bias.RecordEvery=10",
        "--set", "spectral-bias.ControlSeeds=0"];

    Task<int> RunTiny(string db, params string[] extra) => Hosts.Experiments(["run", "spectral-bias", "--db", db, .. Tiny, .. extra]);

    [Fact]
    public async Task A_second_run_of_the_same_plan_trains_nothing_and_force_retrains()
    {
        var db = dir.File("r.db");
        Assert.Equal(0, await RunTiny(db));
        List<RunRecord> first;
        using (var c = ResultsDatabase.Open(db)) first = c.Runs.AsNoTracking().ToList();
        Assert.Equal(2, first.Count);
        Assert.All(first, r => Assert.Equal(RunStatus.Completed, r.Status));

        Assert.Equal(0, await RunTiny(db));
        using (var c = ResultsDatabase.Open(db))
        {
            var second = c.Runs.AsNoTracking().ToList();
            Assert.Equal(first.Select(r => (r.Id, r.StartedAt, r.Attempts)), second.Select(r => (r.Id, r.StartedAt, r.Attempts)));
        }

        Assert.Equal(0, await RunTiny(db, "--force"));
        using (var c = ResultsDatabase.Open(db))
        {
            var third = c.Runs.AsNoTracking().ToList();
            Assert.Equal(2, third.Count);
            Assert.All(third, r => Assert.Equal(2, r.Attempts));
            Assert.All(third, r => Assert.Equal(3, c.MetricSeries(r.Id, "loss").Steps.Length)); // old rows replaced, not duplicated
        }
    }

    [Fact]
    public async Task First_seed_plans_a_fresh_block_of_seeds_and_control_points_keep_their_own_count()
    {
        var db = dir.File("s.db");
        Assert.Equal(0, await Hosts.Experiments(["run", "spectral-bias", "--db", db, "--scale", "smoke", "--seeds", "2", "--first-seed", "101",
            "--set", "spectral-bias.Iterations=20", "--set", "spectral-bias.RecordEvery=10", "--set", "spectral-bias.ControlSeeds=1"]));
        using var c = ResultsDatabase.Open(db);
        var runs = c.Runs.AsNoTracking().ToList();
        Assert.Equal([101, 102], runs.Where(r => !r.Label.Contains("control")).Select(r => r.Seed).Distinct().Order());
        Assert.Equal([101], runs.Where(r => r.Label.Contains("control")).Select(r => r.Seed).Distinct());
        Assert.Equal(6, runs.Count); // 2 cases x 2 seeds, and 2 control cases x 1 seed
        Assert.Equal(2, await Hosts.Experiments(["run", "spectral-bias", "--db", db, "--first-seed", "0"]));
    }

    [Fact]
    public async Task A_different_setting_is_a_different_run()
    {
        var db = dir.File("d.db");
        Assert.Equal(0, await RunTiny(db));
        Assert.Equal(0, await RunTiny(db, "--set", "spectral-bias.LearningRate=1e-3"));
        using var c = ResultsDatabase.Open(db);
        Assert.Equal(4, c.Runs.Count());
        Assert.Equal(4, c.Runs.Select(r => r.ConfigHash + r.Label).Distinct().Count());
    }

    [Fact]
    public async Task Diverging_runs_are_recorded_failed_with_the_reason_and_the_plan_goes_on()
    {
        var db = dir.File("nan.db");
        Assert.Equal(1, await RunTiny(db, "--set", "spectral-bias.LearningRate=1e30"));
        using var c = ResultsDatabase.Open(db);
        var runs = c.Runs.AsNoTracking().ToList();
        Assert.Equal(2, runs.Count); // the second run was attempted after the first failed
        Assert.All(runs, r =>
        {
            Assert.Equal(RunStatus.Failed, r.Status);
            Assert.Contains("training loss", r.Error);
        });
    }

    [Theory]
    [InlineData(RunStatus.Failed)]
    [InlineData(RunStatus.Interrupted)]
    public async Task Failed_and_interrupted_runs_are_rerun_next_time_and_completed_ones_are_not(string status)
    {
        var db = dir.File($"rerun-{status}.db");
        Assert.Equal(0, await RunTiny(db));
        long marked;
        using (var c = ResultsDatabase.Open(db))
        {
            marked = c.Runs.Where(r => r.Status == RunStatus.Completed).OrderBy(r => r.Id).First().Id;
            c.Runs.Where(r => r.Id == marked).ExecuteUpdate(s => s.SetProperty(r => r.Status, status));
        }
        Assert.Equal(0, await RunTiny(db));
        using var again = ResultsDatabase.Open(db);
        var runs = again.Runs.AsNoTracking().ToList();
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal(RunStatus.Completed, r.Status));
        Assert.Equal(2, runs.Single(r => r.Id == marked).Attempts);   // the marked run was trained again
        Assert.Equal(1, runs.Single(r => r.Id != marked).Attempts);   // the completed one was skipped
    }

    [Fact]
    public async Task Ctrl_c_marks_the_run_in_flight_interrupted()
    {
        var db = dir.File("int.db");
        using var cts = new CancellationTokenSource();
        var task = Hosts.Experiments(cts.Token, "run", "spectral-bias", "--db", db, "--scale", "smoke", "--seeds", "1", "--set", "spectral-bias.Iterations=100000");
        // Wait until the first run is in flight, then stop the host as Ctrl+C does.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            if (!File.Exists(db)) continue;
            using var c = ResultsDatabase.Open(db);
            if (c.Runs.Any(r => r.Status == RunStatus.Running)) break;
        }
        cts.Cancel();
        Assert.Equal(130, await task);
        using var after = ResultsDatabase.Open(db);
        var runs = after.Runs.AsNoTracking().ToList();
        // The run in flight is interrupted; the rest of the plan was recorded pending at its start and never started.
        Assert.Equal(RunStatus.Interrupted, Assert.Single(runs, r => r.Status != RunStatus.Pending).Status);
        Assert.True(runs.Count > 1, $"{runs.Count} rows: the plan's other runs are missing");
        Assert.All(runs.Where(r => r.Status == RunStatus.Pending), r => Assert.Equal(0, r.Attempts));
    }

    [Theory]
    [InlineData("run", "no-such-experiment")]
    [InlineData("run", "spectral-bias", "--scale", "huge")]
    [InlineData("run", "spectral-bias", "--seeds", "0")]
    [InlineData("run", "spectral-bias", "--seeds", "-3")]
    [InlineData("run", "spectral-bias", "--device", "tpu")]
    [InlineData("run", "spectral-bias", "--device", "cuda")]
    [InlineData("run", "spectral-bias", "--set", "spectral-bias.Nope=1")]
    [InlineData("run", "spectral-bias", "--set", "spectral-bias.Iterations=many")]
    [InlineData("run", "spectral-bias", "--set", "other.Iterations=1")]
    [InlineData("run", "spectral-bias", "--bogus")]
    [InlineData("run")]
    public async Task Bad_input_exits_2_and_leaves_the_database_byte_for_byte_unchanged(params string[] args)
    {
        var db = dir.File("keep.db");
        Assert.Equal(0, await RunTiny(db));
        var before = Files.Sha256(db);
        Assert.Equal(2, await Hosts.Experiments([.. args, "--db", db]));
        Assert.Equal(before, Files.Sha256(db));
    }

    [Fact]
    public async Task A_database_path_that_is_not_a_results_database_exits_2_untouched()
    {
        var notes = dir.File("notes.txt");
        File.WriteAllText(notes, "not sqlite");
        var before = Files.Sha256(notes);
        Assert.Equal(2, await Hosts.Experiments("run", "spectral-bias", "--scale", "smoke", "--db", notes));
        Assert.Equal(before, Files.Sha256(notes));
        Assert.Equal(2, await Hosts.Experiments("run", "spectral-bias", "--scale", "smoke", "--db", dir.Path));
        Assert.Equal(2, await Hosts.Experiments("run", "spectral-bias", "--scale", "smoke", "--db", "/proc/no/such.db"));
    }

    [Fact]
    public async Task Analysis_refuses_bad_input_with_exit_2()
    {
        Assert.Equal(2, await Hosts.Analysis("report", "--db", dir.File("missing.db"), "--scale", "smoke"));
        var db = dir.File("a.db");
        Assert.Equal(0, await RunTiny(db));
        Assert.Equal(2, await Hosts.Analysis("claims", "--db", db, "--scale", "huge"));
        Assert.Equal(2, await Hosts.Analysis("claims", "--db", db, "--experiment", "nope"));
        Assert.Equal(2, await Hosts.Analysis("frobnicate"));
    }

    [Fact]
    public async Task Claims_without_runs_are_not_evaluated_and_do_not_fail()
    {
        var db = dir.File("empty.db");
        using (ResultsDatabase.Open(db)) { }
        Assert.Equal(0, await Hosts.Analysis("claims", "--db", db, "--scale", "paper"));
        using var c = ResultsDatabase.Open(db);
        Assert.Equal(0, c.ClaimChecks.Count());
    }

    [Fact]
    public async Task Bench_quick_measures_every_workload_and_writes_json()
    {
        // Shape and sanity only: times on a shared machine are not asserted, but every workload must have run,
        // with consistent order statistics and a GEMM reference from the same process.
        var json = dir.File("bench.json");
        int previousThreads = TorchSharp.torch.get_num_threads();
        try { Assert.Equal(0, await Hosts.Experiments("bench", "--quick", "--json", json, "--threads", "1")); }
        finally { TorchSharp.torch.set_num_threads(previousThreads); }
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
        var results = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        string[] expected = ["image step", "spectral-bias step, 1 network", "ensemble of 20", "Adam update", "NTK", "metric rows", "image run memory"];
        foreach (var name in expected)
            Assert.Contains(results, r => r.GetProperty("Workload").GetString()!.Contains(name));
        foreach (var r in results)
        {
            string workload = r.GetProperty("Workload").GetString()!;
            double median = r.GetProperty("Median").GetDouble(), min = r.GetProperty("Min").GetDouble(), max = r.GetProperty("Max").GetDouble();
            Assert.True(min > 0 && min <= median && median <= max, $"{workload}: min {min}, median {median}, max {max}");
            if (r.GetProperty("FlopsPerRepeat").GetDouble() > 0)
            {
                double ratio = r.GetProperty("RatioToGemm").GetDouble();
                Assert.True(r.GetProperty("GemmGflops").GetDouble() > 0 && ratio > 0 && ratio < 2, $"{workload}: ratio to GEMM {ratio}");
            }
        }
        // The reported speedup is the ratio of the two measured workloads it names, not a number made up elsewhere.
        double Median(string name) => results.First(r => r.GetProperty("Workload").GetString()!.Contains(name)).GetProperty("Median").GetDouble();
        double speedup = doc.RootElement.GetProperty("ensembleSpeedup").GetDouble();
        Check.RelClose(Median("spectral-bias step, 1 network") * 20 / Median("ensemble of 20"), speedup, 1e-9, "ensemble speedup");
    }
}
