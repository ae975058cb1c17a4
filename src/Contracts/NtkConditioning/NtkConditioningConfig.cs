namespace FourierRepro.Contracts;

// Tancik et al. 2020, Fig. 2 caption and supplementary Fig. 7 (PAPERS.md sections D, E): the eigenvalues and the
// condition number of the analytic NTK Gram matrix (NT 0.2.2 'standard', as ntk-kernels and ntk-convergence) on the
// periodic training grid x_j = j/N, for no mapping, the basic mapping, the power mappings and Gaussian features, and
// across depth. Closed-form kernels of at most a few hundred points: every scale computes the same rows; the scales
// differ in the grids (N) and in the Gaussian draws (seeds).
public sealed record NtkConditioningConfig
{
    public int Depth { get; init; } = 4;                 // network_size = (4, 1024), as Fig. 2 and 3
    public int Width { get; init; } = 1024;              // the 'standard' kernel depends on the width
    public int[] Points { get; init; } = [32];           // N of the grid x_j = j/N: 32 = ntk-convergence's training points; one run per N
    public int Frequencies { get; init; } = 16;          // b_j = j, j = 1..16 (power mappings); 16 Gaussian rows of B
    public string[] Powers { get; init; } = [.. PowerMappingNames.PaperPowers]; // a_j = j^−p
    public double[] GaussianSigmas { get; init; } = [1, 2, 4, 8, 16]; // B ~ N(0, σ²) in cycles per unit; 16 = the Nyquist frequency of N = 32
    public int[] Depths { get; init; } = [2, 3, 4, 5, 6, 7, 8];       // the depth sweep (layers, linear output included)
    public string[] DepthMappings { get; init; } = [PowerMappingNames.None, "p=1"]; // the mappings swept over depth

    // The grid size of one run: the planner gives each run one N. (A method, not a property: the canonical JSON of a
    // configuration, hence its hash, holds its settings only.)
    public int SinglePoints() => Points.Length == 1 ? Points[0] : throw new InvalidOperationException($"a run has one grid, not {Points.Length}");

    // The mapping of each recorded row, in order: no mapping, basic, every power, every σ with B as drawn, every σ with
    // B rounded to integers (periodic on the grid). The one list both the experiment and the analysis index rows by.
    public IReadOnlyList<string> Rows() =>
    [
        PowerMappingNames.None, NtkConditioningContract.Basic, .. Powers,
        .. GaussianSigmas.Select(s => NtkConditioningContract.GaussianRow(s, integer: false)),
        .. GaussianSigmas.Select(s => NtkConditioningContract.GaussianRow(s, integer: true)),
    ];
}
