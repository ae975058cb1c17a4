using System.Text.Json;
using FourierRepro.Storage;
using Microsoft.EntityFrameworkCore;

namespace FourierRepro.Tests;

// Configuration is checked once and strictly (STYLE 3): a key under Runner or Experiments:<name>:<scale>:<Setting>
// that names nothing is exit 2 naming the key, decided before the database is created; a report that cannot be
// written is exit 2 before any claim row. Environment variables (FOURIER_ prefix) reach the same configuration as
// appsettings.json, so they stand in for a misspelled appsettings.json key here.
public sealed class ConfigValidationTests : IDisposable
{
    readonly TempDir dir = new();
    public void Dispose() => dir.Dispose();

    static readonly string[] Tiny = ["--scale", "smoke", "--seeds", "1", "--threads", "1", "--set", "spectral-bias.RecordEvery=10",
        "--set", "spectral-bias.ControlSeeds=0"];

    // Runs the experiments host with one environment variable set, capturing stderr; both are restored afterwards
    // (tests run one at a time: see TestSupport.cs).
    static async Task<(int Exit, string Error)> RunWith(string variable, string value, params string[] args)
    {
        var stderr = Console.Error;
        var captured = new StringWriter();
        int threads = TorchSharp.torch.get_num_threads();
        Environment.SetEnvironmentVariable(variable, value);
        Console.SetError(captured);
        try
        {
            return (await Hosts.Experiments(["run", "spectral-bias", .. args]), captured.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
            Console.SetError(stderr);
            TorchSharp.torch.set_num_threads(threads);
        }
    }

    [Fact]
    public async Task An_unknown_runner_key_from_the_environment_exits_2_naming_it_and_creates_no_database()
    {
        var db = dir.File("scael.db");
        var (exit, error) = await RunWith("FOURIER_Runner__Scael", "smoke", ["--db", db, "--set", "spectral-bias.Iterations=20", .. Tiny]);
        Assert.Equal(2, exit);
        Assert.Contains("unknown setting 'Runner:Scael'", error);
        Assert.Contains("(known: ", error);
        Assert.Contains("FirstSeed", error);
        Assert.False(File.Exists(db), $"{db} was created");
    }

    [Theory]
    [InlineData("FOURIER_Experiments__spectral-bias__smoke__Iteratons", "5", "'Experiments:spectral-bias:smoke:Iteratons'", "unknown setting 'Iteratons'")]
    [InlineData("FOURIER_Experiments__spectral-bais__smoke__Iterations", "5", "'Experiments:spectral-bais:smoke:Iterations'", "unknown experiment 'spectral-bais'")]
    [InlineData("FOURIER_Experiments__spectral-bias__smoek__Iterations", "5", "'Experiments:spectral-bias:smoek:Iterations'", "unknown scale 'smoek'")]
    [InlineData("FOURIER_Experiments__spectral-bias__smoke__Iterations", "many", "'Experiments:spectral-bias:smoke:Iterations'", "'many' is not a number")]
    [InlineData("FOURIER_Experiments__spectral-bias__paper__Iteratons", "5", "'Experiments:spectral-bias:paper:Iteratons'", "unknown setting 'Iteratons'")] // a scale not being run
    [InlineData("FOURIER_Experiments__ntk-kernels__smoke__Widht", "5", "'Experiments:ntk-kernels:smoke:Widht'", "unknown setting 'Widht'")] // an experiment not being run
    public async Task An_unknown_experiments_key_exits_2_naming_the_full_key_and_creates_no_database(string variable, string value, string key, string problem)
    {
        var db = dir.File("keys.db");
        var (exit, error) = await RunWith(variable, value, ["--db", db, "--set", "spectral-bias.Iterations=20", .. Tiny]);
        Assert.Equal(2, exit);
        Assert.Contains(key, error);
        Assert.Contains(problem, error);
        Assert.False(File.Exists(db), $"{db} was created");
    }

    [Fact]
    public async Task A_valid_experiments_key_is_applied_to_the_runs_it_plans()
    {
        // Iterations comes from the configuration alone (the smoke default is larger); --set supplies the rest.
        var db = dir.File("valid.db");
        var (exit, error) = await RunWith("FOURIER_Experiments__spectral-bias__smoke__Iterations", "20", ["--db", db, .. Tiny]);
        Assert.True(exit == 0, $"exit {exit}: {error}");
        using var c = ResultsDatabase.Open(db);
        var runs = c.Runs.AsNoTracking().ToList();
        Assert.Equal(2, runs.Count); // two amplitude cases, one seed, no controls
        Assert.All(runs, r => Assert.Equal(20, JsonDocument.Parse(r.ConfigJson).RootElement.GetProperty("Iterations").GetInt32()));
    }

    [Fact]
    public async Task An_experiments_key_valid_only_with_a_set_value_is_checked_as_the_run_uses_it()
    {
        // Frequency 150 needs more than the 200 smoke points: refused alone, run with --set Points=400.
        var db = dir.File("combined.db");
        const string variable = "FOURIER_Experiments__spectral-bias__smoke__Frequencies";
        var (exit, error) = await RunWith(variable, "5,150", ["--db", db, "--set", "spectral-bias.Iterations=20", .. Tiny]);
        Assert.Equal(2, exit);
        Assert.Contains("in 'Experiments:spectral-bias:smoke'", error);
        Assert.False(File.Exists(db), $"{db} was created");

        (exit, error) = await RunWith(variable, "5,150", ["--db", db, "--set", "spectral-bias.Iterations=20", "--set", "spectral-bias.Points=400", .. Tiny]);
        Assert.True(exit == 0, $"exit {exit}: {error}");
        using var c = ResultsDatabase.Open(db);
        Assert.All(c.Runs.AsNoTracking().ToList(), r =>
            Assert.Equal([5, 150], JsonDocument.Parse(r.ConfigJson).RootElement.GetProperty("Frequencies").EnumerateArray().Select(f => f.GetInt32())));
    }

    [Fact]
    public async Task Report_out_that_cannot_be_a_folder_exits_2_before_any_claim_row()
    {
        var db = dir.File("report.db");
        Assert.Equal(0, (await RunWith("FOURIER_Experiments__spectral-bias__smoke__Iterations", "20", ["--db", db, .. Tiny])).Exit);
        var file = dir.File("REPORT-is-a-file");
        File.WriteAllText(file, "not a folder");

        Assert.Equal(2, await Hosts.Analysis("report", "--db", db, "--scale", "smoke", "--out", file));
        Assert.Equal("not a folder", File.ReadAllText(file));
        Assert.Equal(2, await Hosts.Analysis("report", "--db", db, "--scale", "smoke", "--out", Path.Combine(file, "inside")));
        using var c = ResultsDatabase.Open(db);
        Assert.Equal(0, c.ClaimChecks.Count());
    }
}
