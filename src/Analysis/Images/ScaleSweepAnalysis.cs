using System.Globalization;
using FourierRepro.Analysis.Plotting;
using FourierRepro.Storage;
using ScottPlot;

namespace FourierRepro.Analysis.Images;

// The project page's σ sweep (Tancik et al. 2020): train/test PSNR against the Gaussian feature scale, the NTK
// slices, and the outputs at the two ends and at the best σ.
public sealed class ScaleSweepAnalysis : IAnalysisModule
{
    public const string ExperimentName = "scale-sweep";
    const double MinEndDrop = 2.0;      // dB below the best test PSNR at both ends (the video: ~7 dB at 2^-2, ~12 dB at 2^6)
    const double MinTrainRho = 0.9;     // Spearman(σ, train PSNR): with 5 σ one adjacent swap gives 0.9, so this allows at most one

    public string Experiment => ExperimentName;
    public string Title => "Fourier feature scale sweep (Tancik et al. 2020, project page)";

    public IReadOnlyList<Claim> Claims { get; } =
    [
        new("SS-1", ExperimentName,
            "Test PSNR is best at an intermediate σ: small σ underfits (too smooth), large σ overfits (project page sweep video).",
            "Final test PSNR (odd/odd pixels) per σ (one network per σ, as the video: 5 σ at smoke, 9 at standard, 33 at paper; mean over seeds if several). The measured value is the smaller of " +
            "(best − lowest-σ) and (best − highest-σ); it is ≤ 0 when the best σ is an end of the sweep.",
            $"best σ strictly inside the sweep and both ends >= {MinEndDrop} dB below it", Scales.All, Interior),
        new("SS-2", ExperimentName,
            "Train PSNR keeps rising with σ (the network fits the training pixels ever better).",
            "Spearman rank correlation between σ and the final train PSNR (even/even pixels, mean over seeds).",
            $"Spearman rho >= {MinTrainRho}", Scales.All, TrainRises),
        new("SS-3", ExperimentName,
            "The NTK narrows as σ grows: the scale of the Fourier features sets the kernel's width.",
            "Half width at half maximum (pixels) of the composed NTK slice (analytic, infinite-width 'ntk' parameterisation) per σ, from the run's own B; " +
            "the measured value is the largest ratio of consecutive half widths, hw(σ_{i+1}) / hw(σ_i).",
            "every ratio < 1 (strictly decreasing), every half width finite", Scales.All, KernelNarrows),
    ];

    sealed record Point(double Log2Sigma, List<ImageRun> Runs, double HalfWidth)
    {
        public double Train => Runs.Average(r => r.FinalTrain);
        public double Test => Runs.Average(r => r.FinalTest);
        public double Full => Runs.Average(r => r.FinalFull);
    }

    static List<Point> Load(AnalysisContext context, out List<RunRecord> records)
    {
        records = RunFamilies.Largest(context.CompletedRuns(ExperimentName), "Log2Sigmas");
        var db = context.Db;
        return records
            .Select(r => (Run: r, Log2: r.Config().GetProperty("Log2Sigmas")[0].GetDouble()))
            .GroupBy(x => x.Log2).OrderBy(g => g.Key)
            .Select(g => new Point(g.Key,
                g.Select(x => ImageRunData.Load(db, x.Run, "natural", "gaussian", x.Run.Config().GetProperty("Image").GetString()!, g.Key)).ToList(),
                g.Average(x => db.FinalMetric(x.Run.Id, "kernel_half_width"))))
            .ToList();
    }

    static ClaimResult? Interior(AnalysisContext context)
    {
        var points = Load(context, out var records);
        if (points.Count < 3) return null;
        int best = Enumerable.Range(0, points.Count).MaxBy(i => points[i].Test);
        double drop = Math.Min(points[best].Test - points[0].Test, points[best].Test - points[^1].Test);
        bool inside = best > 0 && best < points.Count - 1;
        return new ClaimResult(inside ? drop : Math.Min(drop, 0), inside && drop >= MinEndDrop,
            $"best test PSNR {points[best].Test:F2} dB at σ = 2^{points[best].Log2Sigma:0.##}; ends: {points[0].Test:F2} dB at 2^{points[0].Log2Sigma:0.##}, " +
            $"{points[^1].Test:F2} dB at 2^{points[^1].Log2Sigma:0.##}; test per σ: {Series(points, p => p.Test)}",
            records.Select(r => r.Id).ToArray());
    }

    static ClaimResult? TrainRises(AnalysisContext context)
    {
        var points = Load(context, out var records);
        if (points.Count < 3) return null;
        double rho = Stats.Spearman(points.Select(p => p.Log2Sigma).ToList(), points.Select(p => p.Train).ToList());
        return new ClaimResult(rho, rho >= MinTrainRho, $"train PSNR per σ: {Series(points, p => p.Train)}", records.Select(r => r.Id).ToArray());
    }

    static ClaimResult? KernelNarrows(AnalysisContext context)
    {
        var points = Load(context, out var records);
        if (points.Count < 2) return null;
        var ratios = Enumerable.Range(1, points.Count - 1).Select(i => points[i].HalfWidth / points[i - 1].HalfWidth).ToList();
        bool finite = points.All(p => double.IsFinite(p.HalfWidth));
        double worst = finite ? ratios.Max() : double.NaN;
        return new ClaimResult(worst, finite && worst < 1,
            $"half width [px] per σ: {Series(points, p => p.HalfWidth, "G3")}", records.Select(r => r.Id).ToArray());
    }

