using FourierRepro.Experiments.Core;

namespace FourierRepro.Experiments.Images;

// Tancik et al. 2020, Table 1 and Fig. 1: a 4×256 ReLU MLP regressing RGB from pixel coordinates learns a blurry
// image from raw coordinates and a sharp one through Fourier features (none < basic < positional encoding <
// Gaussian, in test PSNR). One run = one mapping on one image; the run's seed draws the Gaussian B (shared by every
// image, as in the notebook) and the initial weights.
public sealed class ImageRegressionExperiment : Experiment<ImageRegressionConfig>
{
    public const string Name = ImageRegressionContract.Experiment;

    public override ExperimentInfo Info { get; } = new(Name, "Tancik et al. 2020", "Table 1 (2D images), Fig. 1",
        "4x256 ReLU MLP with sigmoid output fitted to natural and text images from pixel coordinates: none, basic, positional encoding and Gaussian Fourier features");

    public override IReadOnlyList<MetricInfo> Metrics { get; } = ImageRegressionContract.Metrics;

    public override int DefaultSeeds(Scale scale) => 1; // the images are the repetitions (the paper: one init key for all)

    public override ImageRegressionConfig Defaults(Scale scale) => scale switch
    {
        // 64² images (32² training pixels): a step is ~1.6 GFLOP with 512 features (0.8 without), ~10–16 ms on 2 cores;
        // 16 runs of 150 steps took 90–100 s with 1 thread on the shared (load ~10) machine. Fourier features are within
        // ~0.3 dB of their 500-step test PSNR by then; no mapping is still creeping up (it is the bottom row anyway).
        Scale.Smoke => AtResolution(new()
        {
            Iterations = 150, RecordEvery = 25,
            NaturalImages = ["astronaut.png", "coffee.png"], TextImages = [0, 1],
        }, 64),
        // 128² images (64² training pixels): ~6.5 GFLOP per step with features, ~40–65 ms on 2 cores; 52 runs of 500 steps.
        // The claims' exact sign-flip tests over images have smallest p 2^-n: all 5 photographs (1/32) and 8 text
        // images (1/256, room for the sign of Gaussian − posenc to vary, IR-4) give every claim the power to decide.
        Scale.Standard => AtResolution(new()
        {
            Iterations = 500, RecordEvery = 25,
            TextImages = Enumerable.Range(0, 8).ToArray(),
        }, 128),
        _ => new(),
    };

    // The paper's σ and positional-encoding frequencies are in cycles per image for 512² images. On a smaller image
    // the same kernel width in pixels (and the same top frequency relative to the training grid) needs them scaled
    // by Resolution / 512: σ ∝ Resolution, and 2^s − 1 ∝ Resolution. (Measured at 64² with the paper's σ = 10 and
    // s = 6 on the natural images: train PSNR 44–53 dB, test PSNR ~3 dB below no mapping's — pure overfitting.)
    public static ImageRegressionConfig AtResolution(ImageRegressionConfig c, int resolution)
    {
        double r = resolution / 512.0;
        double S(double s) => Math.Round(Math.Log2((Math.Pow(2, s) - 1) * r + 1), 3);
        return c with
        {
            Resolution = resolution,
            SigmaNatural = c.SigmaNatural * r, SigmaText = c.SigmaText * r,
            PosEncScaleNatural = S(c.PosEncScaleNatural), PosEncScaleText = S(c.PosEncScaleText),
        };
    }

    // Training on the (Resolution/2)² grid, and the prediction on the full Resolution² image at every frame.
    // The input width is the run's own mapping's (a fixed stream stands in for the run's B: only its shape counts).
    protected override double EstimatedSeconds(ImageRegressionConfig c)
    {
        int inputDim = Mapping(c, c.SingleDataset(), c.SingleMapping(), Rng.Derive(0, "cost")).OutputDim;
        return ImageFit.EstimatedSeconds(new MlpShape(inputDim, c.Width, c.Depth, 3), c.Resolution, c.Iterations, c.RecordEvery);
    }

