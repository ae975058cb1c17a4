using FourierRepro.Analysis.NtkConditioning;
using FourierRepro.Experiments;
using FourierRepro.Experiments.Core;
using FourierRepro.Experiments.NtkConditioning;
using FourierRepro.Storage;
using Microsoft.EntityFrameworkCore;
using TorchSharp;

namespace FourierRepro.Tests;

[Collection(SmokeSuiteCollection.Name)]
public sealed class NtkEndToEndTests(SmokeSuite suite)
{
    [Theory]
    [InlineData("fig2-ntk-kernels", 1280, 960)]
    [InlineData("fig3-ntk-convergence", 1280, 960)]
    [InlineData("fig3-all-mappings", 1280, 480)]
    public void Figure_has_its_panels(string id, int width, int height)
    {
        var (w, h) = Files.DecodePng(suite.Figure(id));
        Assert.Equal((width, height), (w, h));
        // Every panel is drawn (ScottPlot clears the canvas it renders to; panels are composed separately).
        for (int top = 0; top < height; top += 480)
            for (int left = 0; left < width; left += 640)
                Assert.True(Files.InkFraction(suite.Figure(id), top + 60, top + 420, left + 90, left + 560) > 0.01, $"{id}: the panel at ({left}, {top}) is empty");
    }

    // NTK-6 has the power at smoke (12 runs) but is not robust there (one run of seeds 101-102 is over the bound): it is
    // reported, required from standard on. Its gap measure fails on the 'nothing is learned' prediction.
    [Fact]
    public void Theory_gap_is_tested_over_runs_and_fails_on_the_flat_prediction()
    {
        using var db = suite.Open();
        var check = db.ClaimChecks.AsNoTracking().Where(c => c.ClaimId == "NTK-6" && c.Scale == "smoke").OrderByDescending(c => c.Id).First();
        Assert.Equal(12, check.N);
        Assert.Contains("required at standard, paper only", check.Expectation);
        Assert.False(check.ControlHeld, $"NTK-6: the flat prediction is followed: {check.ControlMeasured}");
        Assert.True(check.ControlMeasured > 2 / Math.Sqrt(256), $"NTK-6 control gap {check.ControlMeasured} within the bound");
    }

    // Sign tests over 2 seeds (one unit per seed) can give p >= 1/4 only: at smoke these are reported, never required.
    [Theory]
    [InlineData("NTK-6b")]
    [InlineData("NTK-7")]
    [InlineData("NTK-8")]
    public void Seed_orderings_lack_the_power_at_smoke_and_are_not_required(string claimId)
    {
        using var db = suite.Open();
        var check = db.ClaimChecks.AsNoTracking().Where(c => c.ClaimId == claimId && c.Scale == "smoke").OrderByDescending(c => c.Id).First();
        Assert.Equal(2, check.N);
        Assert.True(check.PValue >= 0.25, $"{claimId}: p {check.PValue} with 2 seeds");
        Assert.Contains("required at standard only", check.Expectation);
        Assert.False(check.ControlHeld, $"{claimId}: the initial-state control shows the effect; {check.Details}");
    }

    // The identities carry each other's kernel as a control: the raw kernel is not stationary, the basic one is.
    [Theory]
    [InlineData("NTK-1")]
    [InlineData("NTK-2")]
    public void Kernel_identities_fail_on_the_other_kernel(string claimId)
    {
        using var db = suite.Open();
        var check = db.ClaimChecks.AsNoTracking().Where(c => c.ClaimId == claimId && c.Scale == "smoke").OrderByDescending(c => c.Id).First();
        Assert.False(check.ControlHeld, $"{claimId}: control measured {check.ControlMeasured}");
    }

    [Fact]
    public void Runs_record_every_mapping_and_seed_with_their_series()
    {
        using var db = suite.Open();
        var experiment = new NtkConvergenceExperiment();
        var config = experiment.Defaults(Scale.Smoke);
        var runs = db.CompletedRuns(NtkConvergenceExperiment.Name, "smoke");
        Assert.Equal(config.Mappings.Length * experiment.DefaultSeeds(Scale.Smoke), runs.Count);
        int frames = config.Iterations / config.RecordEvery + 1;
        foreach (var r in runs)
        {
            foreach (var metric in new[] { "train_mse", "test_mse", "theory_train_mse", "theory_test_mse", "residual/high", "linearized_train_mse" })
                Assert.Equal(frames, db.MetricSeries(r.Id, metric).Steps.Length);
            Assert.Equal([config.Points], db.RequireArray(r.Id, "prediction").Shape);
            Assert.Equal([config.Points / config.TrainEvery], db.RequireArray(r.Id, "ntk_eigenvalues").Shape);
            // The theory starts from the network's own initial outputs.
            Check.Close(db.MetricSeries(r.Id, "train_mse").Values[0], db.MetricSeries(r.Id, "theory_train_mse").Values[0], 1e-12, $"run {r.Id}: train MSE at 0");
        }
        var kernels = Assert.Single(db.CompletedRuns(NtkKernelsExperiment.Name, "smoke"));
        Assert.Equal([6, 32], db.RequireArray(kernels.Id, "kernel_row_dft").Shape);
        Assert.Equal([100, 100], db.RequireArray(kernels.Id, "kernel_none").Shape);
    }
}

