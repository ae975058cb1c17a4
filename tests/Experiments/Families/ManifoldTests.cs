using FourierRepro.Analysis;
using FourierRepro.Analysis.Claims;
using FourierRepro.Analysis.Manifold;
using FourierRepro.Experiments;
using FourierRepro.Experiments.Core;
using FourierRepro.Experiments.Manifold;
using FourierRepro.Storage;
using Microsoft.EntityFrameworkCore;

namespace FourierRepro.Tests;

public sealed class ManifoldUnitTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(10)]
    public void Flower_points_have_the_paper_radius_at_the_curve_parameter(int petals)
    {
        const int n = 1000;
        var xy = Curves.Flower(n, petals);
        Assert.Equal(2 * n, xy.Length);
        for (int j = 0; j < n; j += 7)
        {
            double phi = 2 * Math.PI * j / n;
            double r = Math.Sqrt(xy[2 * j] * xy[2 * j] + xy[2 * j + 1] * xy[2 * j + 1]);
            Check.Close(1 + 0.5 * Math.Sin(petals * phi), r, 1e-12, $"r at point {j} (L = {petals})");
            double angle = Math.Atan2(xy[2 * j + 1], xy[2 * j]);
            Check.Close(0, Math.IEEERemainder(angle - phi, 2 * Math.PI), 1e-12, $"angle at point {j} (L = {petals})");
        }
        // Curve order, no endpoint: the first point is φ = 0 and the last is one step before 2π.
        Check.Close(1, xy[0], 1e-15, "x of the first point");
        Check.Close(-2 * Math.PI / n, Math.Atan2(xy[^1], xy[^2]), 1e-12, "angle of the last point");
    }

    [Fact]
    public void The_circle_has_length_two_pi_and_more_petals_make_a_longer_curve()
    {
        // A polygon with 1000 vertices on the unit circle is shorter than 2π by ≈ (2π)³/(6·1000²) ≈ 4e-5.
        Check.Close(2 * Math.PI, Curves.PolylineLength(Curves.Flower(1000, 0)), 1e-4, "length of the L = 0 curve");
        var lengths = new[] { 0, 4, 10, 16 }.Select(l => Curves.PolylineLength(Curves.Flower(1000, l))).ToArray();
        for (int i = 1; i < lengths.Length; i++) Assert.True(lengths[i] > lengths[i - 1], $"lengths {string.Join(", ", lengths)} should grow with L");
    }

    [Fact]
    public void The_flower_has_L_petals()
    {
        foreach (var petals in new[] { 3, 10, 20 })
        {
            var xy = Curves.Flower(2000, petals);
            var r = Enumerable.Range(0, 2000).Select(j => Math.Sqrt(xy[2 * j] * xy[2 * j] + xy[2 * j + 1] * xy[2 * j + 1])).ToArray();
            int maxima = Enumerable.Range(0, 2000).Count(j => r[j] > r[(j + 1999) % 2000] && r[j] >= r[(j + 1) % 2000]);
            Assert.Equal(petals, maxima);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => Curves.Flower(10, -1));
    }

    [Fact]
    public void The_decision_grid_covers_the_square_with_y_the_slow_index()
    {
        var grid = Curves.SquareGrid(200, 1.6);
        Assert.Equal(2 * 200 * 200, grid.Length);
        Assert.Equal((-1.6, -1.6), (grid[0], grid[1]));
        Check.Close(1.6, grid[2 * 199], 1e-12, "x at the end of the first row");
        Check.Close(-1.6, grid[2 * 199 + 1], 1e-12, "y at the end of the first row");
        Check.Close(1.6, grid[^1], 1e-12, "y of the last point");
    }

    [Fact]
    public void The_grid_has_one_regression_run_per_L_and_one_classification_run()
    {
        var e = new ManifoldSpectralBiasExperiment();
        var plan = e.Plan(Scale.Paper, new Dictionary<string, string>());
        Assert.Equal(["regression L=0", "regression L=4", "regression L=10", "regression L=16", "classification L=20"], plan.Select(p => p.Label));
        var classification = (ManifoldSpectralBiasConfig)plan[^1].Config;
        Assert.Equal([20], classification.Petals);
        Assert.Equal([200], classification.Frequencies);
        var paper = e.Defaults(Scale.Paper);
        Assert.Equal((1000, 10_000, 3e-4, 6, 256), (paper.Points, paper.Iterations, paper.LearningRate, paper.Depth, paper.Width));
        Assert.Single(e.Plan(Scale.Smoke, new Dictionary<string, string> { ["Tasks"] = "classification" }));
        Assert.Throws<ConfigException>(() => e.Plan(Scale.Smoke, new Dictionary<string, string> { ["Tasks"] = "clustering" }));
        Assert.Throws<ConfigException>(() => e.Plan(Scale.Smoke, new Dictionary<string, string> { ["Frequencies"] = "20,600" }));
        Assert.Throws<ConfigException>(() => e.Plan(Scale.Smoke, new Dictionary<string, string> { ["Petals"] = "0,-4" }));
    }
}

