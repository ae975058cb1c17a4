using FourierRepro.Analysis;
using FourierRepro.Analysis.Claims;
using FourierRepro.Analysis.Images;
using FourierRepro.Analysis.Regression1D;
using FourierRepro.Experiments;
using FourierRepro.Experiments.Images;
using FourierRepro.Experiments.Regression1D;
using FourierRepro.Storage;
using Microsoft.EntityFrameworkCore;

namespace FourierRepro.Tests;

// image-regression, scale-sweep and regression-1d in the smoke suite: their records, figures, claims and report table.
[Collection(SmokeSuiteCollection.Name)]
public sealed class ImagesEndToEndTests(SmokeSuite suite)
{
    [Theory]
    [InlineData("image-regression-fig1", 5 * 420, 2 * 480)]   // 2 datasets × (ground truth + 4 mappings)
    [InlineData("image-regression-psnr", 2 * 640, 480)]
    [InlineData("scale-sweep-psnr", 640, 480)]
    [InlineData("scale-sweep-kernel", 640, 480)]
    [InlineData("scale-sweep-outputs", 4 * 420, 480)]         // ground truth, smallest, best (inside the sweep), largest σ
    [InlineData("regression-1d-fits", 3 * 640, 2 * 400)]      // none, basic, posenc, 3 Gaussian σ
    [InlineData("regression-1d-errors", 2 * 640, 480)]
    public void Figure_has_its_panels(string id, int width, int height)
    {
        Assert.Equal((width, height), Files.DecodePng(suite.Figure(id)));
        // Data are drawn: axes, ticks and text are black or grey, curves and images are coloured. A 2-pixel curve across
        // one 640-pixel panel is ~0.3% of a 640x480 figure; the smoke figures measured 1-57%.
        double coloured = ColouredFraction(suite.Figure(id));
        Assert.True(coloured > 0.003, $"{id}: only {coloured:P2} of the pixels are coloured: no curves or images drawn?");
    }

    static double ColouredFraction(string path)
    {
        using var bitmap = SkiaSharp.SKBitmap.Decode(path)!;
        int coloured = 0;
        for (int y = 30; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (Math.Max(c.Red, Math.Max(c.Green, c.Blue)) - Math.Min(c.Red, Math.Min(c.Green, c.Blue)) > 60) coloured++;
            }
        return (double)coloured / (bitmap.Width * (bitmap.Height - 30));
    }

    // Required at smoke (SS-2, R1D-1; SS-3 is an identity): reproduced in claim_checks. SS-1 has too few σ at smoke for its
    // test to reach p < 0.05 (see its Power), but its effect must hold on the real runs. The image-regression claims have
    // 2 images per dataset at smoke and 64² images, where some differences fall short of a third of the paper's (posenc
    // − basic on natural images: 1.0 of 3.2 dB): they are evaluated, not asserted. For every empirical claim the control
    // (the same runs at iteration 0) must not show the effect.
    [Theory]
    [InlineData("IR-1", false)]
    [InlineData("IR-2", false)]
    [InlineData("IR-3", false)]
    [InlineData("IR-4", false)]
    [InlineData("SS-1", true)]
    [InlineData("SS-2", true)]
    [InlineData("SS-3", true)]
    [InlineData("R1D-1", true)]
    public void Effect_at_smoke_scale_and_not_on_its_control_evaluated_from_the_runs(string claimId, bool effectAtSmoke)
    {
        // Whether each claim passes where required is SmokeSuiteTests' catalog-wide test; this one evaluates the
        // measure directly, including where the test has no power at smoke.
        var claim = Modules().SelectMany(m => m.Claims).Single(c => c.Id == claimId);
        using var context = new AnalysisContext(suite.Open(), "smoke", suite.ReportDir);
        var result = claim.Evaluate(context)!;
        Assert.Null(result.NotEvaluatedReason);
        if (effectAtSmoke) Assert.True(result.EffectHolds, $"{claimId}: measured {result.Measured:G4}, expected {claim.Expectation}; {result.Details}");
        if (claim.Kind == ClaimKind.Identity) return;
        Assert.NotNull(result.Test);
        Assert.True(result.Control is { EffectHolds: false }, $"{claimId}: the control shows the effect: {result.Control?.Details}");
    }

    // The untrained networks' measure is far from each bound on the smoke runs (not only short of significance).
    [Theory]
    [InlineData("IR-1", 1.0 / 3)] // a third of the paper's gaps: at iteration 0 they are negative (-0.28 dB basic − none)
    [InlineData("IR-3", 1.0 / 3)] // a third of the paper's gains: at iteration 0 about -0.5 dB
    [InlineData("SS-1", 2.0)]    // ends >= 2 dB below the best: at iteration 0 ~0.03 dB
    [InlineData("SS-2", 0.9)]    // rho >= 0.9: at iteration 0 0.1
    public void The_control_is_short_of_the_bound(string claimId, double bound)
    {
        var claim = Modules().SelectMany(m => m.Claims).Single(c => c.Id == claimId);
        using var context = new AnalysisContext(suite.Open(), "smoke", suite.ReportDir);
        var control = claim.Evaluate(context)!.Control!;
        Assert.True(double.IsFinite(control.Measured) && control.Measured < bound, $"{claimId}: control {control.Measured:G4} not below {bound}; {control.Details}");
    }

