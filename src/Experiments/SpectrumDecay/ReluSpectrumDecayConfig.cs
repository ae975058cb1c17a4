namespace FourierRepro.Experiments.SpectrumDecay;

// A numerical check of Rahaman et al. 2019, Theorem 1 in 1D (PAPERS.md section C): the paper makes none, so the
// defaults below are this project's choices; the training half uses Fig. 1's equal-amplitude setting.
public sealed record ReluSpectrumDecayConfig
{
    public int[] Depths { get; init; } = [2, 4, 6, 8];  // Linear layers (2 = one hidden ReLU layer)
    public int[] Widths { get; init; } = [64, 256, 1024];

    // Training: Fig. 1's equal-amplitude target, Adam, full batch.
    public int[] Frequencies { get; init; } = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50];
    public int Points { get; init; } = 200;
    public double LearningRate { get; init; } = 3e-4;
    public int Iterations { get; init; } = 60_000;      // Fig. 1's training length
    public int RecordEvery { get; init; } = 100;         // the training loss

    // The check: f on x_j = j/M, j = 0..M (float64), minus the line through f(0) and f(1), one-sided |DFT|/M.
    public int GridPoints { get; init; } = 32_768;       // M; 2^15 points resolve kinks 1/32768 apart
    // Fit of log|f̃(k)| against log k over [FitLow, FitHigh): above the kink density of these networks (a few
    // hundred kinks on [0, 1], so the coefficients' phases are no longer correlated) and far below the Nyquist bin
    // M/2 = 16384, where the aliases c_{k±M} would flatten the decay (at k = M/8 they add ≈ 3.3·(1/8)² ≈ 5 % of the power).
    // Four octaves: one octave's local slope wanders by up to ±0.5 where kinks closer than 1/k still interfere.
    public int FitLow { get; init; } = 256;
    public int FitHigh { get; init; } = 4_096;
    public int Bands { get; init; } = 12;                // 3 log-spaced bands per octave
}
