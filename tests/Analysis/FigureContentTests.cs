using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using FourierRepro.Analysis;
using FourierRepro.Storage;
using SkiaSharp;

namespace FourierRepro.Tests.Analysis;

// What each figure shows, checked against the database: its panels (one per amplitude case, image, α, …), the series
// and labels its legends name, and for image panels the pixels of the recorded arrays. The expected values are read
// from the runs and their configurations directly (Storage and the contracts), never through the analysis modules'
// loaders, so a figure drawn from the wrong data, or one that lost a panel or a series, fails here. FigureTests checks
// the generic properties (decodes, has ink, has a caption).
[Collection(TinySuiteCollection.Name)]
public sealed class FigureContentTests(TinySuite suite)
{
    const string Smoke = "smoke";

    FigureResult Figure(string experiment, string id) =>
        suite.Figures(experiment).SingleOrDefault(f => f.Id == id) ?? throw new Xunit.Sdk.XunitException($"{experiment} drew no figure {id}");

    static string Inv(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    // ---- Rahaman et al.: spectral bias --------------------------------------------------------------------------

    [Fact]
    public void Spectral_dynamics_has_one_heatmap_per_amplitude_case_with_its_runs_frequencies_and_frames()
    {
        using var db = suite.Open();
        var runs = db.CompletedRuns(SpectralBiasContract.Experiment, Smoke).Select(r => (Run: r, Config: r.Config<SpectralBiasConfig>())).ToList();
        foreach (var (id, mapping, prefix) in new[] { ("fig1-spectral-dynamics", SpectralBiasConfig.NoMapping, ""), ("fig1-control-flat-fourier", SpectralBiasConfig.FlatFourierMapping, "control: ") })
        {
            var byCase = runs.Where(r => r.Config.Mapping == mapping).GroupBy(r => r.Config.SingleCase()).ToDictionary(g => g.Key, g => g.Select(r => r.Run).ToList());
            var svg = SvgFigure.Load(Figure(SpectralBiasContract.Experiment, id).SvgPath);
            Assert.Equal(byCase.Count, svg.Panels.Count);
            string[] order = [SpectralBiasConfig.EqualAmplitudes, SpectralBiasConfig.IncreasingAmplitudes];
            var cases = order.Where(byCase.ContainsKey).ToList();
            string[] names = ["equal amplitudes", "increasing amplitudes"];
            for (int i = 0; i < cases.Count; i++)
            {
                var panel = svg.Panels[i];
                var caseRuns = byCase[cases[i]];
                string name = names[Array.IndexOf(order, cases[i])];
                Assert.True(panel.Title.StartsWith(prefix) && panel.Title.Contains(name) && panel.Title.Contains($"({caseRuns.Count} run"),
                    $"{id} panel {i}: title '{panel.Title}' should name '{name}' and its {caseRuns.Count} runs");
                // The heat-map's bitmap is K frequencies wide and F frames high, and its brightness follows the mean of the runs'
                // normalized amplitudes (Viridis is monotonic in luminance).
                var normalized = caseRuns.Select(r => db.RequireArray(r.Id, SpectralBiasContract.NormalizedAmplitude)).ToList();
                int frames = normalized[0].Rows, k = normalized[0].Columns;
                var heat = panel.Images.First();
                Assert.True(heat.Bitmap.Width == k && heat.Bitmap.Height == frames,
                    $"{id} panel {i}: heat-map {heat.Bitmap.Width}x{heat.Bitmap.Height}, the runs have {k} frequencies x {frames} frames");
                AssertHeatmapFollows(heat.Bitmap, frames, k, (f, j) => normalized.Average(a => a[f, j]), $"{id} panel {i} (runs {string.Join(", ", caseRuns.Select(r => r.Id))})");
            }
        }
    }

    [Fact]
    public void Spectral_norms_name_every_recorded_layer_in_each_case_with_a_line_per_layer()
    {
        using var db = suite.Open();
        var runs = db.CompletedRuns(SpectralBiasContract.Experiment, Smoke).Where(r => r.Config<SpectralBiasConfig>().Mapping == SpectralBiasConfig.NoMapping).ToList();
        int cases = runs.Select(r => r.Config<SpectralBiasConfig>().SingleCase()).Distinct().Count();
        int layers = 0;
        while (db.MetricSeries(runs[0].Id, SpectralBiasContract.SpectralNorm(layers + 1)).Steps.Length > 0) layers++;
        Assert.True(layers >= 2, $"run {runs[0].Id} records {layers} spectral norms");

        var svg = SvgFigure.Load(Figure(SpectralBiasContract.Experiment, "fig1-spectral-norms").SvgPath);
        Assert.Equal(cases, svg.Panels.Count);
        foreach (var panel in svg.Panels)
        {
            for (int l = 1; l <= layers; l++) Assert.Contains($"Layer {l}", panel.Texts);
            Assert.DoesNotContain($"Layer {layers + 1}", panel.Texts);
            Assert.True(panel.SeriesColors.Count >= layers, $"'{panel.Title}': {panel.SeriesColors.Count} series colours for {layers} layers");
        }
    }

    [Fact]
    public void Learned_function_shows_the_first_equal_amplitude_run_at_recorded_iterations_with_its_spectrum_below()
    {
        using var db = suite.Open();
        var run = db.CompletedRuns(SpectralBiasContract.Experiment, Smoke)
            .Where(r => r.Config<SpectralBiasConfig>() is { Mapping: SpectralBiasConfig.NoMapping } c && c.SingleCase() == SpectralBiasConfig.EqualAmplitudes)
            .MinBy(r => r.Id)!;
        var steps = db.RequireArray(run.Id, SpectralBiasContract.RecordSteps).Data;
        var figure = Figure(SpectralBiasContract.Experiment, "fig2-learned-function");
        Assert.Equal([run.Id], figure.RunIds);
        var svg = SvgFigure.Load(figure.SvgPath);
        // Two rows: the functions on top, their spectra below, one column per chosen iteration.
        Assert.True(svg.Panels.Count % 2 == 0 && svg.Height == 2 * svg.Panels[0].Height, $"{svg.Panels.Count} panels, {svg.Height} px high: expected two rows");
        int columns = svg.Panels.Count / 2;
        var top = svg.Panels.Take(columns).ToList();
        var shown = top.Select(p => Regex.Match(p.Title, @"^iteration (\d+)$")).ToList();
        Assert.All(shown, m => Assert.True(m.Success, $"a top panel's title is not 'iteration N'"));
        var iterations = shown.Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.All(iterations, it => Assert.Contains(it, steps));
        Assert.Equal(iterations.Order().Distinct(), iterations);
        Assert.Equal(steps[^1], iterations[^1]);
        foreach (var p in top) { Assert.Contains("target", p.Texts); Assert.Contains("network", p.Texts); }
        // The bars: one tick label per target frequency of the run.
        var frequencies = db.RequireArray(run.Id, SpectralBiasContract.Frequencies).Data;
        foreach (var p in svg.Panels.Skip(columns))
            Assert.All(frequencies, k => Assert.Contains(Inv(k, "G4"), p.Texts));
    }

    [Fact]
    public void Perturbation_figure_has_a_line_per_frequency_over_the_recorded_perturbation_norms()
    {
        using var db = suite.Open();
        var runs = db.CompletedRuns(PerturbationRobustnessContract.Experiment, Smoke);
        var frequencies = db.RequireArray(runs[0].Id, PerturbationRobustnessContract.Frequencies).Data;
        var deltas = db.RequireArray(runs[0].Id, PerturbationRobustnessContract.PerturbationNorms).Data;
        var svg = SvgFigure.Load(Figure(PerturbationRobustnessContract.Experiment, "fig3-perturbation-robustness").SvgPath);
        Assert.Equal(2, svg.Panels.Count);
        Assert.Contains($"mean over {runs.Count} trained networks", svg.Panels[0].Title);
        var heat = svg.Panels[0].Images.First().Bitmap;
        Assert.True(heat.Width == frequencies.Length && heat.Height == deltas.Length,
            $"heat-map {heat.Width}x{heat.Height}, the runs have {frequencies.Length} frequencies x {deltas.Length} perturbation norms");
        var normalized = runs.Select(r => db.RequireArray(r.Id, PerturbationRobustnessContract.NormalizedAmplitude)).ToList();
        AssertHeatmapFollows(heat, deltas.Length, frequencies.Length, (d, j) => normalized.Average(a => a[d, j]), "(a)");
        foreach (var k in frequencies)
            Assert.True(svg.Panels[1].Texts.Any(t => t.StartsWith($"k = {Inv(k, "G4")} (fit ")), $"(b) has no legend entry for k = {k}");
        Assert.True(svg.Panels[1].SeriesColors.Count >= frequencies.Length, $"(b): {svg.Panels[1].SeriesColors.Count} line colours for {frequencies.Length} frequencies");
    }

    [Fact]
    public void Spectrum_decay_names_every_network_shape_in_both_spectrum_panels()
    {
        using var db = suite.Open();
        var shapes = db.CompletedRuns(ReluSpectrumDecayContract.Experiment, Smoke).Select(r => r.Config<ReluSpectrumDecayConfig>().SingleShape()).Distinct().ToList();
        var svg = SvgFigure.Load(Figure(ReluSpectrumDecayContract.Experiment, "theorem1-spectrum-decay").SvgPath);
        Assert.Equal(3, svg.Panels.Count);
        foreach (var panel in svg.Panels.Take(2))
        {
            foreach (var (depth, width) in shapes)
                Assert.True(panel.Texts.Any(t => t.StartsWith($"depth {depth}, width {width}: p = ")), $"'{panel.Title}' does not name depth {depth}, width {width}");
            Assert.True(panel.SeriesColors.Count >= shapes.Count, $"'{panel.Title}': {panel.SeriesColors.Count} curve colours for {shapes.Count} networks");
        }
        foreach (var label in new[] { "initialisation", "trained", "without endpoint correction" }) Assert.Contains(label, svg.Panels[2].Texts);
    }

    [Fact]
    public void Manifold_figures_have_a_heatmap_per_petal_count_and_a_line_per_classification_run()
    {
        using var db = suite.Open();
        var points = db.CompletedRuns(ManifoldSpectralBiasContract.Experiment, Smoke).Select(r => (Run: r, Point: r.Config<ManifoldSpectralBiasConfig>().SinglePoint())).ToList();
        var petals = points.Where(p => p.Point.Task == ManifoldSpectralBiasConfig.Regression).Select(p => p.Point.Petals).Distinct().Order().ToList();
        var svg = SvgFigure.Load(Figure(ManifoldSpectralBiasContract.Experiment, "manifold-spectral-dynamics").SvgPath);
        Assert.Equal(petals.Count + 2, svg.Panels.Count); // the curves, one heat-map per L, the high-frequency measure
        for (int i = 0; i < petals.Count; i++)
        {
            Assert.Contains($"L = {petals[i]} (", svg.Panels[1 + i].Title);
            Assert.Contains($"L = {petals[i]}", svg.Panels[0].Texts);
            Assert.Contains($"L = {petals[i]}", svg.Panels[^1].Texts);
        }
        Assert.True(svg.Panels[0].SeriesColors.Count >= petals.Count && svg.Panels[^1].SeriesColors.Count >= petals.Count,
            $"{svg.Panels[0].SeriesColors.Count} curve and {svg.Panels[^1].SeriesColors.Count} line colours for {petals.Count} L");

        var classification = points.Where(p => p.Point.Task == ManifoldSpectralBiasConfig.Classification).Select(p => p.Run).OrderBy(r => r.Id).ToList();
        svg = SvgFigure.Load(Figure(ManifoldSpectralBiasContract.Experiment, "manifold-classification").SvgPath);
        Assert.Equal(2, svg.Panels.Count);
        Assert.Contains($"L = {classification[0].Config<ManifoldSpectralBiasConfig>().SinglePoint().Petals}", svg.Panels[0].Title);
        var grid = db.RequireArray(classification[0].Id, ManifoldSpectralBiasContract.DecisionLogits);
        var decision = svg.Panels[0].Images.First().Bitmap;
        Assert.True(decision.Width == grid.Columns && decision.Height == grid.Rows, $"decision region {decision.Width}x{decision.Height}, recorded {grid.Columns}x{grid.Rows}");
        foreach (var r in classification) Assert.Contains($"run {r.Id}", svg.Panels[1].Texts);
    }

    // ---- Tancik et al.: NTK ---------------------------------------------------------------------------------------

    [Fact]
    public void Ntk_kernels_has_the_two_kernels_and_a_line_per_recorded_power()
    {
        using var db = suite.Open();
        var run = db.CompletedRuns(NtkKernelsContract.Experiment, Smoke).Single();
        var powers = db.RequireArray(run.Id, NtkKernelsContract.Powers).Data;
        int h = db.RequireArray(run.Id, NtkKernelsContract.HeatmapV).Data.Length;
        var svg = SvgFigure.Load(Figure(NtkKernelsContract.Experiment, "fig2-ntk-kernels").SvgPath);
        Assert.Equal(4, svg.Panels.Count);
        foreach (var panel in svg.Panels.Take(2))
        {
            var bitmap = panel.Images.First().Bitmap;
            Assert.True(bitmap.Width == h && bitmap.Height == h, $"'{panel.Title}': kernel {bitmap.Width}x{bitmap.Height}, recorded {h}x{h}");
        }
        foreach (var panel in svg.Panels.Skip(2))
        {
            foreach (var p in powers)
                Assert.Contains(double.IsPositiveInfinity(p) ? "p = ∞" : $"p = {Inv(p, "R")}", panel.Texts);
            Assert.True(panel.SeriesColors.Count >= powers.Length, $"'{panel.Title}': {panel.SeriesColors.Count} line colours for {powers.Length} powers");
        }
    }

    static string NtkLabel(string mapping) =>
        mapping == PowerMappingNames.None ? "No mapping" : mapping == PowerMappingNames.Infinity ? "p = ∞" : mapping.Replace("=", " = ");

    [Fact]
    public void Ntk_convergence_names_the_papers_mappings_and_the_supplement_every_recorded_mapping()
    {
        using var db = suite.Open();
        var mappings = db.CompletedRuns(NtkConvergenceContract.Experiment, Smoke).Select(r => r.Config<NtkConvergenceConfig>().SingleMapping()).Distinct().ToList();
        string[] paper = [PowerMappingNames.None, "p=0", "p=1", PowerMappingNames.Infinity];
        var shown = paper.Where(mappings.Contains).ToList();
        Assert.True(shown.Count >= 2, $"the tiny suite records {string.Join(", ", mappings)}");

        var svg = SvgFigure.Load(Figure(NtkConvergenceContract.Experiment, "fig3-ntk-convergence").SvgPath);
        Assert.Equal(4, svg.Panels.Count);
        foreach (var panel in svg.Panels)
        {
            foreach (var m in shown) Assert.Contains(NtkLabel(m), panel.Texts);
            foreach (var m in mappings.Except(shown)) Assert.DoesNotContain(NtkLabel(m), panel.Texts);
            Assert.True(panel.SeriesColors.Count >= shown.Count, $"'{panel.Title}': {panel.SeriesColors.Count} line colours for {shown.Count} mappings");
        }
        Assert.Contains("Target", svg.Panels[0].Texts);
        Assert.Contains("theory (dashed)", svg.Panels[1].Texts);

        svg = SvgFigure.Load(Figure(NtkConvergenceContract.Experiment, "fig3-all-mappings").SvgPath);
        Assert.Equal(2, svg.Panels.Count);
        foreach (var panel in svg.Panels)
        {
            foreach (var m in mappings) Assert.Contains(NtkLabel(m), panel.Texts);
            Assert.True(panel.SeriesColors.Count >= mappings.Count, $"'{panel.Title}': {panel.SeriesColors.Count} line colours for {mappings.Count} mappings");
            // Observed and theory per mapping: at least two drawn lines each.
            Assert.True(panel.DataGroups >= 2 * mappings.Count, $"'{panel.Title}': {panel.DataGroups} drawn series for {mappings.Count} mappings x (observed, theory)");
        }
    }

    [Fact]
    public void Sampling_width_has_a_panel_per_alpha_naming_every_distribution()
    {
        using var db = suite.Open();
        var runs = db.CompletedRuns(SamplingWidthContract.Experiment, Smoke);
        var alphas = runs.Select(r => r.Config<SamplingWidthConfig>().SingleAlpha()).Distinct().Order().ToList();
        var distributions = runs[0].Config<SamplingWidthConfig>().Distributions;
        foreach (var id in new[] { "fig4-sampling-width", "fig13-sampling-width-train" })
        {
            var svg = SvgFigure.Load(Figure(SamplingWidthContract.Experiment, id).SvgPath);
            Assert.Equal(alphas.Count, svg.Panels.Count);
            for (int i = 0; i < alphas.Count; i++)
            {
                Assert.EndsWith($"1/f^{Inv(alphas[i], "G")}", svg.Panels[i].Title);
                foreach (var d in distributions) Assert.Contains(d, svg.Panels[i].Texts);
            }
            if (id.StartsWith("fig13")) foreach (var p in svg.Panels) { Assert.Contains("train", p.Texts); Assert.Contains("test", p.Texts); }
            else foreach (var p in svg.Panels) Assert.Contains("Dense", p.Texts);
        }
    }

    // ---- Tancik et al.: images ------------------------------------------------------------------------------------

    sealed record ImageRunRow(long Id, int Seed, string Dataset, string Mapping, string Image);

    static List<ImageRunRow> ImageRuns(ResultsDbContext db) =>
        db.CompletedRuns(ImageRegressionContract.Experiment, Smoke).Select(r =>
        {
            var c = r.Config<ImageRegressionConfig>();
            return new ImageRunRow(r.Id, r.Seed, c.SingleDataset(), c.SingleMapping(), c.SingleImageName());
        }).ToList();

    static readonly string[] ImageMappings = [ImageRegressionConfig.None, ImageRegressionConfig.Basic, ImageRegressionConfig.PosEnc, ImageRegressionConfig.Gaussian];
    static readonly string[] MappingTitles = ["No mapping", "Basic", "Positional enc.", "Gaussian"];

    [Fact]
    public void Image_regression_fig1_shows_each_datasets_first_image_and_its_four_reconstructions()
    {
        using var db = suite.Open();
        var runs = ImageRuns(db);
        var datasets = new[] { ImageRegressionConfig.Natural, ImageRegressionConfig.Text }.Where(d => runs.Any(r => r.Dataset == d)).ToList();
        var figure = Figure(ImageRegressionContract.Experiment, "image-regression-fig1");
        var svg = SvgFigure.Load(figure.SvgPath);
        Assert.Equal(datasets.Count * (1 + ImageMappings.Length), svg.Panels.Count);
        using var png = SKBitmap.Decode(figure.PngPath);
        var targets = new List<double[]>();
        for (int d = 0; d < datasets.Count; d++)
        {
            var first = runs.Where(r => r.Dataset == datasets[d]).OrderBy(r => r.Seed).ThenBy(r => r.Id).First();
            var row = svg.Panels.Skip(d * 5).Take(5).ToList();
            Assert.Contains(first.Image, row[0].Title);
            var target = db.RequireArray(first.Id, ImageFitContract.Target);
            targets.Add(target.Data);
            AssertShowsImage(row[0], target, $"{datasets[d]} ground truth (run {first.Id})");
            double own = Pearson(Luminances(target.Data), PanelLuminances(png, row[0], (int)target.Shape[0]));
            Assert.True(own > 0.95, $"{datasets[d]} ground truth in the PNG against run {first.Id}'s target: Pearson {own:F3}, expected > 0.95");
            for (int m = 0; m < ImageMappings.Length; m++)
            {
                var run = runs.Single(r => r.Dataset == datasets[d] && r.Mapping == ImageMappings[m] && r.Image == first.Image && r.Seed == first.Seed);
                var panel = row[1 + m];
                double psnr = db.MetricSeries(run.Id, ImageFitContract.TestPsnr).Values[^1];
                Assert.True(panel.Title.StartsWith(MappingTitles[m]) && panel.Title.EndsWith($": {Inv(psnr, "F1")} dB"),
                    $"panel '{panel.Title}' should be {MappingTitles[m]} with run {run.Id}'s final test PSNR {psnr:F1} dB");
                AssertShowsImage(panel, db.RequireArray(run.Id, ImageFitContract.Prediction), $"{datasets[d]}/{ImageMappings[m]} prediction (run {run.Id})");
                Assert.Contains(run.Id, figure.RunIds);
            }
        }
        // Against the other dataset's image the ground-truth panel correlates clearly less.
        if (datasets.Count == 2)
            for (int d = 0; d < 2; d++)
            {
                var row0 = svg.Panels[d * 5];
                int size = (int)Math.Round(Math.Sqrt(targets[d].Length / 3.0));
                double own = Pearson(Luminances(targets[d]), PanelLuminances(png, row0, size));
                double other = Pearson(Luminances(targets[1 - d]), PanelLuminances(png, row0, size));
                Assert.True(other < own - 0.2, $"{datasets[d]} ground truth: Pearson {own:F3} with its own target, {other:F3} with the other dataset's (expected at least 0.2 lower)");
            }
    }

    [Fact]
    public void Image_regression_psnr_has_a_panel_per_dataset_naming_the_four_mappings()
    {
        using var db = suite.Open();
        var runs = ImageRuns(db);
        var datasets = new[] { ImageRegressionConfig.Natural, ImageRegressionConfig.Text }.Where(d => runs.Any(r => r.Dataset == d)).ToList();
        var figure = Figure(ImageRegressionContract.Experiment, "image-regression-psnr");
        Assert.Equal(runs.Select(r => r.Id).Order(), figure.RunIds.Order());
        var svg = SvgFigure.Load(figure.SvgPath);
        Assert.Equal(datasets.Count, svg.Panels.Count);
        string[] titles = ["Natural images", "Text images"];
        for (int d = 0; d < datasets.Count; d++)
        {
            var panel = svg.Panels[d];
            int images = runs.Where(r => r.Dataset == datasets[d]).Select(r => r.Image).Distinct().Count();
            Assert.Equal($"{titles[datasets[d] == ImageRegressionConfig.Natural ? 0 : 1]} ({images} images)", panel.Title);
            foreach (var t in MappingTitles) Assert.True(panel.Texts.Any(x => x.StartsWith(t)), $"'{panel.Title}' has no legend entry for {t}");
            int mappings = runs.Where(r => r.Dataset == datasets[d]).Select(r => r.Mapping).Distinct().Count();
            Assert.True(panel.SeriesColors.Count >= mappings, $"'{panel.Title}': {panel.SeriesColors.Count} line colours for {mappings} mappings");
            Assert.True(panel.DataGroups >= 2 * mappings, $"'{panel.Title}': {panel.DataGroups} drawn series for {mappings} mappings x (test, train)");
        }
    }

    sealed record SweepRun(long Id, int Seed, double Log2Sigma, double Train, double Test, double Full);

    static List<SweepRun> SweepRuns(ResultsDbContext db) =>
        db.CompletedRuns(ScaleSweepContract.Experiment, Smoke).Select(r => new SweepRun(r.Id, r.Seed, r.Config<ScaleSweepConfig>().SingleLog2Sigma(),
            db.MetricSeries(r.Id, ImageFitContract.TrainPsnr).Values[^1], db.MetricSeries(r.Id, ImageFitContract.TestPsnr).Values[^1],
            db.MetricSeries(r.Id, ImageFitContract.FullPsnr).Values[^1])).ToList();

    [Fact]
    public void Scale_sweep_psnr_has_train_test_and_full_lines_with_a_point_per_sigma()
    {
        using var db = suite.Open();
        var sigmas = SweepRuns(db).Select(r => r.Log2Sigma).Distinct().Order().ToList();
        var svg = SvgFigure.Load(Figure(ScaleSweepContract.Experiment, "scale-sweep-psnr").SvgPath);
        var panel = Assert.Single(svg.Panels);
        foreach (var label in new[] { "Train (even/even pixels)", "Test (odd/odd pixels)", "Full image" }) Assert.Contains(label, panel.Texts);
        // Train green, test red, full image grey (not counted as a colour), each its own drawn series.
        Assert.True(panel.SeriesColors.Count >= 2 && panel.DataGroups >= 3, $"{panel.SeriesColors.Count} line colours and {panel.DataGroups} drawn series for train, test, full");
        foreach (var s in sigmas) Assert.Contains($"2^{Inv(Math.Round(s), "0")}", panel.Texts);
        // The solid lines (train, test) pass through one vertex per σ.
        var vertices = panel.StrokedPathVertexCounts;
        Assert.True(vertices.Count(v => v == sigmas.Count) >= 2, $"solid lines' vertex counts [{string.Join(", ", vertices)}]: expected two with {sigmas.Count} (one per σ)");

        var kernel = Assert.Single(SvgFigure.Load(Figure(ScaleSweepContract.Experiment, "scale-sweep-kernel").SvgPath).Panels);
        int expected = Math.Min(5, sigmas.Count);
        Assert.True(kernel.SeriesColors.Count >= expected, $"kernel slices: {kernel.SeriesColors.Count} line colours for {expected} σ");
    }

    [Fact]
    public void Scale_sweep_outputs_show_the_target_and_the_smallest_best_and_largest_sigma()
    {
        using var db = suite.Open();
        var runs = SweepRuns(db);
        var sigmas = runs.GroupBy(r => r.Log2Sigma).OrderBy(g => g.Key).ToList();
        int best = Enumerable.Range(0, sigmas.Count).MaxBy(i => sigmas[i].Average(r => r.Test));
        var show = new[] { 0, best, sigmas.Count - 1 }.Distinct().ToList();
        var figure = Figure(ScaleSweepContract.Experiment, "scale-sweep-outputs");
        var svg = SvgFigure.Load(figure.SvgPath);
        Assert.Equal(1 + show.Count, svg.Panels.Count);
        var first = sigmas[0].OrderBy(r => r.Seed).First();
        var target = db.RequireArray(first.Id, ImageFitContract.Target);
        AssertShowsImage(svg.Panels[0], target, $"ground truth (run {first.Id})");
        using var png = SKBitmap.Decode(figure.PngPath);
        int size = (int)target.Shape[0];
        double own = Pearson(Luminances(target.Data), PanelLuminances(png, svg.Panels[0], size));
        Assert.True(own > 0.95, $"ground truth in the PNG against run {first.Id}'s target: Pearson {own:F3}, expected > 0.95");
        for (int j = 0; j < show.Count; j++)
        {
            var run = sigmas[show[j]].OrderBy(r => r.Seed).First();
            var panel = svg.Panels[1 + j];
            Assert.True(panel.Title.StartsWith($"σ = 2^{Inv(run.Log2Sigma, "0.##")} ") && panel.Title.EndsWith($"test {Inv(run.Test, "F1")} dB"),
                $"panel '{panel.Title}' should show σ = 2^{run.Log2Sigma} and run {run.Id}'s test PSNR {run.Test:F1} dB");
            AssertShowsImage(panel, db.RequireArray(run.Id, ImageFitContract.Prediction), $"prediction at σ = 2^{run.Log2Sigma} (run {run.Id})");
        }
        Assert.Contains("(best test)", svg.Panels[1 + show.IndexOf(best)].Title);
    }

    // ---- Tancik et al.: 1D regression -----------------------------------------------------------------------------

    static List<string> Regression1DLabels(ResultsDbContext db)
    {
        string[] order = [Regression1DConfig.None, Regression1DConfig.Basic, Regression1DConfig.PosEnc, Regression1DConfig.Gaussian];
        return db.CompletedRuns(Regression1DContract.Experiment, Smoke).Select(r => r.Config<Regression1DConfig>())
            .Select(c => (Mapping: c.SingleMapping(), Sigma: c.SingleSigma())).Distinct()
            .OrderBy(m => Array.IndexOf(order, m.Mapping)).ThenBy(m => m.Sigma)
            .Select(m => m.Mapping == Regression1DConfig.Gaussian ? $"{m.Mapping} σ={Inv(m.Sigma, "G4")}" : m.Mapping).ToList();
    }

    [Fact]
    public void Regression_1d_fits_have_a_panel_per_mapping_and_the_errors_name_every_mapping()
    {
        using var db = suite.Open();
        var labels = Regression1DLabels(db);
        Assert.True(labels.Count >= 4, $"the tiny suite records {string.Join(", ", labels)}");
        var fits = SvgFigure.Load(Figure(Regression1DContract.Experiment, "regression-1d-fits").SvgPath);
        Assert.Equal(labels.Count, fits.Panels.Count);
        for (int i = 0; i < labels.Count; i++) Assert.StartsWith($"{labels[i]}: test MSE ", fits.Panels[i].Title);
        Assert.All(fits.Panels, p => Assert.True(p.SeriesColors.Count >= 1, $"'{p.Title}' draws no network"));
        Assert.Equal(labels.Count, fits.Panels.Select(p => p.SeriesColors.Single()).Distinct().Count()); // each mapping its own colour

        var errors = SvgFigure.Load(Figure(Regression1DContract.Experiment, "regression-1d-errors").SvgPath);
        Assert.Equal(2, errors.Panels.Count);
        foreach (var l in labels) Assert.Contains(l, errors.Panels[0].Texts);
        Assert.True(errors.Panels[0].SeriesColors.Count >= labels.Count, $"test MSE curves: {errors.Panels[0].SeriesColors.Count} colours for {labels.Count} mappings");
        // The right panel's ticks name the mappings in order (Gaussian ones as "gauss" and σ on two lines: two texts).
        var ticks = errors.Panels[1].Texts;
        var named = labels.Select(l => l.StartsWith(Regression1DConfig.Gaussian + " ")
            ? Enumerable.Range(0, ticks.Count - 1).FirstOrDefault(i => ticks[i] == "gauss" && ticks[i + 1] == l[(Regression1DConfig.Gaussian.Length + 1)..], -1)
            : ticks.IndexOf(l)).ToList();
        Assert.True(named.All(i => i >= 0) && named.SequenceEqual(named.Order()), $"tick labels [{string.Join(" | ", ticks)}] should name {string.Join(", ", labels)} in order");
        foreach (var label in new[] { "test (odd samples)", "train (even samples)" }) Assert.Contains(label, errors.Panels[1].Texts);
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    // A heat-map drawn by Plots.Heatmap over [0, 1] (Viridis, monotonic in luminance; row 0 at the bottom): its brightness
    // follows the values it should show, or is flat where they are.
    static void AssertHeatmapFollows(SKBitmap heat, int rows, int cols, Func<int, int, double> value, string what)
    {
        var values = new List<double>();
        var lum = new List<double>();
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                values.Add(Math.Clamp(value(r, c), 0, 1));
                lum.Add(Luminance(heat.GetPixel(c, rows - 1 - r)));
            }
        // Measured on the tiny suite: 0.98-0.999 where the values spread over 0.04 or more (8-bit colours); the perturbation
        // heat-map with its frequencies reversed gives 0.87.
        if (Spread(values) > 0.04)
        {
            double p = Pearson(values, lum);
            Assert.True(p > 0.95, $"{what}: heat-map luminance against the recorded values: Pearson {p:F3}, expected > 0.95");
        }
        else Assert.True(Spread(lum) < 0.1, $"{what}: the recorded values are flat (spread {Spread(values):F3}), the heat-map's luminance spreads {Spread(lum):F3} (tolerance 0.1)");
    }

    // The panel's embedded bitmap is the recorded [S, S, 3] image, to the byte (ImagePanels rounds to 8 bits).
    static void AssertShowsImage(SvgPanel panel, NdArray image, string what)
    {
        int size = (int)image.Shape[0];
        var bitmap = Assert.Single(panel.Images).Bitmap;
        Assert.True(bitmap.Width == size && bitmap.Height == size, $"{what}: the panel's image is {bitmap.Width}x{bitmap.Height}, the array {size}x{size}");
        const double tolerance = 1.0 / 255 + 1e-9;
        double worst = 0;
        for (int r = 0; r < size; r++)
            for (int c = 0; c < size; c++)
            {
                var px = bitmap.GetPixel(c, r);
                int i = (r * size + c) * 3;
                worst = Math.Max(worst, Math.Max(Math.Abs(px.Red / 255.0 - Math.Clamp(image.Data[i], 0, 1)),
                    Math.Max(Math.Abs(px.Green / 255.0 - Math.Clamp(image.Data[i + 1], 0, 1)), Math.Abs(px.Blue / 255.0 - Math.Clamp(image.Data[i + 2], 0, 1)))));
            }
        Assert.True(worst <= tolerance, $"{what}: largest channel difference between the panel's image and the array {worst:G3}, tolerance {tolerance:G3}");
    }

    // The luminance of the PNG at the centre of each image pixel, found from where the SVG places the image.
    static List<double> PanelLuminances(SKBitmap png, SvgPanel panel, int size)
    {
        var (scaleX, scaleY, tx, ty) = panel.Images.Single().Placement;
        var values = new List<double>();
        for (int r = 0; r < size; r++)
            for (int c = 0; c < size; c++)
                values.Add(Luminance(png.GetPixel((int)(panel.X + tx + (c + 0.5) * scaleX), (int)(panel.Y + ty + (r + 0.5) * scaleY))));
        return values;
    }

    static List<double> Luminances(double[] rgb) =>
        Enumerable.Range(0, rgb.Length / 3).Select(i => 0.2126 * rgb[3 * i] + 0.7152 * rgb[3 * i + 1] + 0.0722 * rgb[3 * i + 2]).ToList();

    static double Luminance(SKColor c) => (0.2126 * c.Red + 0.7152 * c.Green + 0.0722 * c.Blue) / 255;

    static double Spread(List<double> v) => v.Max() - v.Min();

    static double Pearson(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Count; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb); }
        return saa == 0 || sbb == 0 ? 0 : sab / Math.Sqrt(saa * sbb);
    }
}

