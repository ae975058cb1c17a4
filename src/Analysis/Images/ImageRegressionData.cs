using static FourierRepro.Contracts.ImageRegressionConfig;

namespace FourierRepro.Analysis.Images;

public static class ImageRegressionData
{
    public const string Experiment = ImageRegressionContract.Experiment;
    public static readonly string[] Mappings = [None, Basic, PosEnc, Gaussian]; // the paper's order, worst to best
    public static readonly string[] Datasets = [Natural, Text];

    // Tancik et al. Table 1, 2D image regression, test PSNR mean ± std (the notebook's printed output; PAPERS.md G).
    public static readonly Dictionary<(string Dataset, string Mapping), (double Mean, double Std)> Paper = new()
    {
        [(Natural, None)] = (19.323, 2.481), [(Text, None)] = (18.397, 2.340),
        [(Natural, Basic)] = (21.716, 2.717), [(Text, Basic)] = (20.478, 1.961),
        [(Natural, PosEnc)] = (24.947, 3.719), [(Text, PosEnc)] = (27.567, 3.073),
        [(Natural, Gaussian)] = (25.568, 4.186), [(Text, Gaussian)] = (30.470, 2.108),
    };

    public sealed record Data(List<ImageRun> Runs, ImageRegressionConfig Config)
    {
        public IEnumerable<ImageRun> Of(string dataset, string mapping) => Runs.Where(r => r.Dataset == dataset && r.Mapping == mapping);

        // Test PSNR per image (mean over seeds) for a dataset and mapping.
        public Dictionary<string, double> PerImage(string dataset, string mapping, Func<ImageRun, double> value) =>
            Of(dataset, mapping).GroupBy(r => r.Image).ToDictionary(g => g.Key, g => g.Average(value));

        public IEnumerable<string> DatasetsPresent => Datasets.Where(d => Runs.Any(r => r.Dataset == d));
    }

    // Loaded once per report (and seed filter): every claim, figure and table gets the same objects.
    public static Data? Load(AnalysisContext context) => context.Cached(Experiment, Read);

    static Data? Read(AnalysisContext context)
    {
        // A photograph of one's own has its digest in the configuration: a grid key like the image itself, so that its
        // runs belong to the plan that named it. Run again after the file changed, one image holds runs of both contents
        // (same path, same seed): the newest stands for it, as the file now is.
        var runs = RunFamilies.Largest(context.CompletedRuns(Experiment), nameof(ImageRegressionConfig.Datasets), nameof(ImageRegressionConfig.Mappings),
                nameof(ImageRegressionConfig.NaturalImages), nameof(ImageRegressionConfig.TextImages), nameof(ImageRegressionConfig.NaturalImageSha256))
            .GroupBy(r => (Image: GridPoint(r.Config<ImageRegressionConfig>()), r.Seed)).Select(g => g.MaxBy(r => r.Id)!)
            .OrderBy(r => r.Id).ToList();
        if (runs.Count == 0) return null;
        var loaded = runs.Select(r =>
        {
            var c = r.Config<ImageRegressionConfig>();
            return ImageRunData.Load(context.Db, r, c.SingleDataset(), c.SingleMapping(), c.SingleImageName());
        }).ToList();
        return new Data(loaded, runs[^1].Config<ImageRegressionConfig>());
    }

    static string GridPoint(ImageRegressionConfig c) =>
        $"{c.SingleDataset()}/{c.SingleMapping()}/{(c.SingleDataset() == Natural ? c.SingleNaturalImage() : TextImageName(c.SingleTextImage()))}";
}
