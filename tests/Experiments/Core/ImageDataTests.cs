using FourierRepro.Analysis;
using FourierRepro.Analysis.Claims;
using FourierRepro.Analysis.Images;
using FourierRepro.Experiments;
using FourierRepro.Experiments.Core;
using FourierRepro.Experiments.Images;
using FourierRepro.Storage;

namespace FourierRepro.Tests;

// Loading and generating the images of the image-regression experiments.
public sealed class ImageDataTests
{
    static readonly string[] Fonts = new ImageRegressionConfig().TextFonts;

    [Fact]
    public void A_missing_image_file_is_an_error_naming_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-dir", "missing-photo.png");
        var e = Assert.Throws<ImageLoadException>(() => ImageFiles.LoadSquare(path, 32));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_corrupt_or_truncated_image_file_is_an_error_naming_the_file()
    {
        using var dir = new TempDir();
        var garbage = dir.File("garbage.png");
        File.WriteAllBytes(garbage, Enumerable.Range(0, 4096).Select(i => (byte)(i * 37)).ToArray());
        var e = Assert.Throws<ImageLoadException>(() => ImageFiles.LoadSquare(garbage, 32));
        Assert.Contains(garbage, e.Message);

        // Half of a real PNG: the header decodes, the pixels do not all arrive.
        var truncated = dir.File("truncated.png");
        var bytes = File.ReadAllBytes(ImageDatasets.NaturalPath("astronaut.png"));
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        e = Assert.Throws<ImageLoadException>(() => ImageFiles.LoadSquare(truncated, 32));
        Assert.Contains(truncated, e.Message);
    }

    [Fact]
    public void A_missing_image_or_font_stops_the_plan_with_the_file_named()
    {
        var e = Assert.Throws<ConfigException>(() => new ImageRegressionExperiment().Plan(Scale.Smoke,
            new Dictionary<string, string> { ["NaturalImages"] = "astronaut.png,not-there.jpg" }));
        Assert.Contains("not-there.jpg", e.Message);
        e = Assert.Throws<ConfigException>(() => new ImageRegressionExperiment().Plan(Scale.Smoke,
            new Dictionary<string, string> { ["TextFonts"] = "NoSuchFont.ttf" }));
        Assert.Contains("NoSuchFont.ttf", e.Message);
        e = Assert.Throws<ConfigException>(() => new ScaleSweepExperiment().Plan(Scale.Smoke,
            new Dictionary<string, string> { ["Image"] = "gone.png" }));
        Assert.Contains("gone.png", e.Message);
    }