public sealed class NtkExperimentUnitTests
{
    sealed class MemoryRecorder : IRunRecorder
    {
        public Dictionary<string, List<(long Step, double Value)>> Metrics { get; } = [];
        public Dictionary<string, (int[] Shape, double[] Data)> Arrays { get; } = [];
        public void Metric(string name, long step, double value)
        {
            if (!Metrics.TryGetValue(name, out var list)) Metrics[name] = list = [];
            list.Add((step, value));
        }
        public void Array(string name, long step, int[] shape, ReadOnlySpan<float> data) => Arrays[name] = (shape, data.ToArray().Select(v => (double)v).ToArray());
        public void Array(string name, long step, int[] shape, ReadOnlySpan<double> data) => Arrays[name] = (shape, data.ToArray());
    }

    sealed class NoProgress : IRunProgress
    {
        public void Report(long done, long total) { }
    }

    static RunContext Context(int seed) => new() { Seed = seed, Device = torch.CPU, Cancellation = default, Progress = new NoProgress() };

    [Theory]
    [InlineData(Scale.Smoke)]
    [InlineData(Scale.Standard)]
    [InlineData(Scale.Paper)]
    public void Every_scale_runs_the_papers_kernel_time(Scale scale)
    {
        // η·Θ(x, x)·T: how far the linear dynamics e^{−ηΘt} run. The paper: 1e-5 × 14 × 50000 = 7.
        var c = new NtkConvergenceExperiment().Defaults(scale);
        var mapping = InputMapping.PowerLaw1D(c.Frequencies, 1);
        var x = mapping.Encode([0.3]);
        double diagonal = Ntk.Kernel(new NtkSpec(c.Depth, c.Width), x, x, mapping.OutputDim)[0, 0];
        Check.RelClose(7.0, c.LearningRate * diagonal * c.Iterations, 1e-9, $"kernel time at {scale}");
    }

    [Fact]
    public void Mapping_names_parse_and_bad_settings_are_rejected()
    {
        Assert.True(PowerMappings.Create("none", 16).IsIdentity);
        Check.Close(0.5, PowerMappings.Create("none", 16).Offset, 0, "no-mapping offset (x − 0.5)");
        Assert.Equal(32, PowerMappings.Create("p=inf", 16).OutputDim);
        Check.Close(0, PowerMappings.Create("p=inf", 16).A[1], 0, "p = ∞ keeps b = 1 only");
        Check.Close(Math.Pow(3, -1.5), PowerMappings.Create("p=1.5", 16).A[2], 1e-15, "a_3 at p = 1.5");
        var e = new NtkConvergenceExperiment();
        Assert.Equal(7, e.Plan(Scale.Smoke, new Dictionary<string, string>()).Count);
        Assert.Throws<ConfigException>(() => e.Plan(Scale.Smoke, new Dictionary<string, string> { ["Mappings"] = "p=-1" }));
        Assert.Throws<ConfigException>(() => e.Plan(Scale.Smoke, new Dictionary<string, string> { ["Mappings"] = "gaussian" }));
        Assert.Throws<ConfigException>(() => e.Plan(Scale.Smoke, new Dictionary<string, string> { ["ResidualBins"] = "1,5,40" }));
        Assert.Throws<ConfigException>(() => e.Plan(Scale.Smoke, new Dictionary<string, string> { ["TrainEvery"] = "7" }));
        Assert.Throws<ConfigException>(() => new NtkKernelsExperiment().Plan(Scale.Smoke, new Dictionary<string, string> { ["Powers"] = "p=x" }));
    }

    [Fact]
    public void A_short_run_records_theory_from_the_initial_outputs_and_the_reanchored_variant_on_request()
    {
        var c = new NtkConvergenceConfig { Mappings = ["p=1"], Width = 64, Iterations = 100, RecordEvery = 25, LearningRate = 3e-3, RecordReanchoredTheory = true };
        var recorder = new MemoryRecorder();
        ((IExperiment)new NtkConvergenceExperiment()).Run(c, Context(3), recorder);
        var train = recorder.Metrics["train_mse"];
        var theory = recorder.Metrics["theory_train_mse"];
        var reanchored = recorder.Metrics["reanchored_theory_train_mse"];
        Assert.Equal([0L, 25, 50, 75, 100], train.Select(t => t.Step));
        Check.Close(train[0].Value, theory[0].Value, 1e-12, "theory at iteration 0 = the network's initial MSE");
        // Re-anchored: the linear dynamics run forward from the live network's outputs, which can only lower the MSE
        // (Θ is positive semi-definite): at or below the observed curve, equal to it at iteration 0.
        Check.Close(train[0].Value, reanchored[0].Value, 1e-12, "re-anchored theory at iteration 0");
        for (int f = 1; f < train.Count; f++)
            Assert.True(reanchored[f].Value <= train[f].Value * (1 + 1e-12), $"frame {f}: re-anchored {reanchored[f].Value} above observed {train[f].Value}");
        Assert.True(train[^1].Value < 0.7 * train[0].Value, "the network should train");
        Assert.True(theory[^1].Value < 0.7 * theory[0].Value, "the theory should converge too");
        Assert.Equal([256], recorder.Arrays["theory_prediction"].Shape);
        // The same seed draws the same target for every mapping (the mappings of one seed are compared on one signal).
        var other = new MemoryRecorder();
        ((IExperiment)new NtkConvergenceExperiment()).Run(c with { Mappings = ["none"], RecordReanchoredTheory = false }, Context(3), other);
        Assert.Equal(recorder.Arrays["target"].Data, other.Arrays["target"].Data);
        Assert.False(other.Metrics.ContainsKey("reanchored_theory_train_mse"));
    }

