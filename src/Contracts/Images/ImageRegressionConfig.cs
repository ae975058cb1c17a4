using System.Text.Json.Serialization;

namespace FourierRepro.Contracts;

// Tancik et al. 2020, Table 1 (2D image regression) and Fig. 1 (PAPERS.md section G). Defaults are the paper's
// settings; ImageRegressionExperiment.Defaults shrinks them per scale. One run = one mapping on one image.
public sealed record ImageRegressionConfig
{
    public const string None = "none", Basic = "basic", PosEnc = "posenc", Gaussian = "gaussian";
    public const string Natural = "natural", Text = "text"; // the two datasets

    public string[] Datasets { get; init; } = [Natural, Text];
    public string[] Mappings { get; init; } = [None, Basic, PosEnc, Gaussian];
    // The paper tests on 16 DIV2K crops; we have these five photographs (data/natural/LICENSES.md). An entry is a
    // shipped name (a bare file name found in data/natural next to the executable) or a photograph of one's own: a
    // path, absolute or relative to the working folder, which the planner turns into the absolute path.
    public string[] NaturalImages { get; init; } = ["astronaut.png", "coffee.png", "chelsea.png", "rocket.jpg", "grace_hopper.jpg"];
    // SHA-256 of the bytes of a run's own photograph, written by the planner (never by the user) when the run's one
    // natural image is a file of one's own, so that the configuration hash (the run's identity) changes with the
    // file's content. Null, and then left out of the JSON, for the shipped photographs: they are part of the build,
    // and hashing them would change the identity of every existing run (tests/Experiments/Hosting/DefaultIdentityTests).
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? NaturalImageSha256 { get; init; }
    public int[] TextImages { get; init; } = Enumerable.Range(0, 16).ToArray(); // 16 test images per dataset, as the notebook suggests
    public int TextSeed { get; init; } = 2020;                                  // the text dataset's own seed: fixed, whatever the run seed
    public string[] TextFonts { get; init; } =
    [
        "ComicNeue-Bold.otf", "DejaVuSans.ttf", "DejaVuSansMono.ttf", "DejaVuSerif-Bold.ttf", "EBGaramond12-Regular.otf",
        "Go-Mono.ttf", "LiberationSans-Bold.ttf", "LiberationSerif-Italic.ttf", "Quicksand-Bold.ttf", "lobster.otf",
    ];
    public int Resolution { get; init; } = 512;        // image side; train on the even/even (Resolution/2)² grid
    public int Depth { get; init; } = 4;               // Linear layers: 3 × (Dense 256 + ReLU), Dense 3 + sigmoid
    public int Width { get; init; } = 256;
    public int Iterations { get; init; } = 2000;       // full-batch Adam steps
    public int RecordEvery { get; init; } = 25;        // the notebook logs at i % 25 == 0
    public double LrFeatures { get; init; } = 1e-3;    // posenc and Gaussian, both datasets
    public double LrRawNatural { get; init; } = 1e-2;  // no mapping and basic, natural images
    public double LrRawText { get; init; } = 1e-3;     // no mapping and basic, text images
    public int PosEncPerAxis { get; init; } = 128;     // posenc_new: 128 log-spaced frequencies per axis, 512 features
    public double PosEncScaleNatural { get; init; } = 6; // frequencies 2^linspace(0, s, 128) − 1: up to 63 cycles
    public double PosEncScaleText { get; init; } = 5;    // up to 31 cycles
    public int GaussianFeatures { get; init; } = 256;  // B is 256 × 2: 512 features
    public double SigmaNatural { get; init; } = 10;
    public double SigmaText { get; init; } = 14;

    public double LearningRate(string dataset, string mapping) => mapping is None or Basic
        ? (dataset == Natural ? LrRawNatural : LrRawText)
        : LrFeatures;

    // The name of text image `index`, as the plan labels it and the analysis lists it.
    public static string TextImageName(int index) => $"text-{index}";

    // One grid point: the planner gives each run one dataset, one mapping and one image (a natural image or a text
    // image index, the other list empty). (Methods, not properties: the canonical JSON of a configuration, hence its
    // hash, holds its settings only.)
    public string SingleDataset() => Datasets.Length == 1 ? Datasets[0] : throw new InvalidOperationException($"a run has one dataset, not {Datasets.Length}");
    public string SingleMapping() => Mappings.Length == 1 ? Mappings[0] : throw new InvalidOperationException($"a run has one mapping, not {Mappings.Length}");
    public string SingleNaturalImage() => NaturalImages.Length == 1 ? NaturalImages[0] : throw new InvalidOperationException($"a natural-image run has one image, not {NaturalImages.Length}");
    public int SingleTextImage() => TextImages.Length == 1 ? TextImages[0] : throw new InvalidOperationException($"a text-image run has one image, not {TextImages.Length}");
    // A photograph of one's own is named by its file name (the configuration holds its whole path).
    public string SingleImageName() => SingleDataset() == Natural ? Path.GetFileName(SingleNaturalImage()) : TextImageName(SingleTextImage());
}
