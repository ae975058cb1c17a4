namespace FourierRepro.Contracts;

// Tancik et al. 2020, Fig. 2 (PAPERS.md section D): the NT 0.2.2 'standard' NTK of a 4-layer ReLU MLP. It is a
// closed-form computation (milliseconds), so every scale uses the paper's settings.
public sealed record NtkKernelsConfig
{
    public int Depth { get; init; } = 4;                 // network_size = (4, 1024): 3 hidden ReLU layers + linear output
    public int Width { get; init; } = 1024;              // the 'standard' kernel depends on the width
    public int HeatmapPoints { get; init; } = 100;       // panels (a, b): x = linspace(−π, π, 100)
    public int RowPoints { get; init; } = 32;            // panels (c, d): the row Θ(γ(x_j), γ(0)) at x_j = j/32 (N_train)
    public int Frequencies { get; init; } = 16;          // b_j = j, j = 1..N/2
    public string[] Powers { get; init; } = [.. PowerMappingNames.PaperPowers]; // a_j = j^−p
}