public sealed class ManifoldMeasureTests
{
    [Fact]
    public void The_share_at_half_amplitude_counts_only_frames_at_or_above_half_of_the_upper_frequencies()
    {
        // Four frequencies, the upper half is the last two; five frames. k3 reaches 0.5 at frame 2 and stays; k4 touches 0.49 only.
        var normalized = new NdArray([5, 4], [
            0.0, 0.0, 0.01, 0.02,
            1.0, 0.0, 0.30, 0.10,
            1.0, 1.0, 0.50, 0.20,
            1.0, 1.0, 0.90, 0.49,
            1.0, 1.0, 0.40, 0.30]);
        var run = new ManifoldRun(1, 1, 10, [0, 1, 2, 3, 4], [20, 40, 60, 80], normalized, []);
        Check.Close((2.0 / 5 + 0) / 2, run.UpperShareAtHalf(5), 1e-12, "share over the five frames");
        Check.Close(0, run.UpperShareAtHalf(1), 1e-12, "share at iteration 0 only");
    }

    [Fact]
    public void The_sum_of_binomials_tail_matches_one_binomial_and_a_hand_convolution()
    {
        Check.Close(HypothesisTests.BinomialUpperTail(7, 10, 0.6), ManifoldAnalysis.SumOfBinomialsUpperTail(7, [(10, 0.6)]), 1e-12, "one run");
        // Binomial(1, 0.5) + Binomial(2, 0.5) = Binomial(3, 0.5): P(X >= 2) = 1/2.
        Check.Close(0.5, ManifoldAnalysis.SumOfBinomialsUpperTail(2, [(1, 0.5), (2, 0.5)]), 1e-12, "two runs, equal q");
        // Bernoulli(0.2) + Bernoulli(0.7): P(X >= 2) = 0.14, P(X >= 1) = 1 − 0.8·0.3 = 0.76.
        Check.Close(0.14, ManifoldAnalysis.SumOfBinomialsUpperTail(2, [(1, 0.2), (1, 0.7)]), 1e-12, "P(X >= 2), unequal q");
        Check.Close(0.76, ManifoldAnalysis.SumOfBinomialsUpperTail(1, [(1, 0.2), (1, 0.7)]), 1e-12, "P(X >= 1), unequal q");
    }
}

// MAN-1 and MAN-2 must not be reproduced by networks that learned nothing: a real small run at a learning rate of 1e-12.
public sealed class ManifoldControlTests
{
    [Fact]
    public async Task Networks_trained_at_learning_rate_1e_12_reproduce_neither_MAN_1_nor_MAN_2()
    {
        using var dir = new TempDir();
        string db = dir.File("untrained.db");
        Assert.Equal(0, await Hosts.Experiments("run", ManifoldSpectralBiasExperiment.Name, "--scale", "smoke", "--db", db, "--threads", "1",
            "--set", "manifold-spectral-bias.LearningRate=1e-12", "--set", "manifold-spectral-bias.Width=32", "--set", "manifold-spectral-bias.Depth=3",
            "--set", "manifold-spectral-bias.Iterations=40", "--set", "manifold-spectral-bias.RecordEvery=10", "--set", "manifold-spectral-bias.DecisionGrid=20"));
        using var context = new AnalysisContext(ResultsDatabase.OpenExisting(db), "smoke", dir.Path);
        foreach (var id in new[] { "MAN-1", "MAN-2" })
        {
            var claim = AnalysisCatalog.All.SelectMany(m => m.Claims).Single(c => c.Id == id);
            var result = claim.Evaluate(context);
            Assert.NotNull(result);
            Assert.Null(result.NotEvaluatedReason);
            Assert.False(result.EffectHolds, $"{id}'s effect holds on untrained networks: {result.Details}");
            Assert.False(ClaimEvaluator.Decide(claim, result).Holds, $"{id} is reproduced by untrained networks: {result.Details}");
            Assert.NotNull(result.Control);
            Assert.False(result.Control.EffectHolds, $"{id}'s control holds: {result.Control.Details}");
        }
    }
}