    [Fact]
    public void A_missing_font_file_is_an_error_naming_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), "missing-font.ttf");
        var e = Assert.Throws<ImageLoadException>(() => TextImages.Generate("t", 32, new Rng(1), [path]));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Every_shipped_photograph_loads_as_a_square_rgb_image_with_its_mean_kept_by_the_resize()
    {
        foreach (var file in new ImageRegressionConfig().NaturalImages)
        {
            var (w, h, rgb) = ImageFiles.Decode(ImageDatasets.NaturalPath(file));
            var (side, square) = ImageFiles.CentreCrop(rgb, w, h);
            Assert.Equal(Math.Min(w, h), side);
            var small = ImageDatasets.LoadNatural(file, 64);
            Assert.Equal(64, small.Size);
            Assert.Equal(64 * 64 * 3, small.Rgb.Length);
            Assert.All(small.Rgb, v => Assert.InRange(v, 0f, 1f));
            // An antialiased reduction is a weighted average: the mean colour of the crop survives (Lanczos ringing and
            // the clamp to [0, 1] move it a little).
            Check.Close(square.Average(v => (double)v), small.Rgb.Average(v => (double)v), 0.01, $"{file}: mean intensity after resizing to 64");
        }
    }

    [Fact]
    public void Resize_keeps_constants_averages_fine_patterns_and_is_the_identity_at_the_same_size()
    {
        var constant = Enumerable.Repeat(0.3f, 40 * 40 * 3).ToArray();
        Assert.All(ImageFiles.Resize(constant, 40, 40, 10, 10), v => Check.Close(0.3, v, 1e-5, "constant image resized"));
        Assert.Equal(constant, ImageFiles.Resize(constant, 40, 40, 40, 40));

        // A one-pixel checkerboard shrunk 8×: an antialiased filter gives its mean, 0.5, away from the borders.
        var checker = new float[64 * 64 * 3];
        for (int r = 0; r < 64; r++) for (int c = 0; c < 64; c++) for (int k = 0; k < 3; k++) checker[(r * 64 + c) * 3 + k] = (r + c) % 2;
        var small = ImageFiles.Resize(checker, 64, 64, 8, 8);
        for (int r = 2; r < 6; r++) for (int c = 2; c < 6; c++) Check.Close(0.5, small[(r * 8 + c) * 3], 0.02, $"checkerboard at ({r}, {c})");
    }

    [Fact]
    public void Centre_crop_takes_the_middle_square()
    {
        // 5 × 3 image whose red channel is the column index: the crop keeps columns 1..3.
        var rgb = new float[3 * 5 * 3];
        for (int r = 0; r < 3; r++) for (int c = 0; c < 5; c++) rgb[(r * 5 + c) * 3] = c;
        var (side, square) = ImageFiles.CentreCrop(rgb, 5, 3);
        Assert.Equal(3, side);
        for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) Check.Close(c + 1, square[(r * 3 + c) * 3], 0, $"red at ({r}, {c})");
    }

    [Fact]
    public void Pixel_grid_trains_on_even_even_and_tests_on_odd_odd_pixels_at_the_notebooks_coordinates()
    {
        int size = 8;
        var xy = PixelGrid.Coordinates(size);
        var train = PixelGrid.Train(size);
        var test = PixelGrid.Test(size);
        Assert.Equal(16, train.Length);
        Assert.Equal(16, test.Length);
        Assert.Empty(train.Intersect(test));
        // The notebook's x_train = linspace(0, 1, size/2 + 1)[:-1] on each axis: 0, 0.25, 0.5, 0.75.
        var xs = train.Select(i => (double)xy[i * 2]).Distinct().Order().ToArray();
        Assert.Equal(4, xs.Length);
        for (int j = 0; j < 4; j++) Check.Close(j / 4.0, xs[j], 1e-7, $"training x[{j}]");
        Assert.All(test, i => Assert.True((i / size) % 2 == 1 && (i % size) % 2 == 1, $"test pixel {i} is not odd/odd"));
        Check.Close(1.0 / size, xy[test[0] * 2], 1e-7, "first test pixel's x");
    }

    [Fact]
    public void Text_images_are_deterministic_per_seed_and_show_text()
    {
        var a = ImageDatasets.GenerateText(3, 2020, 64, Fonts);
        var b = ImageDatasets.GenerateText(3, 2020, 64, Fonts);
        var other = ImageDatasets.GenerateText(4, 2020, 64, Fonts);
        Assert.Equal(a.Rgb, b.Rgb);
        Assert.NotEqual(a.Rgb, other.Rgb);
        foreach (var size in new[] { 64, 128 })
            for (int i = 0; i < 4; i++)
            {
                var img = ImageDatasets.GenerateText(i, 2020, size, Fonts);
                // Pixels that differ from the background (the corner colour) by more than 0.1 in some channel.
                var bg = new[] { img.At(0, 0, 0), img.At(0, 0, 1), img.At(0, 0, 2) };
                double ink = Enumerable.Range(0, size * size).Count(p => Enumerable.Range(0, 3).Any(ch => Math.Abs(img.Rgb[p * 3 + ch] - bg[ch]) > 0.1)) / (double)(size * size);
                Assert.InRange(ink, 0.02, 0.9);
            }
    }

    [Fact]
    public void Smaller_scales_scale_sigma_and_the_positional_encoding_with_the_resolution()
    {
        var paper = new ImageRegressionExperiment().Defaults(Scale.Paper);
        Assert.Equal((512, 10.0, 14.0, 6.0, 5.0), (paper.Resolution, paper.SigmaNatural, paper.SigmaText, paper.PosEncScaleNatural, paper.PosEncScaleText));
        var smoke = new ImageRegressionExperiment().Defaults(Scale.Smoke);
        double r = smoke.Resolution / 512.0;
        Check.Close(10 * r, smoke.SigmaNatural, 1e-12, "smoke σ natural");
        Check.Close(14 * r, smoke.SigmaText, 1e-12, "smoke σ text");
        Check.Close(63 * r, Math.Pow(2, smoke.PosEncScaleNatural) - 1, 0.01, "smoke top posenc frequency, natural");
        Check.Close(31 * r, Math.Pow(2, smoke.PosEncScaleText) - 1, 0.01, "smoke top posenc frequency, text");
    }

    [Fact]
    public void Learning_rates_follow_the_notebook()
    {
        var c = new ImageRegressionConfig();
        Check.Close(1e-2, c.LearningRate("natural", "none"), 0, "natural none");
        Check.Close(1e-2, c.LearningRate("natural", "basic"), 0, "natural basic");
        Check.Close(1e-3, c.LearningRate("text", "basic"), 0, "text basic");
        Check.Close(1e-3, c.LearningRate("natural", "gaussian"), 0, "natural gaussian");
        Check.Close(1e-3, c.LearningRate("text", "posenc"), 0, "text posenc");
    }

    [Fact]
    public void The_grid_is_one_run_per_dataset_mapping_and_image()
    {
        var plan = new ImageRegressionExperiment().Plan(Scale.Smoke, new Dictionary<string, string>());
        var c = new ImageRegressionExperiment().Defaults(Scale.Smoke);
        Assert.Equal(4 * (c.NaturalImages.Length + c.TextImages.Length), plan.Count);
        Assert.Equal(plan.Count, plan.Select(p => p.Label).Distinct().Count());
        Assert.All(plan, p =>
        {
            var rc = (ImageRegressionConfig)p.Config;
            Assert.Single(rc.Datasets);
            Assert.Single(rc.Mappings);
            Assert.Equal(1, rc.NaturalImages.Length + rc.TextImages.Length);
        });
    }

    // The negative control, run for real: networks trained with learning rates of 1e-12 (2 steps on one 32² image of
    // each dataset) have learned nothing, and no image-regression claim may hold on them, nor on their iteration 0.
    [Fact]
    public async Task Untrained_networks_reproduce_no_image_regression_claim()
    {
        using var dir = new TempDir();
        string db = dir.File("untrained.db");
        Assert.Equal(0, await Hosts.Experiments("run", "image-regression", "--scale", "smoke", "--db", db,
            "--set", "image-regression.NaturalImages=coffee.png", "--set", "image-regression.TextImages=0",
            "--set", "image-regression.Resolution=32", "--set", "image-regression.Iterations=2", "--set", "image-regression.RecordEvery=1",
            "--set", "image-regression.LrFeatures=1e-12", "--set", "image-regression.LrRawNatural=1e-12", "--set", "image-regression.LrRawText=1e-12"));
        using var context = new AnalysisContext(ResultsDatabase.OpenExisting(db), "smoke", dir.Path);
        foreach (var claim in new ImageRegressionAnalysis().Claims)
        {
            Check.NotReproducedByUntrained(claim, claim.Evaluate(context));
        }
    }

    // Data only partly there (natural images only) is "not evaluated" for the claims that need text, never a failure.
    [Fact]
    public async Task Claims_needing_the_text_images_are_not_evaluated_without_them()
    {
        using var dir = new TempDir();
        string db = dir.File("natural.db");
        Assert.Equal(0, await Hosts.Experiments("run", "image-regression", "--scale", "smoke", "--db", db, "--set", "image-regression.Datasets=natural",
            "--set", "image-regression.NaturalImages=coffee.png", "--set", "image-regression.Resolution=16", "--set", "image-regression.Iterations=1"));
        using var context = new AnalysisContext(ResultsDatabase.OpenExisting(db), "smoke", dir.Path);
        var results = new ImageRegressionAnalysis().Claims.ToDictionary(c => c.Id, c => c.Evaluate(context));
        Assert.Null(results["IR-1"]!.NotEvaluatedReason);
        foreach (var id in new[] { "IR-2", "IR-3", "IR-4" })
            Assert.Contains("no text images", results[id]!.NotEvaluatedReason ?? $"{id} was evaluated: {results[id]!.Details}");
    }
}
