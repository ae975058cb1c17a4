namespace FourierRepro.Contracts;

// Rahaman et al. 2019, Fig. 3 (PAPERS.md section B, ICML_Robustness.ipynb). Defaults are the paper's.
public sealed record PerturbationRobustnessConfig : ISineSumSettings
{
    // Training: as Fig. 1's equal-amplitude case (A_i = 1), one network per run with its own random phases.
    public int[] Frequencies { get; init; } = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50];
    public int Points { get; init; } = 200;            // N equally spaced samples on [0, 1)
    public int Depth { get; init; } = 6;               // Linear layers: 1→256, 4 × 256→256, 256→1
    public int Width { get; init; } = 256;
    public double LearningRate { get; init; } = 3e-4;  // Adam, full batch
    public int Iterations { get; init; } = 60_000;
    public int RecordEvery { get; init; } = 100;       // the training loss every 100 steps

    // The sweep: δ on np.linspace(0, MaxPerturbation, PerturbationSteps), Directions random unit directions per δ.
    public double MaxPerturbation { get; init; } = 5.001; // the reference's linspace(0, 5.001, 100)
    public int PerturbationSteps { get; init; } = 100;
    public int Directions { get; init; } = 100;           // NUM_SAMPLES
    // The same Directions unit directions are used at every δ (the reference draws fresh ones per δ): each row of
    // the heat-map is still the mean over Directions independent directions, and neighbouring rows are compared
    // along the same rays, so the map is smoother and 100× fewer random numbers are drawn (264k per direction).
    public int DirectionBatch { get; init; } = 25;        // perturbed copies per forward pass: 25 × 264k parameters ≈ 26 MB
}
