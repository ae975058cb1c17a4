using FourierRepro.Analysis;
using FourierRepro.Analysis.Claims;
using FourierRepro.Storage;

namespace FourierRepro.Tests;

// The replication on fresh seeds: two blocks of seeds in one database, each evaluated on its own.
public sealed class ReplicationTests : IDisposable
{
    readonly TempDir dir = new();
    public void Dispose() => dir.Dispose();

    [Fact]
    public void Seed_blocks_are_the_maximal_contiguous_ranges()
    {
        Assert.Equal([new SeedBlock(1, 3), new SeedBlock(101, 102), new SeedBlock(200, 200)],
            SeedBlock.FromSeeds([102, 1, 2, 3, 3, 101, 200]));
        Assert.Empty(SeedBlock.FromSeeds([]));
        Assert.Equal("101-102", new SeedBlock(101, 102).ToString());
    }

    [Fact]
    public void Population_std_divides_by_n_as_numpy_does()
    {
        // np.std([1, 2, 3, 4]) = sqrt(1.25); the sample std is sqrt(5/3).
        Check.Close(Math.Sqrt(1.25), Stats.PopulationStd([1, 2, 3, 4]), 1e-15, "population");
        Check.Close(Math.Sqrt(5.0 / 3), Stats.Std([1, 2, 3, 4]), 1e-15, "sample");
        Assert.Equal(0, Stats.PopulationStd([7]));
    }

    [Fact]
    public async Task Each_block_of_seeds_is_evaluated_on_its_own_runs_and_the_report_shows_both()
    {
        var db = dir.File("rep.db");
        string[] tiny = ["--scale", "smoke", "--seeds", "2", "--set", "spectral-bias.Iterations=20", "--set", "spectral-bias.RecordEvery=10",
            "--set", "spectral-bias.ControlSeeds=1"];
        Assert.Equal(0, await Hosts.Experiments(["run", "spectral-bias", "--db", db, .. tiny]));
        Assert.Equal(0, await Hosts.Experiments(["run", "spectral-bias", "--db", db, .. tiny, "--first-seed", "101"]));

        var module = AnalysisCatalog.All.Single(m => m.Experiment == "spectral-bias");
        using (var context = new AnalysisContext(ResultsDatabase.OpenExisting(db), "smoke", dir.File("out")))
        {
            var blocks = SeedBlock.FromSeeds(context.CompletedRuns("spectral-bias").Select(r => r.Seed));
            Assert.Equal([new SeedBlock(1, 2), new SeedBlock(101, 102)], blocks);
            var byBlock = ClaimEvaluator.EvaluateByBlock(context, [module], blocks);
            var seedOf = context.CompletedRuns("spectral-bias").ToDictionary(r => r.Id, r => r.Seed);
            int evaluated = 0;
            foreach (var (block, checks) in byBlock)
                foreach (var c in checks.Where(c => c.Result is { RunIds.Length: > 0 }))
                {
                    evaluated++;
                    Assert.All(c.Result!.RunIds, id => Assert.InRange(seedOf[id], block.First, block.Last));
                }
            Assert.True(evaluated >= 2, "some claim of each block used runs");
            Assert.Empty(context.Db.ClaimChecks); // the per-block evaluation records nothing
        }

        var output = new StringWriter();
        await FourierRepro.Analysis.Cli.RunAsync(["claims", "--db", db, "--scale", "smoke", "--experiment", "spectral-bias", "--by-seed-block"], output);
        Assert.Contains("seeds 1-2", output.ToString());
        Assert.Contains("seeds 101-102", output.ToString());

        await FourierRepro.Analysis.Cli.RunAsync(["report", "--db", db, "--scale", "smoke", "--out", dir.File("report")], TextWriter.Null);
        var md = File.ReadAllText(Path.Combine(dir.File("report"), "REPORT.md"));
        Assert.Contains("### Replication on fresh seeds", md);
        Assert.Contains("| id | seeds 1-2 | seeds 101-102 |", md);
    }
}