[Collection(SmokeSuiteCollection.Name)]
public sealed class ManifoldEndToEndTests(SmokeSuite suite)
{
    [Fact]
    public void Spectral_dynamics_figure_has_the_curves_a_heatmap_per_L_and_the_claim_panel()
    {
        var png = suite.Figure("manifold-spectral-dynamics");
        int panels = new ManifoldSpectralBiasExperiment().Defaults(Scale.Smoke).Petals.Length + 2;
        Assert.Equal((3 * 640, (panels + 2) / 3 * 480), Files.DecodePng(png));
        for (int p = 0; p < panels; p++)
        {
            int left = p % 3 * 640, top = p / 3 * 480;
            Assert.True(Files.InkFraction(png, top + 60, top + 420, left + 80, left + 560) > 0.01, $"panel {p + 1} is empty");
        }
    }

    [Fact]
    public void Classification_figure_shows_the_decision_region_and_the_accuracy()
    {
        var png = suite.Figure("manifold-classification");
        Assert.Equal((1280, 480), Files.DecodePng(png));
        Assert.True(Files.InkFraction(png, 60, 420, 100, 540) > 0.3, "the decision region is not filled");
    }

    [Fact]
    public void High_frequencies_arrive_earlier_on_complex_manifolds_at_smoke_scale()
    {
        using var db = suite.Open();
        var claim = FourierRepro.Analysis.AnalysisCatalog.All.SelectMany(m => m.Claims).Single(c => c.Id == "MAN-1");
        var check = db.ClaimChecks.AsNoTracking().Where(c => c.ClaimId == "MAN-1" && c.Scale == "smoke").OrderByDescending(c => c.Id).First();
        if (claim.RequiredAt.Contains("smoke"))
            Assert.True(check.Passed, $"MAN-1: measured {check.Measured}, expected {check.Expectation}; {check.Details}");
        else
            Assert.True(double.IsFinite(check.Measured ?? double.NaN), $"MAN-1 was not measured at smoke: {check.Details}");
        // The untrained state (iteration 0) is measured as the control, and it must not show the effect.
        Assert.False(check.ControlHeld ?? true, $"MAN-1's control holds: {check.Details}");
        Assert.NotNull(check.PValue);
        var man2 = db.ClaimChecks.AsNoTracking().Where(c => c.ClaimId == "MAN-2" && c.Scale == "smoke").OrderByDescending(c => c.Id).First();
        Assert.False(man2.ControlHeld ?? true, $"MAN-2's control holds: {man2.Details}");
        Assert.NotNull(man2.PValue);
    }

    [Fact]
    public void Runs_record_spectra_along_the_curve_and_the_decision_region()
    {
        using var db = suite.Open();
        var e = new ManifoldSpectralBiasExperiment();
        var c = e.Defaults(Scale.Smoke);
        var runs = db.CompletedRuns(ManifoldSpectralBiasExperiment.Name, "smoke");
        Assert.Equal((c.Petals.Length + 1) * e.DefaultSeeds(Scale.Smoke), runs.Count);
        int frames = c.Iterations / c.RecordEvery + 1;
        foreach (var r in runs)
        {
            Assert.Equal([c.Points, 2], db.RequireArray(r.Id, "curve_xy").Shape);
            bool classification = r.Label.StartsWith("classification");
            Assert.Equal([frames, classification ? c.ClassificationFrequencies.Length : c.Frequencies.Length], db.RequireArray(r.Id, "normalized_amplitude").Shape);
            if (classification)
            {
                Assert.Equal([c.DecisionGrid, c.DecisionGrid], db.RequireArray(r.Id, "decision_logits").Shape);
                Assert.All(db.RequireArray(r.Id, "target").Data, v => Assert.True(v is 0 or 1, $"label {v}"));
                Assert.All(db.MetricSeries(r.Id, "accuracy").Values, a => Assert.InRange(a, 0, 1));
            }
        }
    }
}