    [Fact]
    public void Kernel_shape_measures_behave_on_known_rows()
    {
        // A triangle of half-width 4 samples above a floor of 1: FWHM 4 samples.
        var row = Enumerable.Range(0, 32).Select(j => 1 + Math.Max(0, 4 - Math.Min(j, 32 - j)) * 2.0).ToArray();
        Check.Close(4, NtkKernelsAnalysis.HalfMaximumWidth(row), 1e-12, "FWHM of a triangle");
        // A flat one-sided spectrum over bins 1..16 has its centroid at 8.5; one concentrated at bin 2 at 2.
        var flat = Enumerable.Repeat(1.0, 32).ToArray();
        Check.Close(8.5, NtkKernelsAnalysis.SpectralCentroid(flat), 1e-12, "centroid of a flat spectrum");
        var peaked = new double[32];
        peaked[0] = 5;
        peaked[2] = 1;
        Check.Close(2, NtkKernelsAnalysis.SpectralCentroid(peaked), 1e-12, "centroid of a single bin");
        // A stationary matrix has zero spread along its diagonals; x·x′ does not.
        var stationary = new NdArray([8, 8], Enumerable.Range(0, 64).Select(i => Math.Cos(i / 8 - i % 8) + 2).ToArray());
        Assert.All(NtkKernelsAnalysis.DiagonalSpreads(stationary), s => Check.Close(0, s, 1e-15, "spread of a stationary kernel"));
        var product = new NdArray([8, 8], Enumerable.Range(0, 64).Select(i => (1.0 + i / 8) * (1.0 + i % 8)).ToArray());
        Assert.All(NtkKernelsAnalysis.DiagonalSpreads(product), s => Assert.True(s > 0.1));
    }
}

// The negative control of every empirical ntk-convergence claim, tried for real: networks trained with a learning rate
// so small that they never change (1e-12) must not reproduce any claim, although at that rate they still move (by
// ~1e-9) in the direction their kernel favours. Small width and few iterations keep it to seconds.
public sealed class NtkNegativeControlTests
{
    [Fact]
    public async Task Untrained_networks_reproduce_no_convergence_claim()
    {
        using var dir = new TempDir();
        var db = dir.File("lr.db");
        // The four mappings of the paper's Fig. 3 are enough for every claim (NTK-5 ranks p = 0, 1, inf).
        Assert.Equal(0, await Hosts.Experiments("run", "ntk-convergence", "--scale", "smoke", "--db", db,
            "--set", "ntk-convergence.Mappings=none,p=0,p=1,p=inf",
            "--set", "ntk-convergence.LearningRate=1e-12", "--set", "ntk-convergence.Width=32",
            "--set", "ntk-convergence.Iterations=100", "--set", "ntk-convergence.RecordEvery=20"));
        await Hosts.Analysis("claims", "--db", db, "--scale", "smoke", "--experiment", "ntk-convergence");
        using var context = ResultsDatabase.OpenExisting(db);
        var checks = context.ClaimChecks.AsNoTracking().ToList();
        Assert.Equal(["NTK-5", "NTK-6", "NTK-6b", "NTK-7", "NTK-8"], checks.Select(c => c.ClaimId).Order());
        // Each fails on its effect (nothing was learned), not only on the p-value of 2 seeds.
        foreach (var check in checks)
        {
            Assert.False(check.Passed, $"{check.ClaimId} reproduced on untrained networks: measured {check.Measured}; {check.Details}");
            Assert.StartsWith("not reproduced: effect not beyond its bound", check.Details);
        }
    }

    [Fact]
    public void Halving_iteration_counts_only_material_progress()
    {
        double[] steps = [0, 20, 40, 60];
        ConvergenceRun Run(params double[] high) => new(1, 1, "p=1", 1, 32, steps, new() { ["residual/high"] = high, ["train_mse"] = high },
            [], [], [], [], [], 0);
        Check.Close(40, NtkConvergenceAnalysis.HalvingIteration(Run(1, 0.6, 0.5, 0.1)), 0, "first frame at or below half");
        // A residual that shrinks but never halves ties last, one frame past the end, like a constant one.
        Check.Close(61, NtkConvergenceAnalysis.HalvingIteration(Run(1, 0.9999, 0.9998, 0.9997)), 0, "never halved");
        Check.Close(61, NtkConvergenceAnalysis.HalvingIteration(Run(1, 1, 1, 1)), 0, "constant");
    }
}