// A figure's SVG as FigureWriter writes it: one nested <svg x= y=> per panel (ScottPlot's own SVG of that panel).
sealed record SvgFigure(int Width, int Height, List<SvgPanel> Panels)
{
    static readonly XNamespace S = "http://www.w3.org/2000/svg";

    public static SvgFigure Load(string path)
    {
        var root = XDocument.Load(path).Root!;
        var panels = root.Elements(S + "svg").Select(e => new SvgPanel(Int(e, "x"), Int(e, "y"), Int(e, "width"), Int(e, "height"), e)).ToList();
        return new SvgFigure(Int(root, "width"), Int(root, "height"), panels);
    }

    static int Int(XElement e, string name) => (int)double.Parse((string?)e.Attribute(name) ?? "0", CultureInfo.InvariantCulture);
}

sealed record SvgPanel(int X, int Y, int Width, int Height, XElement Element)
{
    static readonly XNamespace S = "http://www.w3.org/2000/svg", XLink = "http://www.w3.org/1999/xlink";

    // Every text drawn in the panel (titles, axis and tick labels, legend entries), trimmed.
    public List<string> Texts => Element.Descendants(S + "text").Select(t => t.Value.Trim()).ToList();

    // The panel title (Plots.NewPlot: bold, size 15).
    public string Title => Element.Descendants(S + "text").Where(t => (string?)t.Attribute("font-size") == "15").Select(t => t.Value.Trim()).SingleOrDefault() ?? "";

