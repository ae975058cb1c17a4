using System.Globalization;
using System.Text.Json.Nodes;
using FourierRepro.Analysis;
using FourierRepro.Analysis.Images;
using FourierRepro.Experiments.Core;
using FourierRepro.Experiments.Images;
using FourierRepro.Experiments.Regression1D;
using FourierRepro.Storage;
using Microsoft.EntityFrameworkCore;
using SkiaSharp;

namespace FourierRepro.Tests;

// Data files of one's own (issue 13, item 4): a photograph for image-regression (NaturalImages=path) and a one-column
// CSV signal for regression-1d (Signal=path). Real files in a temp folder, a real PNG encoded and decoded, real SQLite.
// A run's identity includes the file's SHA-256: a changed file is a new run, an unchanged one is skipped.
public sealed class UserDataTests : IDisposable
{
    readonly TempDir dir = new();
    public void Dispose() => dir.Dispose();

    static readonly string[] TinyImage = ["--scale", "smoke", "--threads", "1", "--set", "image-regression.Datasets=natural",
        "--set", "image-regression.Mappings=none,gaussian", "--set", "image-regression.Resolution=16", "--set", "image-regression.Iterations=2",
        "--set", "image-regression.RecordEvery=1", "--set", "image-regression.Width=16", "--set", "image-regression.GaussianFeatures=8"];

    static readonly string[] TinySignal = ["--scale", "smoke", "--seeds", "1", "--threads", "1", "--set", "regression-1d.Mappings=none,posenc,gaussian",
        "--set", "regression-1d.GaussianSigmas=4", "--set", "regression-1d.PosEncScale=3", "--set", "regression-1d.Iterations=2",
        "--set", "regression-1d.RecordEvery=1", "--set", "regression-1d.Width=16", "--set", "regression-1d.Features=8"];