    static string Series(List<Point> points, Func<Point, double> f, string format = "F2") =>
        string.Join(", ", points.Select(p => $"2^{p.Log2Sigma.ToString("0.##", CultureInfo.InvariantCulture)}: {f(p).ToString(format, CultureInfo.InvariantCulture)}"));

    static void Log2Ticks(Plot plot, IEnumerable<double> log2Values)
    {
        var ticks = log2Values.Select(v => Math.Round(v)).Distinct().Order().ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks, ticks.Select(t => $"2^{t:0}").ToArray());
    }

    public IEnumerable<FigureResult> DrawFigures(AnalysisContext context)
    {
        var points = Load(context, out var records);
        if (points.Count == 0) yield break;
        var config = records[^1].Config();
        int resolution = config.GetProperty("Resolution").GetInt32();
        string image = config.GetProperty("Image").GetString()!;
        var runIds = records.Select(r => r.Id).ToArray();
        var xs = points.Select(p => p.Log2Sigma).ToArray();

        var plot = Plots.NewPlot($"{image}, {resolution}² ({points[0].Runs.Count} seed(s) per σ)", "Fourier feature scale σ", "PSNR [dB]");
        void Line(Func<Point, double> f, Color color, string label, bool dashed = false)
        {
            var line = plot.Add.ScatterLine(xs, points.Select(f).ToArray(), color);
            line.LineWidth = 2;
            line.MarkerSize = 7;
            line.LegendText = label;
            if (dashed) line.LinePattern = LinePattern.Dashed;
        }
        Line(p => p.Train, Colors.Green, "Train (even/even pixels)");
        Line(p => p.Test, Colors.Red, "Test (odd/odd pixels)");
        Line(p => p.Full, Colors.Gray, "Full image", dashed: true);
        Log2Ticks(plot, xs);
        plot.ShowLegend(Alignment.UpperLeft);
        var (png, svg) = FigureWriter.Save(Path.Combine(context.OutDir, "scale-sweep-psnr"), [plot]);
        double paperShift = Math.Log2(512.0 / resolution);
        yield return new FigureResult("scale-sweep-psnr", "Train and test PSNR against σ", "project page σ sweep video, middle panel (cf. Tancik et al. Fig. 10)",
            $"Final PSNR of a 4x256 MLP on Gaussian Fourier features of {image} ({resolution}x{resolution}, trained on the even/even pixels) for each σ. " +
            $"σ is in cycles per image width; at {resolution}² the sweep is the video's 2^-2..2^6 shifted by log2({resolution}/512) = {-paperShift:0.##}, " +
            "so that the kernel width in pixels matches. The video shows test PSNR peaking in the middle while train PSNR keeps rising.", png, svg, runIds);

        var kernel = Plots.NewPlot("Slice of the composed 2D NTK", "Pixel offset", "NTK / NTK(0)");
        var chosen = points.Count <= 5 ? points : Enumerable.Range(0, 5).Select(i => points[(int)Math.Round(i * (points.Count - 1) / 4.0)]).Distinct().ToList();
        for (int i = 0; i < chosen.Count; i++)
        {
            var run = chosen[i].Runs.OrderBy(r => r.Seed).First();
            var offsets = context.Db.RequireArray(run.RunId, "kernel_offsets").Data;
            var slice = context.Db.RequireArray(run.RunId, "kernel_slice").Data;
            var line = kernel.Add.ScatterLine(offsets, slice, Plots.Palette[i % Plots.Palette.Length]);
            line.LineWidth = 2;
            line.LegendText = $"σ = 2^{chosen[i].Log2Sigma:0.##} (half width {chosen[i].HalfWidth:G3} px)";
        }
        kernel.ShowLegend(Alignment.UpperRight);
        (png, svg) = FigureWriter.Save(Path.Combine(context.OutDir, "scale-sweep-kernel"), [kernel]);
        yield return new FigureResult("scale-sweep-kernel", "NTK slices", "project page σ sweep video, right panel",
            "The analytic infinite-width NTK (Jacot et al.'s 'ntk' parameterisation, W_std 1, b_std 0) of the same 4-layer ReLU MLP on the Gaussian-mapped " +
            "coordinates, along a horizontal line through the image centre, normalised to 1 at offset 0. Wide and smooth at small σ, a spike at large σ. " +
            "(The video's floor at large offsets is about 0.08; this kernel's is about 0.25 — the video's exact kernel settings are not published.)", png, svg, runIds);

        int best = Enumerable.Range(0, points.Count).MaxBy(i => points[i].Test);
        var show = new[] { 0, best, points.Count - 1 }.Distinct().ToList();
        var first = points[0].Runs.OrderBy(r => r.Seed).First();
        var target = ImageRunData.ReadImage(context.Db, first.RunId, "target");
        var panels = new List<Plot> { ImagePanels.Image($"Ground truth ({resolution}²)", target.Size, target.Rgb) };
        foreach (var i in show)
        {
            var run = points[i].Runs.OrderBy(r => r.Seed).First();
            var p = ImageRunData.ReadImage(context.Db, run.RunId, "prediction");
            string what = i == 0 ? "smallest" : i == points.Count - 1 ? "largest" : "best test";
            panels.Add(ImagePanels.Image($"σ = 2^{points[i].Log2Sigma:0.##} ({what}): test {run.FinalTest:F1} dB", p.Size, p.Rgb));
        }
        (png, svg) = FigureWriter.Save(Path.Combine(context.OutDir, "scale-sweep-outputs"), panels, columns: panels.Count, panelWidth: 420, panelHeight: 480);
        yield return new FigureResult("scale-sweep-outputs", "Outputs at the smallest, best and largest σ", "project page σ sweep video, left panel",
            "The trained network's output on the full image: blurry at the smallest σ (underfitting), sharpest at the best σ, noisy at the largest σ (overfitting: " +
            "it reproduces the training pixels and fills the others with high-frequency noise).", png, svg, runIds);
    }
}