    protected override IEnumerable<string> Validate(ImageRegressionConfig c)
    {
        foreach (var d in c.Datasets)
            if (d is not (ImageDatasets.Natural or ImageDatasets.Text)) yield return $"unknown dataset '{d}' (known: natural, text)";
        foreach (var m in c.Mappings)
            if (m is not (ImageRegressionConfig.None or ImageRegressionConfig.Basic or ImageRegressionConfig.PosEnc or ImageRegressionConfig.Gaussian))
                yield return $"unknown mapping '{m}' (known: none, basic, posenc, gaussian)";
        if (c.Resolution < 4 || c.Resolution % 2 != 0) yield return $"Resolution {c.Resolution} must be even and at least 4";
        if (c.Depth < 2 || c.Width < 1 || c.Iterations < 1 || c.RecordEvery < 1) yield return "Depth ≥ 2 and Width, Iterations, RecordEvery positive";
        if (c.LrFeatures <= 0 || c.LrRawNatural <= 0 || c.LrRawText <= 0) yield return "learning rates must be positive";
        if (c.GaussianFeatures < 1 || c.PosEncPerAxis < 1) yield return "GaussianFeatures and PosEncPerAxis must be positive";
        if (c.TextImages.Any(i => i < 0)) yield return "TextImages are indices ≥ 0";
        if (c.Datasets.Contains(ImageDatasets.Text) && c.TextFonts.Length == 0) yield return "TextFonts is empty";
        if (c.NaturalImageSha256 is not null) yield return "NaturalImageSha256 is computed from the image file by the planner, not set";
        bool natural = c.Datasets.Contains(ImageDatasets.Natural);
        // The shipped photographs are checked for presence (they are part of the build); one's own are read and decoded
        // here, so that a missing or wrong file stops the plan before any training.
        foreach (var p in ImageDatasets.MissingFiles(natural ? c.NaturalImages.Where(ImageDatasets.IsShipped) : [],
                     c.Datasets.Contains(ImageDatasets.Text) ? c.TextFonts : []))
            yield return p;
        foreach (var f in natural ? c.NaturalImages.Where(f => !ImageDatasets.IsShipped(f)) : [])
            if (ImageDatasets.OwnImageProblem(f) is { } problem) yield return problem;
    }

    protected override IEnumerable<PlannedConfig> Grid(ImageRegressionConfig c)
    {
        foreach (var dataset in c.Datasets)
        {
            var images = dataset == ImageDatasets.Natural
                ? c.NaturalImages.Select(f => (Label: Path.GetFileName(f), Config: NaturalRun(c, f)))
                : c.TextImages.Select(i => (Label: ImageRegressionConfig.TextImageName(i), Config: c with { NaturalImages = [], TextImages = [i] }));
            foreach (var (label, config) in images)
                foreach (var mapping in c.Mappings)
                    yield return new PlannedConfig($"{dataset}/{mapping}/{label}", config with { Datasets = [dataset], Mappings = [mapping] });
        }
    }

    // One natural image's configuration. A shipped photograph keeps its bare name and no digest: its runs' canonical JSON,
    // hence their identity, is what it always was. A photograph of one's own is recorded by its absolute path and the
    // SHA-256 of its bytes, both in the configuration JSON, so that a reviewer sees what was read and a changed file is a
    // new run (merge and leases key on the configuration hash, so they follow). (The file was decoded by Validate.)
    static ImageRegressionConfig NaturalRun(ImageRegressionConfig c, string entry)
    {
        if (ImageDatasets.IsShipped(entry)) return c with { NaturalImages = [entry], TextImages = [] };
        var path = ImageDatasets.OwnPath(entry);
        try { return c with { NaturalImages = [path], TextImages = [], NaturalImageSha256 = InputFiles.Sha256(InputFiles.Read(path)) }; }
        catch (InputFileException e) { throw new ConfigException($"{Name}: natural image '{entry}': {e.Message}"); } // gone since Validate
    }

    public static InputMapping Mapping(ImageRegressionConfig c, string dataset, string mapping, Rng rng) => mapping switch
    {
        ImageRegressionConfig.None => InputMapping.None(2),   // raw (x, y) in [0, 1)², as the 2D notebook
        ImageRegressionConfig.Basic => InputMapping.Basic(2),
        ImageRegressionConfig.PosEnc => InputMapping.PositionalEncoding(2, dataset == ImageDatasets.Natural ? c.PosEncScaleNatural : c.PosEncScaleText, c.PosEncPerAxis),
        ImageRegressionConfig.Gaussian => InputMapping.Gaussian(2, c.GaussianFeatures, dataset == ImageDatasets.Natural ? c.SigmaNatural : c.SigmaText, rng),
        _ => throw new ConfigException($"{Name}: unknown mapping '{mapping}'"),
    };

    public static SquareImage LoadImage(ImageRegressionConfig c, string dataset) => dataset != ImageDatasets.Natural
        ? ImageDatasets.GenerateText(c.SingleTextImage(), c.TextSeed, c.Resolution, c.TextFonts)
        : c.NaturalImageSha256 is { } sha256
            ? ImageDatasets.LoadOwn(c.SingleNaturalImage(), sha256, c.Resolution)
            : ImageDatasets.LoadNatural(c.SingleNaturalImage(), c.Resolution);

    protected override void Run(ImageRegressionConfig c, RunContext context, IRunRecorder recorder)
    {
        string dataset = c.SingleDataset(), mappingName = c.SingleMapping();
        var image = LoadImage(c, dataset);
        recorder.Array(ImageFitContract.Target, 0, [image.Size, image.Size, 3], image.Rgb);
        var mapping = Mapping(c, dataset, mappingName, context.Rng("gaussian-B"));
        var settings = new ImageFitSettings(c.Depth, c.Width, c.Iterations, c.LearningRate(dataset, mappingName), c.RecordEvery);
        ImageFit.Run(image, mapping, settings, context.Rng("init"), context, recorder);
    }
}
