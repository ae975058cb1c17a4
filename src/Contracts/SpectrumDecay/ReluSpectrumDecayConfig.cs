namespace FourierRepro.Contracts;

// A numerical check of Rahaman et al. 2019, Theorem 1 in 1D (PAPERS.md section C): the paper makes none, so the
// defaults below are this project's choices; the training half uses Fig. 1's equal-amplitude setting.
public sealed record ReluSpectrumDecayConfig
{
    // The network shape of one grid point: the planner gives each run one depth and one width. (A method: the
    // canonical JSON, hence the config hash, holds settings only.)
    public (int Depth, int Width) SingleShape() => Depths.Length == 1 && Widths.Length == 1
        ? (Depths[0], Widths[0]) : throw new InvalidOperationException($"a run has one depth and one width, not {Depths.Length} x {Widths.Length}");

    public int[] Depths { get; init; } = [2, 4, 6, 8];  // Linear layers (2 = one hidden ReLU layer)
    public int[] Widths { get; init; } = [64, 256, 1024];

    // Training: Fig. 1's equal-amplitude target, Adam, full batch.
    public int[] Frequencies { get; init; } = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50];
    public int Points { get; init; } = 200;
    public double LearningRate { get; init; } = 3e-4;
    public int Iterations { get; init; } = 60_000;      // Fig. 1's training length
    public int RecordEvery { get; init; } = 100;         // the training loss

    // The check: f on x_j = j/M, j = 0..M (float64), minus the line through f(0) and f(1), one-sided |DFT|/M.
    public int GridPoints { get; init; } = 32_768;       // M = 2^15: kinks 1/32768 apart are still resolved; ≈ 1 s per 6×256 evaluation
    // The fit of log|f̃(k)| against log k: |f̃(k)| = |Σ_j Δs_j e^{−2πikx_j}| / (2πk)² over the kinks x_j with slope
    // jumps Δs_j, so the decay is k⁻² once k is large enough that kinks closer than 1/k no longer interfere; below
    // that the local slope of one octave wanders (measured −1.8 … −2.6 for a trained 6×256 network with ~650 kinks).
    // From k = 256 (4 octaves) up to M/8, where the aliases c_{k±M} add ≈ 3.3·(k/M)² ≈ 5 % of the power.
    public int FitLow { get; init; } = 256;
    public int FitHigh { get; init; } = 4_096;
    public int Bands { get; init; } = 12;                // 3 log-spaced bands per octave, RMS of |f̃(k)| in each
}
