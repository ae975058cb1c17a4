using FourierRepro.Experiments;
using FourierRepro.Experiments.Core;
using FourierRepro.Experiments.SpectralBias;
using FourierRepro.Storage;
using Microsoft.EntityFrameworkCore;

namespace FourierRepro.Tests;

[Collection(SmokeSuiteCollection.Name)]
public sealed class SpectralBiasEndToEndTests(SmokeSuite suite)
{
    [Theory]
    [InlineData("fig1-spectral-dynamics")]
    [InlineData("fig1-spectral-norms")]
    [InlineData("fig1-control-flat-fourier")]
    public void Figure_is_two_panels_wide(string id)
    {
        var (w, h) = Files.DecodePng(suite.Figure(id));
        Assert.Equal((1280, 480), (w, h));
        // The left panel is drawn too (ScottPlot clears the canvas it renders to; panels are composed separately).
        Assert.True(Files.InkFraction(suite.Figure(id), 60, 420, 80, 560) > 0.02, $"{id}: the left panel is empty");
    }

    [Fact]
    public void Runs_record_frames_for_both_amplitude_cases()
    {
        using var db = suite.Open();
        var runs = db.CompletedRuns(SpectralBiasExperiment.Name, "smoke");
        var config = new SpectralBiasExperiment().Defaults(Scale.Smoke);
        Assert.Equal(2 * new SpectralBiasExperiment().DefaultSeeds(Scale.Smoke) + 2 * config.ControlSeeds, runs.Count);
        Assert.Equal(2 * config.ControlSeeds, runs.Count(r => r.Label.Contains("control=flat-fourier")));
        int frames = config.Iterations / config.RecordEvery + 1;
        foreach (var r in runs)
        {
            Assert.Equal([frames, 10], db.RequireArray(r.Id, "normalized_amplitude").Shape);
            Assert.Equal([frames, config.Points], db.RequireArray(r.Id, "prediction").Shape);
            Assert.Equal(frames, db.MetricSeries(r.Id, "loss").Steps.Length);
        }
    }
}

// The negative control of the issue: a learning rate so small that nothing is learned must reproduce no claim.
public sealed class SpectralBiasControlTests : IDisposable
{
    readonly TempDir dir = new();
    public void Dispose() => dir.Dispose();

    [Fact]
    public async Task A_network_that_learns_nothing_reproduces_no_spectral_bias_claim()
    {
        var db = dir.File("lr.db");
        Assert.Equal(0, await Hosts.Experiments("run", "spectral-bias", "--db", db, "--scale", "smoke", "--seeds", "1",
            "--set", "spectral-bias.LearningRate=1e-12", "--set", "spectral-bias.Iterations=200", "--set", "spectral-bias.RecordEvery=50"));
        using var context = new FourierRepro.Analysis.AnalysisContext(ResultsDatabase.OpenExisting(db), "smoke", dir.File("out"));
        var checks = FourierRepro.Analysis.Claims.ClaimEvaluator.Evaluate(context, [new FourierRepro.Analysis.SpectralBias.SpectralBiasAnalysis()]);
        Assert.Equal(3, checks.Count);
        foreach (var c in checks)
        {
            Assert.NotEqual(FourierRepro.Analysis.Claims.ClaimState.NotEvaluated, c.State);
            Assert.False(c.Holds, $"{c.Claim.Id} reproduced by a network that learned nothing: measured {c.Result!.Measured}; {c.Result.Details}");
        }
    }
}

public sealed class SpectralBiasUnitTests
{
    [Fact]
    public void Amplitude_cases_match_the_paper()
    {
        var c = new SpectralBiasConfig();
        Assert.All(c.Amplitudes("equal"), a => Assert.Equal(1.0, a));
        var inc = c.Amplitudes("increasing");
        for (int i = 0; i < 10; i++) Check.Close(0.1 * (i + 1), inc[i], 1e-12, $"A_{i + 1}");
        Assert.Throws<ConfigException>(() => c.Amplitudes("decreasing"));
    }

    [Fact]
    public void Target_is_the_sum_of_phased_sines_with_phases_in_0_2pi()
    {
        var z = Signals.UnitGrid(200);
        Check.Close(0.995, z[^1], 1e-12, "last grid point (no endpoint)");
        var y = Signals.PhasedWaves(z, [5, 10], [1.0, 0.5], Rng.Derive(1, "phases"), out var phases);
        Assert.All(phases, p => Assert.InRange(p, 0, 2 * Math.PI));
        for (int j = 0; j < z.Length; j += 37)
            Check.Close(Math.Sin(2 * Math.PI * 5 * z[j] + phases[0]) + 0.5 * Math.Sin(2 * Math.PI * 10 * z[j] + phases[1]), y[j], 1e-12, $"y[{j}]");
        var again = Signals.PhasedWaves(z, [5, 10], [1.0, 0.5], Rng.Derive(1, "phases"), out var phases2);
        Assert.Equal(phases, phases2);
        Assert.Equal(y, again);
    }

    [Fact]
    public void Normalized_spectrum_of_the_target_itself_is_one_at_every_frequency()
    {
        var c = new SpectralBiasConfig();
        var z = Signals.UnitGrid(c.Points);
        var amplitudes = c.Amplitudes("increasing");
        var y = Signals.PhasedWaves(z, c.Frequencies, amplitudes, Rng.Derive(7, "phases"), out _);
        var normalized = Spectrum.NormalizedAmplitudes(Spectrum.OneSidedMagnitude(y), c.Frequencies, amplitudes);
        for (int i = 0; i < normalized.Length; i++) Check.Close(1.0, normalized[i], 1e-9, $"2|F(k={c.Frequencies[i]})|/A");
    }

    [Fact]
    public void Bad_settings_are_rejected_with_the_setting_named()
    {
        var e = new SpectralBiasExperiment();
        var ex = Assert.Throws<ConfigException>(() => e.Plan(Scale.Smoke, new Dictionary<string, string> { ["Frequencies"] = "5,150" }));
        Assert.Contains("150", ex.Message);
        Assert.Throws<ConfigException>(() => e.Plan(Scale.Smoke, new Dictionary<string, string> { ["Cases"] = "decreasing" }));
        Assert.Throws<ConfigException>(() => e.Plan(Scale.Smoke, new Dictionary<string, string> { ["Iterations"] = "0.5" }));
        Assert.Throws<ConfigException>(() => e.Plan(Scale.Smoke, new Dictionary<string, string> { ["Iterationz"] = "5" }));
        Assert.Throws<ConfigException>(() => e.Plan(Scale.Smoke, new Dictionary<string, string> { ["Mapping"] = "gaussian" }));
        Assert.Equal(4, e.Plan(Scale.Smoke, new Dictionary<string, string>()).Count); // two cases, and their two flat-Fourier controls
        Assert.Equal(2, e.Plan(Scale.Smoke, new Dictionary<string, string> { ["cases"] = "equal" }).Count);
        Assert.Single(e.Plan(Scale.Smoke, new Dictionary<string, string> { ["cases"] = "equal", ["ControlSeeds"] = "0" }));
    }
}
