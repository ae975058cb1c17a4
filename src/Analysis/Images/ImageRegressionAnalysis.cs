using System.Globalization;
using FourierRepro.Analysis.Plotting;
using ScottPlot;

namespace FourierRepro.Analysis.Images;

// Tancik et al. 2020, Table 1 (2D image regression) and Fig. 1: reconstructions, PSNR curves, our numbers beside the
// paper's, and the claims they support.
public sealed class ImageRegressionAnalysis : IAnalysisModule
{
    static readonly Dictionary<string, string> DatasetTitles = new() { ["natural"] = "Natural", ["text"] = "Text" };

    public string Experiment => ImageRegressionData.Experiment;
    public string Title => "Image regression (Tancik et al. 2020, Table 1 and Fig. 1)";

    public IReadOnlyList<Claim> Claims { get; } = ImageRegressionClaims.All(ImageRegressionData.Experiment);

    static string MappingTitle(string mapping, System.Text.Json.JsonElement config, string dataset)
    {
        string Get(string natural, string text) => config.GetProperty(dataset == "natural" ? natural : text).GetDouble().ToString("G3", CultureInfo.InvariantCulture);
        return mapping switch
        {
            "none" => "No mapping",
            "basic" => "Basic",
            "posenc" => $"Positional enc. (s={Get("PosEncScaleNatural", "PosEncScaleText")})",
            "gaussian" => $"Gaussian (σ={Get("SigmaNatural", "SigmaText")})",
            _ => mapping,
        };
    }

    public IEnumerable<FigureResult> DrawFigures(AnalysisContext context)
    {
        var data = ImageRegressionData.Load(context);
        if (data is null) yield break;
        var datasets = data.DatasetsPresent.ToList();
        int resolution = data.Config.GetProperty("Resolution").GetInt32();

        // Fig. 1: ground truth and the four reconstructions of the first image of each dataset (lowest seed).
        var panels = new List<Plot>();
        var used = new List<long>();
        foreach (var d in datasets)
        {
            var first = data.Runs.Where(r => r.Dataset == d).OrderBy(r => r.Seed).ThenBy(r => r.RunId).First();
            var target = ImageRunData.ReadImage(context.Db, first.RunId, "target");
            panels.Add(ImagePanels.Image($"{DatasetTitles[d]}: {first.Image} ({resolution}²)", target.Size, target.Rgb));
            foreach (var m in ImageRegressionData.Mappings)
            {
                var run = data.Of(d, m).Where(r => r.Image == first.Image && r.Seed == first.Seed).FirstOrDefault();
                if (run is null) { panels.Add(Plots.NewPlot($"{MappingTitle(m, data.Config, d)}: not run", "", "")); continue; }
                var p = ImageRunData.ReadImage(context.Db, run.RunId, "prediction");
                panels.Add(ImagePanels.Image($"{MappingTitle(m, data.Config, d)}: {run.FinalTest:F1} dB", p.Size, p.Rgb));
                used.Add(run.RunId);
            }
        }
        var (png, svg) = FigureWriter.Save(Path.Combine(context.OutDir, "image-regression-fig1"), panels, columns: 5, panelWidth: 420, panelHeight: 480);
        yield return new FigureResult("image-regression-fig1", "Reconstructions by mapping", "Tancik et al. Fig. 1 (and Table 1's 2D image rows)",
            $"Ground truth and the network's output on the full {resolution}x{resolution} image after training on the even/even pixels, per input mapping; " +
            "the title gives the test PSNR on the held-out odd/odd pixels. The paper's figure shows the same progression: blurry without a mapping, " +
            "sharp with Fourier features.", png, svg, used.ToArray());

        // PSNR over training, mean over the images: test solid, train dashed.
        var curves = datasets.Select(d =>
        {
            var plot = Plots.NewPlot($"{DatasetTitles[d]} images ({data.PerImage(d, "none", r => r.FinalTest).Count} images)", "Training iteration", "PSNR [dB]");
            for (int i = 0; i < ImageRegressionData.Mappings.Length; i++)
            {
                var runs = data.Of(d, ImageRegressionData.Mappings[i]).ToList();
                if (runs.Count == 0) continue;
                int n = runs.Min(r => r.Steps.Length);
                var xs = runs[0].Steps.Take(n).Select(s => (double)s).ToArray();
                var test = Enumerable.Range(0, n).Select(f => runs.Average(r => r.Test[f])).ToArray();
                var train = Enumerable.Range(0, n).Select(f => runs.Average(r => r.Train[f])).ToArray();
                var color = Plots.Palette[i];
                var t = plot.Add.ScatterLine(xs, test, color);
                t.LineWidth = 2;
                t.LegendText = MappingTitle(ImageRegressionData.Mappings[i], data.Config, d);
                var tr = plot.Add.ScatterLine(xs, train, color);
                tr.LinePattern = LinePattern.Dashed;
                if (i == 0) tr.LegendText = "(dashed: train PSNR)";
            }
            plot.ShowLegend(Alignment.UpperLeft);
            return plot;
        }).ToList();
        (png, svg) = FigureWriter.Save(Path.Combine(context.OutDir, "image-regression-psnr"), curves, columns: 2);
        yield return new FigureResult("image-regression-psnr", "PSNR over training", "Tancik et al. 2D notebook's PSNR curves (Table 1 settings)",
            "Test PSNR (odd/odd pixels, solid) and train PSNR (even/even pixels, dashed) over training, mean over the images of each dataset. " +
            "Fourier features fit the training pixels far better; only part of that carries over to the held-out pixels.",
            png, svg, data.Runs.Select(r => r.RunId).ToArray());
    }

