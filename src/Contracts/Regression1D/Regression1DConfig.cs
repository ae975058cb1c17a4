using System.Text.Json.Serialization;

namespace FourierRepro.Contracts;

// The 1D counterpart of the image experiments (Tancik et al. 2020; settings of Fig. 4's trained networks, PAPERS.md
// section F): 1/f^α signals on a grid of 2·Points samples in [0, 1), trained on the even samples and tested on the
// odd ones, through no mapping, the basic mapping, a positional encoding and Gaussian features at a few σ.
public sealed record Regression1DConfig
{
    public const string None = "none", Basic = "basic", PosEnc = "posenc", Gaussian = "gaussian";

    public string[] Mappings { get; init; } = [None, Basic, PosEnc, Gaussian];
    // Gaussian B ~ N(0, σ²) in cycles per unit interval; the training grid's Nyquist frequency is Points/2 = 512.
    // One σ too small (underfits), one near the signal's useful band, one far above Nyquist (overfits).
    public double[] GaussianSigmas { get; init; } = [4, 64, 1024];
    public int Points { get; init; } = 1024;          // training points: the even samples of a 2048-point grid (Fig. 4)
    public double Alpha { get; init; } = 1.0;         // 1/f^α noise, α = 1 (Fig. 3's target, Fig. 4's middle panel)
    public int Signals { get; init; } = 4;            // signals per run, each fitted by its own network (Fig. 4: 4 per α)
    public int Features { get; init; } = 256;         // frequencies of the positional encoding and the Gaussian mapping
    public double PosEncScale { get; init; } = 9;     // b_j = 2^linspace(0, s, Features) − 1: up to 2⁹ − 1 = 511 cycles, the training Nyquist
    public int Depth { get; init; } = 4;              // Linear layers: 3 hidden ReLU layers, linear output
    public int Width { get; init; } = 256;
    public double LearningRate { get; init; } = 2e-3; // Adam, full batch, loss ½Σ(f − y)² (Fig. 4)
    public int Iterations { get; init; } = 1000;
    public int RecordEvery { get; init; } = 10;

    // A signal of one's own instead of the generated ones: a one-column CSV file (path absolute or relative to the
    // working folder; the planner records the absolute path). Its N values (N even, ≥ 4; an optional header line) are
    // the grid: sample i at x = i/N, the even samples train, the odd ones test, as for the generated signals. The
    // planner then sets Points = N/2 and Signals = 1 (the file is the one signal; Alpha is not used), and SignalSha256
    // to the file's SHA-256, so that a changed file is a new run. Both null, and left out of the JSON, by default: the
    // configuration hash of every generated-signal run stays what it was (tests/Experiments/Hosting/DefaultIdentityTests).
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Signal { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SignalSha256 { get; init; } // written by the planner, never by the user

    // The mapping and, for the Gaussian mapping, the σ of one grid point: the planner gives each run one mapping and
    // one σ (none for the other mappings: NaN). (Methods, not properties: the canonical JSON of a configuration, hence
    // its hash, holds its settings only.)
    public string SingleMapping() => Mappings.Length == 1 ? Mappings[0] : throw new InvalidOperationException($"a run has one mapping, not {Mappings.Length}");

    public double SingleSigma() => GaussianSigmas.Length switch
    {
        0 => double.NaN,
        1 => GaussianSigmas[0],
        _ => throw new InvalidOperationException($"a run has at most one σ, not {GaussianSigmas.Length}"),
    };
}
