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
