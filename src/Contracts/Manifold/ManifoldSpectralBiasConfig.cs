namespace FourierRepro.Contracts;

// Rahaman et al. 2019, section 4 (PAPERS.md section C, ICML_Manifolds.ipynb). Defaults are the paper's.
public sealed record ManifoldSpectralBiasConfig
{
    // The grid point of one run: one task and one L. (A method: the canonical JSON, hence the hash, holds settings only.)
    public (string Task, int Petals) SinglePoint() => Tasks.Length == 1 && Petals.Length == 1
        ? (Tasks[0], Petals[0]) : throw new InvalidOperationException($"a run has one task and one L, not {Tasks.Length} x {Petals.Length}");

    public const string Regression = "regression";         // MSE on Σ sin(2π k t + φ_k), spectral heat-map per L
    public const string Classification = "classification"; // logistic loss on the sign of that target, decision region

    public string[] Tasks { get; init; } = [Regression, Classification];
    public int[] Petals { get; init; } = [0, 4, 10, 16];   // L swept, 0 = the circle (the paper's heat-maps, recalled)
    public int[] Frequencies { get; init; } = [20, 40, 60, 80, 100, 120, 140, 160, 180, 200]; // cycles per revolution, A = 1
    public int Points { get; init; } = 1_000;               // N points along the curve, φ_j = 2πj/N
    public double PetalAmplitude { get; init; } = 0.5;      // r(φ) = 1 + 0.5 sin(Lφ)
    public int Depth { get; init; } = 6;                    // Linear layers: 2→256, 4 × 256→256, 256→1
    public int Width { get; init; } = 256;
    public double LearningRate { get; init; } = 3e-4;       // Adam, full batch
    public int Iterations { get; init; } = 10_000;
    public int RecordEvery { get; init; } = 100;

    // The classification variant (cells 29–31): one frequency, on a 20-petal flower.
    public int ClassificationPetals { get; init; } = 20;
    public int[] ClassificationFrequencies { get; init; } = [200];
    public int DecisionGrid { get; init; } = 200;           // the decision region on a 200 × 200 mesh …
    public double DecisionExtent { get; init; } = 1.6;      // … over [−1.6, 1.6]²
}
