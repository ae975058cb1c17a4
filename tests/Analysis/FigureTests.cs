using FourierRepro.Analysis;
using FourierRepro.Storage;

namespace FourierRepro.Tests.Analysis;

// A small fixture database: every experiment at smoke scale with tiny settings (~20 s on 2 cores), so that each
// figure function is tested on its own, without the whole smoke suite. Real runs, real SQLite, real PNGs.
public sealed class TinySuite : IDisposable
{
    readonly TempDir dir = new();
    public string Db => dir.File("tiny.db");
    public string Out => dir.File("figures");
    readonly Dictionary<string, List<FigureResult>> drawn = [];

    public static readonly string[] Settings =
    [
        "spectral-bias.Iterations=60", "spectral-bias.RecordEvery=20", "spectral-bias.ControlSeeds=1",
        "perturbation-robustness.Iterations=40", "perturbation-robustness.PerturbationSteps=3", "perturbation-robustness.Directions=2",
        "perturbation-robustness.DirectionBatch=2",
        "relu-spectrum-decay.Iterations=30", "relu-spectrum-decay.Widths=16",
        "manifold-spectral-bias.Iterations=20", "manifold-spectral-bias.RecordEvery=10", "manifold-spectral-bias.Width=16", "manifold-spectral-bias.DecisionGrid=20",
        "ntk-kernels.HeatmapPoints=20",
        "ntk-convergence.Iterations=40", "ntk-convergence.RecordEvery=20", "ntk-convergence.Width=64",
        "sampling-width.Iterations=20", "sampling-width.RecordEvery=10", "sampling-width.Signals=2", "sampling-width.Width=32",
        "image-regression.Resolution=16", "image-regression.Iterations=10", "image-regression.RecordEvery=5", "image-regression.TextImages=0,1",
        "image-regression.NaturalImages=astronaut.png,coffee.png", "image-regression.Width=32", "image-regression.PosEncPerAxis=8", "image-regression.GaussianFeatures=16",
        "scale-sweep.Resolution=16", "scale-sweep.Iterations=10", "scale-sweep.RecordEvery=5", "scale-sweep.SlicePoints=9", "scale-sweep.GaussianFeatures=16",
        "scale-sweep.Width=32",
        "regression-1d.Iterations=20", "regression-1d.RecordEvery=10", "regression-1d.Signals=1", "regression-1d.Width=32", "regression-1d.Features=32",
        "ct-reconstruction.Resolution=16", "ct-reconstruction.Iterations=10", "ct-reconstruction.RecordEvery=5", "ct-reconstruction.Width=32",
        "ct-reconstruction.PosEncPerAxis=8", "ct-reconstruction.GaussianFeatures=16",
        "mri-reconstruction.Resolution=8", "mri-reconstruction.Iterations=10", "mri-reconstruction.RecordEvery=5", "mri-reconstruction.Width=32",
        "mri-reconstruction.PosEncPerAxis=8", "mri-reconstruction.GaussianFeatures=16",
    ];

    public TinySuite()
    {
        int exit = Hosts.Experiments(["run", "all", "--scale", "smoke", "--db", Db, "--threads", "1", .. Settings.SelectMany(s => new[] { "--set", s })])
            .GetAwaiter().GetResult();
        if (exit != 0) throw new InvalidOperationException($"the tiny suite's runs exited {exit}");
    }

    // Each module's figures, drawn once from the tiny database by the module alone (no report, no claims).
    public List<FigureResult> Figures(string experiment)
    {
        if (drawn.TryGetValue(experiment, out var figures)) return figures;
        var module = AnalysisCatalog.All.Single(m => m.Experiment == experiment);
        using var context = new AnalysisContext(ResultsDatabase.OpenExisting(Db), "smoke", Path.Combine(Out, experiment));
        Directory.CreateDirectory(context.OutDir);
        return drawn[experiment] = module.DrawFigures(context).ToList();
    }

    public ResultsDbContext Open() => ResultsDatabase.OpenExisting(Db);