    // What ScottPlot draws in the data area: each plottable in its own clip-path group. The legend's group holds text.
    IEnumerable<XElement> Data => Element.Descendants(S + "g").Where(g => g.Attribute("clip-path") is not null && !g.Descendants(S + "text").Any());

    public int DataGroups => Data.Count(g => g.Descendants(S + "path").Any());

    // The distinct colours of the drawn data (stroke of a line, fill of a dashed line's dashes or a marker), greys left out.
    public HashSet<string> SeriesColors => Data.Descendants(S + "path")
        .Select(p => (string?)p.Attribute("fill") is null or "none" ? (string?)p.Attribute("stroke") : (string?)p.Attribute("fill"))
        .Where(c => c is not null && IsColour(c)).Select(c => c!.ToUpperInvariant()).ToHashSet();

    // Vertices of each solid line (a stroked path: "M x y L x y …").
    public List<int> StrokedPathVertexCounts => Data.Descendants(S + "path")
        .Where(p => (string?)p.Attribute("fill") == "none" && p.Attribute("stroke") is not null)
        .Select(p => Regex.Matches((string?)p.Attribute("d") ?? "", "[ML]").Count).ToList();

    static bool IsColour(string c)
    {
        if (!c.StartsWith('#')) return c is not ("none" or "black" or "white" or "gray" or "grey" or "silver" or "dimgray" or "darkgray" or "lightgray");
        if (c.Length != 7) return false;
        int r = Convert.ToInt32(c[1..3], 16), g = Convert.ToInt32(c[3..5], 16), b = Convert.ToInt32(c[5..7], 16);
        return !(r == g && g == b);
    }