    // A 24 × 20 colour gradient (not square: the centre crop is exercised), `shift` changing every pixel.
    static void WritePng(string path, int shift)
    {
        using var bitmap = new SKBitmap(24, 20, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        for (int y = 0; y < 20; y++)
            for (int x = 0; x < 24; x++) bitmap.SetPixel(x, y, new SKColor((byte)(x * 10 + shift), (byte)(y * 12), (byte)((x + y + shift) * 5), 255));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }

    static double[] WriteCsv(string path, int n, double phase, string? header = "value")
    {
        var values = Enumerable.Range(0, n).Select(i => Math.Round(Math.Sin(2 * Math.PI * 3 * i / n + phase) + 0.3 * Math.Cos(2 * Math.PI * 7 * i / n), 6)).ToArray();
        var lines = values.Select(v => v.ToString("R", CultureInfo.InvariantCulture));
        File.WriteAllLines(path, header is null ? lines : lines.Prepend(header));
        return values;
    }

    static List<RunRecord> Runs(string db, string experiment)
    {
        using var context = ResultsDatabase.OpenExisting(db);
        return context.Runs.AsNoTracking().Where(r => r.Experiment == experiment).OrderBy(r => r.Id).ToList();
    }

    static async Task<(int Exit, string Error)> RunCapturingStderr(params string[] args)
    {
        var stderr = Console.Error;
        var captured = new StringWriter();
        Console.SetError(captured);
        try { return (await Hosts.Experiments(args), captured.ToString()); }
        finally { Console.SetError(stderr); }
    }

    [Fact]
    public async Task A_photograph_outside_data_is_trained_recorded_with_its_path_and_digest_and_rerun_only_when_it_changes()
    {
        Directory.CreateDirectory(dir.File("photos"));
        var photo = dir.File("photos/cat.png");
        WritePng(photo, 0);
        string db = dir.File("own.db");
        string[] run = ["run", "image-regression", "--db", db, .. TinyImage, "--set", $"image-regression.NaturalImages={photo},coffee.png"];
        Assert.Equal(0, await Hosts.Experiments(run));

        var runs = Runs(db, ImageRegressionContract.Experiment);
        Assert.Equal(4, runs.Count); // 2 mappings × (the photograph, a shipped one)
        Assert.All(runs, r => Assert.Equal(RunStatus.Completed, r.Status));
        var own = runs.Where(r => r.Label.EndsWith("/cat.png")).ToList();
        Assert.Equal(["natural/gaussian/cat.png", "natural/none/cat.png"], own.Select(r => r.Label).Order());
        var digest = Files.Sha256(photo);
        foreach (var r in own)
        {
            var c = r.Config<ImageRegressionConfig>();
            Assert.Equal([photo], c.NaturalImages);
            Assert.Equal(digest, c.NaturalImageSha256);
            Assert.Equal("cat.png", c.SingleImageName());
            Assert.Contains(digest, r.ConfigJson);
        }
        // The shipped photograph's runs carry no digest (they are part of the build).
        Assert.All(runs.Except(own), r => Assert.DoesNotContain(nameof(ImageRegressionConfig.NaturalImageSha256), r.ConfigJson));

        // What was trained on is the file decoded: the recorded target is the photograph, cropped and resized.
        using (var context = ResultsDatabase.OpenExisting(db))
        {
            var target = context.RequireArray(own[0].Id, ImageFitContract.Target);
            var expected = ImageFiles.LoadSquare(photo, 16).Rgb;
            Assert.Equal(expected.Length, target.Data.Length);
            for (int i = 0; i < expected.Length; i++) Check.Close(expected[i], target.Data[i], 1e-6, $"target value {i}");
        }

        // The analysis names the photograph by its file name, in its figures and in the per-image table.
        using (var context = new AnalysisContext(ResultsDatabase.OpenExisting(db), "smoke", dir.File("figures")))
        {
            Directory.CreateDirectory(context.OutDir);
            var data = ImageRegressionData.Load(context)!;
            Assert.Contains("cat.png", data.PerImage(ImageRegressionConfig.Natural, ImageRegressionConfig.Gaussian, r => r.FinalTest).Keys);
            var figures = AnalysisCatalog.All.Single(m => m.Experiment == ImageRegressionContract.Experiment).DrawFigures(context).ToList();
            Assert.NotEmpty(figures);
            Assert.All(figures, f => Files.DecodePng(f.PngPath));
        }

        // Unchanged: skipped. Changed content at the same path: new runs, the old ones kept.
        Assert.Equal(0, await Hosts.Experiments(run));
        Assert.Equal(4, Runs(db, ImageRegressionContract.Experiment).Count);
        WritePng(photo, 7);
        Assert.Equal(0, await Hosts.Experiments(run));
        var after = Runs(db, ImageRegressionContract.Experiment);
        Assert.Equal(6, after.Count);
        Assert.All(after, r => Assert.Equal(RunStatus.Completed, r.Status));
        Assert.Equal(runs.Select(r => (r.Id, r.ConfigHash)), after.Take(4).Select(r => (r.Id, r.ConfigHash)));
        Assert.All(after.Skip(4), r => Assert.Equal(Files.Sha256(photo), r.Config<ImageRegressionConfig>().NaturalImageSha256));
        Assert.NotEqual(digest, Files.Sha256(photo));

        // The analysis then uses the photograph as it now is: one run per image, mapping and seed, the newest.
        using (var context = new AnalysisContext(ResultsDatabase.OpenExisting(db), "smoke", dir.File("figures2")))
        {
            var data = ImageRegressionData.Load(context)!;
            var cats = data.Runs.Where(r => r.Image == "cat.png").Select(r => r.RunId).Order().ToList();
            Assert.Equal(after.Skip(4).Select(r => r.Id).Order(), cats);
        }
    }

    [Fact]
    public async Task A_csv_signal_replaces_the_generated_signals_and_is_rerun_only_when_it_changes()
    {
        var csv = dir.File("signal.csv");
        var values = WriteCsv(csv, 40, 0);
        string db = dir.File("signal.db");
        string[] run = ["run", "regression-1d", "--db", db, .. TinySignal, "--set", $"regression-1d.Signal={csv}"];
        Assert.Equal(0, await Hosts.Experiments(run));

        var runs = Runs(db, Regression1DContract.Experiment);
        Assert.Equal(["signal.csv/gaussian sigma=4", "signal.csv/none", "signal.csv/posenc"], runs.Select(r => r.Label).Order());
        foreach (var r in runs)
        {
            Assert.Equal(RunStatus.Completed, r.Status);
            var c = r.Config<Regression1DConfig>();
            Assert.Equal(csv, c.Signal);
            Assert.Equal(Files.Sha256(csv), c.SignalSha256);
            Assert.Equal(20, c.Points);  // 40 samples: 20 train (even), 20 test (odd)
            Assert.Equal(1, c.Signals);
        }
        using (var context = ResultsDatabase.OpenExisting(db))
        {
            var target = context.RequireArray(runs[0].Id, Regression1DContract.Target);
            Assert.Equal([1, 40], target.Shape);
            for (int i = 0; i < values.Length; i++) Check.Close(values[i], target.Data[i], 1e-6, $"target sample {i}");
        }
        using (var context = new AnalysisContext(ResultsDatabase.OpenExisting(db), "smoke", dir.File("figures")))
        {
            Directory.CreateDirectory(context.OutDir);
            var figures = AnalysisCatalog.All.Single(m => m.Experiment == Regression1DContract.Experiment).DrawFigures(context).ToList();
            Assert.Contains(figures, f => f.Caption.Contains("signal.csv"));
            Assert.All(figures, f => Files.DecodePng(f.PngPath));
        }

        Assert.Equal(0, await Hosts.Experiments(run));
        Assert.Equal(3, Runs(db, Regression1DContract.Experiment).Count);
        WriteCsv(csv, 40, 1.0);
        Assert.Equal(0, await Hosts.Experiments(run));
        var after = Runs(db, Regression1DContract.Experiment);
        Assert.Equal(6, after.Count);
        Assert.Equal(runs.Select(r => (r.Id, r.ConfigHash)), after.Take(3).Select(r => (r.Id, r.ConfigHash)));
        Assert.All(after.Skip(3), r => Assert.Equal(Files.Sha256(csv), r.Config<Regression1DConfig>().SignalSha256));
    }

    [Fact]
    public void Relative_paths_resolve_against_the_working_folder_and_shipped_names_stay_shipped()
    {
        var cwd = Directory.GetCurrentDirectory();
        Directory.CreateDirectory(dir.File("sub"));
        WritePng(dir.File("sub/mine.png"), 0);
        WritePng(dir.File("astronaut.png"), 0); // a file named like a shipped photograph, in the working folder
        WriteCsv(dir.File("sub/s.csv"), 8, 0, header: null);
        try
        {
            Directory.SetCurrentDirectory(dir.Path); // tests run one at a time (TestSupport.cs)
            var images = new ImageRegressionExperiment().Plan(Scale.Smoke, new Dictionary<string, string>
            {
                ["Datasets"] = "natural", ["Mappings"] = "none", ["NaturalImages"] = "sub/mine.png,astronaut.png,./astronaut.png",
            }).Select(p => (ImageRegressionConfig)p.Config).ToList();
            Assert.Equal(dir.File("sub/mine.png"), images[0].SingleNaturalImage());
            Assert.Equal(Files.Sha256(dir.File("sub/mine.png")), images[0].NaturalImageSha256);
            Assert.Equal("astronaut.png", images[1].SingleNaturalImage()); // the bare shipped name wins: its identity is unchanged
            Assert.Null(images[1].NaturalImageSha256);
            Assert.Equal(dir.File("astronaut.png"), images[2].SingleNaturalImage()); // ./name reaches the working folder's file
            Assert.NotNull(images[2].NaturalImageSha256);

            var signal = (Regression1DConfig)new Regression1DExperiment().Plan(Scale.Smoke, new Dictionary<string, string>
            {
                ["Mappings"] = "none", ["Signal"] = "sub/s.csv",
            }).Single().Config;
            Assert.Equal(dir.File("sub/s.csv"), signal.Signal);
            Assert.Equal(4, signal.Points);
        }
        finally { Directory.SetCurrentDirectory(cwd); }
    }

    [Fact]
    public void A_digest_is_computed_by_the_planner_never_set_and_a_file_changed_after_planning_is_refused()
    {
        var e = Assert.Throws<ConfigException>(() => new Regression1DExperiment().Plan(Scale.Smoke,
            new Dictionary<string, string> { ["SignalSha256"] = "00" }));
        Assert.Contains("SignalSha256", e.Message);
        e = Assert.Throws<ConfigException>(() => new ImageRegressionExperiment().Plan(Scale.Smoke,
            new Dictionary<string, string> { ["NaturalImageSha256"] = "00" }));
        Assert.Contains("NaturalImageSha256", e.Message);

        var photo = dir.File("p.png");
        WritePng(photo, 0);
        var planned = Files.Sha256(photo);
        WritePng(photo, 3);
        var load = Assert.Throws<ImageLoadException>(() => ImageDatasets.LoadOwn(photo, planned, 16));
        Assert.Contains(photo, load.Message);
        Assert.Contains("changed since the plan", load.Message);
    }

    public static readonly TheoryData<string, string, string> BadFiles = new()
    {
        // experiment, file name, content ("<none>": the file does not exist)
        { "image-regression", "missing.png", "<none>" },
        { "image-regression", "not-an-image.png", "this is not a PNG\n" },
        { "image-regression", "empty.png", "" },
        { "regression-1d", "missing.csv", "<none>" },
        { "regression-1d", "two-columns.csv", "x,y\n0,1\n1,2\n2,3\n3,4\n" },
        { "regression-1d", "two-columns-no-header.csv", "0;1\n1;2\n2;3\n3;4\n" },
        { "regression-1d", "not-numbers.csv", "value\n0.1\n0.2\nabc\n0.4\n" },
        { "regression-1d", "not-finite.csv", "0.1\nNaN\n0.3\n0.4\n" },
        { "regression-1d", "too-few.csv", "value\n0.1\n0.2\n" },
        { "regression-1d", "odd-count.csv", "0.1\n0.2\n0.3\n0.4\n0.5\n" },
        { "regression-1d", "blank-inside.csv", "0.1\n\n0.3\n0.4\n0.5\n" },
        { "regression-1d", "empty.csv", "" },
        { "regression-1d", "header-only.csv", "value\n" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_missing_or_wrong_file_exits_2_naming_it_before_any_training_and_leaves_the_database_unchanged(string experiment, string name, string content)
    {
        var file = dir.File(name);
        if (content != "<none>") File.WriteAllText(file, content);
        string setting = experiment == "image-regression" ? $"image-regression.NaturalImages={file}" : $"regression-1d.Signal={file}";
        string[] tiny = experiment == "image-regression" ? TinyImage : TinySignal;

        // No database yet: none is created.
        var absent = dir.File("absent.db");
        var (exit, error) = await RunCapturingStderr(["run", experiment, "--db", absent, .. tiny, "--set", setting]);
        Assert.Equal(2, exit);
        Assert.Contains(file, error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.False(File.Exists(absent), $"{absent} was created");

        // A database already there: byte for byte as it was.
        var db = dir.File("present.db");
        ResultsDatabase.Open(db).Dispose();
        var before = Files.Sha256(db);
        (exit, error) = await RunCapturingStderr(["run", experiment, "--db", db, .. tiny, "--set", setting]);
        Assert.Equal(2, exit);
        Assert.Contains(file, error);
        Assert.Equal(before, Files.Sha256(db));
    }
}