    public IEnumerable<ReportBlock> ReportBlocks(AnalysisContext context)
    {
        var data = ImageRegressionData.Load(context);
        if (data is null) yield break;
        var c = data.Config;
        int resolution = c.GetProperty("Resolution").GetInt32(), iterations = c.GetProperty("Iterations").GetInt32();
        int natural = data.PerImage("natural", "none", r => r.FinalTest).Count, text = data.PerImage("text", "none", r => r.FinalTest).Count;
        yield return new ReportHeading(3, "Table 1 (2D image regression): ours beside the paper's");
        yield return new ReportParagraph(
            $"Ours: {natural} natural and {text} text images at {resolution}x{resolution}, trained on the even/even {resolution / 2}x{resolution / 2} pixels for {iterations} iterations; " +
            "test PSNR on the odd/odd pixels (the paper's Table 1 convention) and, separately, on the full image (training pixels included). " +
            "Paper: 16 DIV2K crops and 16 text images per dataset at 512x512, 2000 iterations (the notebook's printed output). " +
            "**The natural images are substitutes**: the paper's DIV2K crops cannot be obtained here, so these are public-domain/CC0 photographs " +
            "(data/natural/LICENSES.md), and the text images come from our own generator (random strings, fonts, sizes, colours, positions); " +
            "at smaller resolutions σ and the positional-encoding scale are scaled with the resolution (see the configuration). " +
            "Absolute PSNRs are therefore not comparable with the paper's; the order of the rows and the size of the gains are what is reproduced.");
        var rows = new List<string[]>();
        foreach (var m in ImageRegressionData.Mappings)
        {
            var row = new List<string> { MappingTitle(m, c, "natural").Split(" (")[0] };
            foreach (var d in ImageRegressionData.Datasets)
            {
                var test = data.PerImage(d, m, r => r.FinalTest).Values.ToList();
                var full = data.PerImage(d, m, r => r.FinalFull).Values.ToList();
                var paper = ImageRegressionData.Paper[(d, m)];
                row.Add(test.Count == 0 ? "-" : $"{Stats.Mean(test):F2} ± {Stats.Std(test):F2}");
                row.Add(full.Count == 0 ? "-" : $"{Stats.Mean(full):F2} ± {Stats.Std(full):F2}");
                row.Add($"{paper.Mean:F2} ± {paper.Std:F2}");
            }
            rows.Add(row.ToArray());
        }
        yield return new ReportTable(
            ["Mapping", "Natural (ours, test PSNR)", "Natural (ours, full-image PSNR)", "Natural (paper, DIV2K)",
             "Text (ours, test PSNR)", "Text (ours, full-image PSNR)", "Text (paper)"], rows);
        yield return new ReportParagraph("Mean ± sample std over images, in dB (PSNR = −10 log10 MSE, peak 1). " +
            $"σ: natural {c.GetProperty("SigmaNatural").GetDouble():G3}, text {c.GetProperty("SigmaText").GetDouble():G3} (paper at 512: 10, 14); " +
            $"positional encoding s: natural {c.GetProperty("PosEncScaleNatural").GetDouble():G3}, text {c.GetProperty("PosEncScaleText").GetDouble():G3} (paper: 6, 5).");
    }
}
