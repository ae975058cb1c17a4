using FourierRepro.Experiments.Hosting;
using FourierRepro.Storage;
using Microsoft.EntityFrameworkCore;

namespace FourierRepro.Tests;

// `run --shard K/N`: the plan split into N disjoint parts that cover it, balanced by estimated cost, computed the same
// in every process; `--shard auto` from the schedulers' environments; `--dry-run` trains nothing and opens no database.
public sealed class ShardTests : IDisposable
{
    readonly TempDir dir = new();
    public void Dispose() => dir.Dispose();

    static List<PlannedRun> Plan(Scale scale) => RunPlan.Build(ExperimentCatalog.All, scale, null, []);

    [Theory]
    [InlineData(Scale.Smoke)]
    [InlineData(Scale.Standard)]
    [InlineData(Scale.Paper)]
    public void Shards_are_disjoint_cover_the_plan_and_are_balanced_for_1_to_8_parts(Scale scale)
    {
        var plan = Plan(scale);
        for (int n = 1; n <= 8; n++)
        {
            var parts = Enumerable.Range(1, n).Select(k => Shards.Select(plan, new ShardSpec(k, n))).ToList();
            var keys = parts.SelectMany(p => p.Select(r => r.IdentityKey)).ToList();
            Assert.Equal(keys.Count, keys.Distinct().Count());                                   // disjoint
            Assert.Equal(plan.Select(r => r.IdentityKey).Order(), keys.Order());                 // complete
            foreach (var part in parts)                                                          // each in the plan's order
                Assert.Equal(plan.Where(r => part.Contains(r)).Select(r => r.IdentityKey), part.Select(r => r.IdentityKey));

            // The LPT rule's guarantee: the longest part is within 4/3 of a lower bound of the best possible one.
            double total = plan.Sum(r => r.EstimatedSeconds), longestRun = plan.Max(r => r.EstimatedSeconds);
            double longest = parts.Max(p => p.Sum(r => r.EstimatedSeconds));
            Assert.True(longest <= 4.0 / 3 * Math.Max(total / n, longestRun) + 1e-9,
                $"{scale}, {n} shards: longest part {longest:F1} s > 4/3 × max(total/n {total / n:F1}, longest run {longestRun:F1})");
        }
    }

    [Fact]
    public void Every_run_has_a_positive_finite_estimate()
    {
        foreach (var scale in new[] { Scale.Smoke, Scale.Standard, Scale.Paper })
            foreach (var run in Plan(scale))
                Assert.True(double.IsFinite(run.EstimatedSeconds) && run.EstimatedSeconds > 0, $"{run.Description} at {scale}: {run.EstimatedSeconds}");
    }

