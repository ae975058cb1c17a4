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

    [Theory]
    [InlineData("IR-1")]
    [InlineData("IR-2")]
    [InlineData("IR-3")]
    [InlineData("SS-1")]
    [InlineData("SS-2")]
    [InlineData("SS-3")]
    [InlineData("R1D-1")]
    public void Claim_holds_at_smoke_scale(string claimId)
    {
        using var db = suite.Open();
        var check = db.ClaimChecks.AsNoTracking().Where(c => c.ClaimId == claimId && c.Scale == "smoke").OrderByDescending(c => c.Id).FirstOrDefault();
        Assert.True(check is not null, $"{claimId} was not evaluated");
        Assert.True(check.Passed, $"{claimId}: measured {check.Measured}, expected {check.Expectation}; {check.Details}");
    }

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