    // The images the panel draws (heat-maps, colour bars, image panels), decoded, with where <use> places them.
    public List<SvgImage> Images
    {
        get
        {
            var uses = Element.Descendants(S + "use").ToDictionary(u => ((string?)u.Attribute(XLink + "href") ?? "").TrimStart('#'), u => (string?)u.Attribute("transform") ?? "");
            return Element.Descendants(S + "image").Select(i =>
            {
                var href = (string?)i.Attribute(XLink + "href") ?? "";
                var bitmap = SKBitmap.Decode(Convert.FromBase64String(href[(href.IndexOf(',') + 1)..]))
                             ?? throw new Xunit.Sdk.XunitException("an embedded image does not decode");
                var m = Regex.Match(uses.GetValueOrDefault((string?)i.Attribute("id") ?? "", ""), @"matrix\(([^ ]+) [^ ]+ [^ ]+ ([^ ]+) ([^ ]+) ([^ )]+)\)");
                var placement = m.Success
                    ? (double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
                       double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture))
                    : (double.NaN, double.NaN, double.NaN, double.NaN);
                return new SvgImage(bitmap, placement);
            }).ToList();
        }
    }
}

sealed record SvgImage(SKBitmap Bitmap, (double ScaleX, double ScaleY, double X, double Y) Placement);