    [Fact]
    public async Task Another_process_computes_the_same_split()
    {
        var plan = Plan(Scale.Standard);
        var expected = Shards.Select(plan, new ShardSpec(3, 5)).Select(r => r.Description).ToList();
        using var host = HostProcess.Start("run", "all", "--scale", "standard", "--dry-run", "--shard", "3/5");
        Assert.True(await host.ExitCode(TimeSpan.FromMinutes(2)) == 0, host.Output);
        // The dry run's lines: "   1     12.3  spectral-bias amplitudes=equal seed 1".
        var printed = host.Output.Split('\n').Select(l => l.TrimEnd('\r'))
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"^\s*\d+\s+[\d.]+\s+(.+)$"))
            .Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(expected, printed);
    }

    [Theory]
    [InlineData("FOURIER_SHARD=2/3", 2, 3)]
    [InlineData("JOB_COMPLETION_INDEX=0;FOURIER_SHARD_COUNT=4", 1, 4)]
    [InlineData("JOB_COMPLETION_INDEX=3;FOURIER_SHARD_COUNT=4", 4, 4)]
    [InlineData("SLURM_ARRAY_TASK_ID=2;SLURM_ARRAY_TASK_COUNT=3", 2, 3)]
    [InlineData("SLURM_ARRAY_TASK_ID=0;SLURM_ARRAY_TASK_MIN=0;SLURM_ARRAY_TASK_MAX=3", 1, 4)]
    [InlineData("SLURM_ARRAY_TASK_ID=3;SLURM_ARRAY_TASK_MIN=3;SLURM_ARRAY_TASK_MAX=3;SLURM_ARRAY_TASK_COUNT=1;FOURIER_SHARD_COUNT=4", 3, 4)] // re-submitted alone
    [InlineData("FOURIER_SHARD=1/2;SLURM_ARRAY_TASK_ID=2;SLURM_ARRAY_TASK_COUNT=2", 1, 2)] // the explicit one wins
    public void Auto_reads_the_scheduler_environment(string environment, int index, int count)
    {
        var env = Env(environment);
        Assert.Equal(new ShardSpec(index, count), ShardSpec.Parse("auto", name => env.GetValueOrDefault(name)));
    }

    [Theory]
    [InlineData("")]                                                  // no scheduler
    [InlineData("JOB_COMPLETION_INDEX=1")]                            // no count
    [InlineData("SLURM_ARRAY_TASK_ID=5;SLURM_ARRAY_TASK_COUNT=3")]    // out of range
    [InlineData("SLURM_ARRAY_TASK_ID=x;SLURM_ARRAY_TASK_COUNT=3")]
    [InlineData("FOURIER_SHARD=3/2")]
    [InlineData("SLURM_ARRAY_TASK_ID=3;SLURM_ARRAY_TASK_MIN=3;SLURM_ARRAY_TASK_MAX=3;SLURM_ARRAY_TASK_COUNT=1")] // re-submitted alone, N unknown
    public void Auto_without_a_usable_index_is_an_error(string environment)
    {
        var env = Env(environment);
        var e = Assert.Throws<ConfigException>(() => ShardSpec.Parse("auto", name => env.GetValueOrDefault(name)));
        Assert.StartsWith("--shard auto:", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("0/3")]
    [InlineData("4/3")]
    [InlineData("1/0")]
    [InlineData("-1/3")]
    [InlineData("2")]
    [InlineData("a/b")]
    [InlineData("1/2/3")]
    public async Task A_bad_shard_is_exit_2_before_the_database_exists(string shard)
    {
        var db = dir.File("bad.db");
        Assert.Equal(2, await Hosts.Experiments(["run", "spectral-bias", "--scale", "smoke", "--db", db, "--shard", shard]));
        Assert.False(File.Exists(db));
    }

    [Fact]
    public async Task A_dry_run_trains_nothing_and_creates_no_database()
    {
        var db = dir.File("dry.db");
        Assert.Equal(0, await Hosts.Experiments(["run", "all", "--scale", "smoke", "--db", db, "--dry-run", "--shard", "2/3"]));
        Assert.False(File.Exists(db));
    }

    [Fact]
    public async Task Two_shards_run_into_two_databases_hold_the_plan_once()
    {
        string[] tiny = ["run", "spectral-bias", "--scale", "smoke", "--seeds", "2", "--threads", "1", "--set", "spectral-bias.Iterations=10",
            "--set", "spectral-bias.RecordEvery=5", "--set", "spectral-bias.ControlSeeds=1"];
        var (a, b) = (dir.File("1.db"), dir.File("2.db"));
        Assert.Equal(0, await Hosts.Experiments([.. tiny, "--db", a, "--shard", "1/2"]));
        Assert.Equal(0, await Hosts.Experiments([.. tiny, "--db", b, "--shard", "2/2"]));
        List<string> Completed(string db)
        {
            using var c = ResultsDatabase.Open(db);
            return c.Runs.AsNoTracking().Where(r => r.Status == RunStatus.Completed).Select(r => r.Label + " " + r.Seed).ToList();
        }
        var (first, second) = (Completed(a), Completed(b));
        Assert.NotEmpty(first);
        Assert.NotEmpty(second);
        Assert.Empty(first.Intersect(second));
        Assert.Equal(6, first.Count + second.Count); // 2 cases × 2 seeds and 2 control cases × 1 seed
    }

    static Dictionary<string, string> Env(string text) =>
        text.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
}
