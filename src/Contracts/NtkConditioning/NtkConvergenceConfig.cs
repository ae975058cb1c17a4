namespace FourierRepro.Contracts;

// Tancik et al. 2020, Fig. 3 (PAPERS.md section E). Defaults are the paper's; the experiment's Defaults(scale)
// shrinks width and iterations and raises the learning rate so that the kernel time η·Θ(x, x)·T — how far the
// linear dynamics e^{−ηΘt} run — stays the paper's 1e-5 × 14 × 50000 = 7 (Θ(x, x) = 14 at width 1024 and 5 at
// 256 for ‖γ‖ = 1). The theory always uses the width and learning rate that were trained.
public sealed record NtkConvergenceConfig
{
    public string[] Mappings { get; init; } = [PowerMappingNames.None, .. PowerMappingNames.PaperPowers];
    public int Points { get; init; } = 256;            // x = linspace(0, 1, 256, endpoint=False)
    public int TrainEvery { get; init; } = 8;          // x_train = x[::8]: 32 training points, the other 224 are the test set
    public double Alpha { get; init; } = 1;            // target: 1/f^α noise, band-limited to bins 0..N/4 − 1
    public int Frequencies { get; init; } = 16;        // b_j = j, j = 1..16: 32 features
    public int Depth { get; init; } = 4;               // 3 hidden ReLU layers + linear output, NT 'standard', b = 0 at init
    public int Width { get; init; } = 1024;
    public double LearningRate { get; init; } = 1e-5;  // plain full-batch SGD on ½ Σ (f − y)²
    public int Iterations { get; init; } = 50_000;     // the reference's 50001 loop passes; frames at 0, 20, …, 50000
    public int RecordEvery { get; init; } = 20;        // the reference logs every 20 iterations
    public int[] ResidualBins { get; init; } = [1, 5, 15]; // |DFT| of the training residual: low, mid, high (panel c)
    public bool RecordReanchoredTheory { get; init; } = false; // also record the reference code's re-anchored "theory" (section E)

    // The mapping of one grid point: the planner gives each run one mapping. (A method, not a property: the
    // canonical JSON of a configuration, hence its hash, holds its settings only.)
    public string SingleMapping() => Mappings.Length == 1 ? Mappings[0] : throw new InvalidOperationException($"a run has one mapping, not {Mappings.Length}");
}