    [Fact]
    public void R1D_1s_control_keeps_most_of_no_mappings_error()
    {
        var claim = Assert.Single(new Regression1DAnalysis().Claims);
        using var context = new AnalysisContext(suite.Open(), "smoke", suite.ReportDir);
        var control = claim.Evaluate(context)!.Control!;
        // The bound is a ratio <= 0.5; the untrained networks' ratio measured 0.85.
        Assert.True(double.IsFinite(control.Measured) && control.Measured > 0.5, $"R1D-1: control {control.Measured:G4}; {control.Details}");
    }

    static IAnalysisModule[] Modules() => [new ImageRegressionAnalysis(), new ScaleSweepAnalysis(), new Regression1DAnalysis()];

    [Fact]
    public void Image_runs_record_psnr_curves_and_the_final_images()
    {
        using var db = suite.Open();
        var c = new ImageRegressionExperiment().Defaults(Scale.Smoke);
        var runs = db.CompletedRuns(ImageRegressionExperiment.Name, "smoke");
        Assert.Equal(4 * (c.NaturalImages.Length + c.TextImages.Length), runs.Count);
        int frames = c.Iterations / c.RecordEvery + 1;
        foreach (var r in runs)
        {
            foreach (var metric in new[] { "psnr_train", "psnr_test", "psnr_full" })
            {
                var (steps, values) = db.MetricSeries(r.Id, metric);
                Assert.Equal(frames, steps.Length);
                Assert.All(values, v => Assert.True(double.IsFinite(v) && v > 5 && v < 80, $"run {r.Id} {metric} = {v}"));
            }
            Assert.Equal([c.Resolution, c.Resolution, 3], db.RequireArray(r.Id, "prediction").Shape);
            Assert.Equal([c.Resolution, c.Resolution, 3], db.RequireArray(r.Id, "target").Shape);
        }
    }

    [Fact]
    public void Sweep_runs_record_a_kernel_slice_normalised_to_one_at_zero()
    {
        using var db = suite.Open();
        var c = new ScaleSweepExperiment().Defaults(Scale.Smoke);
        var runs = db.CompletedRuns(ScaleSweepExperiment.Name, "smoke");
        Assert.Equal(c.Log2Sigmas.Length * new ScaleSweepExperiment().DefaultSeeds(Scale.Smoke), runs.Count);
        foreach (var r in runs)
        {
            var slice = db.RequireArray(r.Id, "kernel_slice").Data;
            var offsets = db.RequireArray(r.Id, "kernel_offsets").Data;
            Assert.Equal(c.SlicePoints, slice.Length);
            Check.Close(0, offsets[c.SlicePoints / 2], 1e-12, "middle offset");
            Check.Close(1, slice[c.SlicePoints / 2], 1e-6, "slice at offset 0");
            Assert.True(double.IsFinite(db.FinalMetric(r.Id, "kernel_half_width")));
        }
    }

    [Fact]
    public void Regression_1d_runs_record_per_signal_errors()
    {
        using var db = suite.Open();
        var c = new Regression1DExperiment().Defaults(Scale.Smoke);
        var runs = db.CompletedRuns(Regression1DExperiment.Name, "smoke");
        Assert.Equal((3 + c.GaussianSigmas.Length) * new Regression1DExperiment().DefaultSeeds(Scale.Smoke), runs.Count);
        foreach (var r in runs)
        {
            Assert.Equal([c.Signals], db.RequireArray(r.Id, "final_mse_test").Shape);
            Assert.Equal([c.Signals], db.RequireArray(r.Id, "initial_mse_test", 0).Shape);
            Assert.Equal([c.Signals, 2 * c.Points], db.RequireArray(r.Id, "prediction").Shape);
        }
    }

    [Fact]
    public void The_report_sets_our_table_1_beside_the_papers_and_says_the_images_are_substitutes()
    {
        var report = File.ReadAllText(Path.Combine(suite.ReportDir, "REPORT.md"));
        Assert.Contains("Table 1 (2D image regression): ours beside the paper's", report);
        Assert.Contains("| Natural (ours, test PSNR) | Natural (ours, full-image PSNR) | Natural (paper, DIV2K) |", report);
        Assert.Contains("25.57 ± 4.19", report);  // the paper's Gaussian, natural
        Assert.Contains("30.47 ± 2.11", report);  // the paper's Gaussian, text
        Assert.Contains("substitutes", report);
    }
}