    // FIGURE_KEEP=DIR keeps the tiny suite's figures and database there, to look at them.
    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("FIGURE_KEEP") is { Length: > 0 } keep)
        {
            foreach (var module in AnalysisCatalog.All) Figures(module.Experiment);
            foreach (var file in Directory.EnumerateFiles(Out, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(keep, Path.GetRelativePath(Out, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target, overwrite: true);
            }
            File.Copy(Db, Path.Combine(keep, "tiny.db"), overwrite: true);
        }
        dir.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class TinySuiteCollection : ICollectionFixture<TinySuite>
{
    public const string Name = "tiny suite";
}

[Collection(TinySuiteCollection.Name)]
public sealed class FigureTests(TinySuite suite)
{
    // Every figure of every module, by the experiment that draws it. A figure added without a row here, or one that
    // a module stops drawing, fails Every_module_draws_exactly_its_listed_figures.
    public static readonly TheoryData<string, string> All = new()
    {
        { "spectral-bias", "fig1-spectral-dynamics" }, { "spectral-bias", "fig1-control-flat-fourier" },
        { "spectral-bias", "fig1-spectral-norms" }, { "spectral-bias", "fig2-learned-function" },
        { "perturbation-robustness", "fig3-perturbation-robustness" },
        { "relu-spectrum-decay", "theorem1-spectrum-decay" },
        { "manifold-spectral-bias", "manifold-spectral-dynamics" }, { "manifold-spectral-bias", "manifold-classification" },
        { "ntk-kernels", "fig2-ntk-kernels" },
        { "ntk-convergence", "fig3-ntk-convergence" }, { "ntk-convergence", "fig3-all-mappings" },
        { "ntk-conditioning", "ntk-conditioning-spectra" }, { "ntk-conditioning", "ntk-conditioning-condition" },
        { "sampling-width", "fig4-sampling-width" }, { "sampling-width", "fig13-sampling-width-train" },
        { "image-regression", "image-regression-fig1" }, { "image-regression", "image-regression-psnr" },
        { "scale-sweep", "scale-sweep-psnr" }, { "scale-sweep", "scale-sweep-kernel" }, { "scale-sweep", "scale-sweep-outputs" },
        { "regression-1d", "regression-1d-fits" }, { "regression-1d", "regression-1d-errors" },
        { "ct-reconstruction", "ct-reconstruction" }, { "ct-reconstruction", "ct-reconstruction-psnr" },
        { "mri-reconstruction", "mri-reconstruction" }, { "mri-reconstruction", "mri-reconstruction-psnr" },
    };

    [Fact]
    public void Every_module_draws_exactly_its_listed_figures()
    {
        foreach (var module in AnalysisCatalog.All)
        {
            var expected = All.Where(row => (string)row[0] == module.Experiment).Select(row => (string)row[1]).Order().ToList();
            Assert.Equal(expected, suite.Figures(module.Experiment).Select(f => f.Id).Order().ToList());
        }
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Figure_is_a_png_with_a_title_and_drawn_panels_an_svg_twin_and_its_runs(string experiment, string id)
    {
        var figure = suite.Figures(experiment).SingleOrDefault(f => f.Id == id);
        Assert.True(figure is not null, $"{experiment} drew no figure {id}");
        var (w, h) = Files.DecodePng(figure.PngPath);
        Assert.True(w >= 640 && h >= 480, $"{id}: {w}x{h} is smaller than one panel");
        // ScottPlot draws no text without the shipped fonts: the title band must have ink.
        Assert.True(Files.InkFraction(figure.PngPath, 0, 30) > 0.005, $"{id}: no title text drawn");
        // Below the titles, something is drawn in every 640-px-wide panel column (axes, data, image).
        for (int left = 0; left + 640 <= w; left += 640)
            Assert.True(Files.InkFraction(figure.PngPath, 40, h - 20, left, left + 640) > 0.02, $"{id}: the panel at x = {left} is nearly empty");
        Assert.StartsWith("<svg", File.ReadAllText(figure.SvgPath));
        Assert.False(string.IsNullOrWhiteSpace(figure.PaperFigure), $"{id}: names no paper figure");
        Assert.False(string.IsNullOrWhiteSpace(figure.Caption), $"{id}: has no caption");
        using var db = suite.Open();
        var runs = db.CompletedRuns(experiment, "smoke").Select(r => r.Id).ToHashSet();
        Assert.NotEmpty(figure.RunIds);
        Assert.All(figure.RunIds, r => Assert.Contains(r, runs));
    }
}
