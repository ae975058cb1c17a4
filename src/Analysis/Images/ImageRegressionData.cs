using FourierRepro.Storage;

namespace FourierRepro.Analysis.Images;

public static class ImageRegressionData
{
    public const string Experiment = "image-regression";
    public static readonly string[] Mappings = ["none", "basic", "posenc", "gaussian"]; // the paper's order, worst to best
    public static readonly string[] Datasets = ["natural", "text"];

    // Tancik et al. Table 1, 2D image regression, test PSNR mean ± std (the notebook's printed output; PAPERS.md G).
    public static readonly Dictionary<(string Dataset, string Mapping), (double Mean, double Std)> Paper = new()
    {
        [("natural", "none")] = (19.323, 2.481), [("text", "none")] = (18.397, 2.340),
        [("natural", "basic")] = (21.716, 2.717), [("text", "basic")] = (20.478, 1.961),
        [("natural", "posenc")] = (24.947, 3.719), [("text", "posenc")] = (27.567, 3.073),
        [("natural", "gaussian")] = (25.568, 4.186), [("text", "gaussian")] = (30.470, 2.108),
    };

    public sealed record Data(List<ImageRun> Runs, System.Text.Json.JsonElement Config)
    {
        public IEnumerable<ImageRun> Of(string dataset, string mapping) => Runs.Where(r => r.Dataset == dataset && r.Mapping == mapping);

        // Test PSNR per image (mean over seeds) for a dataset and mapping.
        public Dictionary<string, double> PerImage(string dataset, string mapping, Func<ImageRun, double> value) =>
            Of(dataset, mapping).GroupBy(r => r.Image).ToDictionary(g => g.Key, g => g.Average(value));

        public IEnumerable<string> DatasetsPresent => Datasets.Where(d => Runs.Any(r => r.Dataset == d));
    }

    public static Data? Load(AnalysisContext context)
    {
        var runs = RunFamilies.Largest(context.CompletedRuns(Experiment), "Datasets", "Mappings", "NaturalImages", "TextImages");
        if (runs.Count == 0) return null;
        var loaded = runs.Select(r =>
        {
            var c = r.Config();
            string dataset = c.GetProperty("Datasets")[0].GetString()!, mapping = c.GetProperty("Mappings")[0].GetString()!;
            string image = dataset == "natural" ? c.GetProperty("NaturalImages")[0].GetString()! : $"text-{c.GetProperty("TextImages")[0].GetInt32()}";
            return ImageRunData.Load(context.Db, r, dataset, mapping, image);
        }).ToList();
        return new Data(loaded, runs[^1].Config());
    }
}
