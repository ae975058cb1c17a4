namespace FourierRepro.Contracts;

// Rahaman et al. 2019, Fig. 1 (PAPERS.md section A). Defaults are the paper's; Scales shrinks them.
public sealed record SpectralBiasConfig : ISineSumSettings
{
    public const string EqualAmplitudes = "equal";           // A_i = 1 (Fig. 1a)
    public const string IncreasingAmplitudes = "increasing"; // A_i = 0.1, 0.2, …, 1.0: the highest k is the largest (Fig. 1b)

    public const string NoMapping = "none";              // the paper's network: z fed raw
    public const string FlatFourierMapping = "flat-fourier"; // negative control: γ(z) = [sin 2πjz, cos 2πjz], j = 1..N/2, a_j = 1 (Tancik's p = 0)

    public string[] Cases { get; init; } = [EqualAmplitudes, IncreasingAmplitudes];
    public string Mapping { get; init; } = NoMapping;
    // Runs per case of the control: the same target learned through a flat-spectrum Fourier feature mapping, whose
    // stationary NTK has no preference for low k (Tancik Fig. 3), so spectral bias must vanish there.
    public int ControlSeeds { get; init; } = 5;
    public int[] Frequencies { get; init; } = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50];
    public int Points { get; init; } = 200;            // N equally spaced samples on [0, 1)
    public int Depth { get; init; } = 6;               // Linear layers: 1→256, 4 × 256→256, 256→1
    public int Width { get; init; } = 256;
    public double LearningRate { get; init; } = 3e-4;  // Adam, full batch
    public int Iterations { get; init; } = 60_000;
    public int RecordEvery { get; init; } = 100;       // one frame (spectrum, loss, spectral norms) every 100 steps

    // The amplitude case of one grid point: the planner gives each run one case. (A method, not a property: the
    // canonical JSON of a configuration, hence its hash, holds its settings only.)
    public string SingleCase() => Cases.Length == 1 ? Cases[0] : throw new InvalidOperationException($"a run has one amplitude case, not {Cases.Length}");

    public double[] Amplitudes(string amplitudeCase) => amplitudeCase switch
    {
        EqualAmplitudes => Frequencies.Select(_ => 1.0).ToArray(),
        IncreasingAmplitudes => Frequencies.Select((_, i) => (i + 1.0) / Frequencies.Length).ToArray(),
        _ => throw new ConfigException($"spectral-bias: unknown amplitude case '{amplitudeCase}' (known: {EqualAmplitudes}, {IncreasingAmplitudes})"),
    };
}
