namespace FourierRepro.Contracts;

// Tancik et al. 2020, Fig. 4 and supplementary Fig. 13 (1d_scatter_plots, PAPERS.md section F). Defaults are the
// paper's; SamplingWidthExperiment.Defaults shrinks them per scale.
public sealed record SamplingWidthConfig
{
    public const string Gaussian = "gaussian";       // b = N(0, 1)·(32·sc)
    public const string Uniform = "uniform";         // b = U[0, 1)·(64·sc), all non-negative ('unif')
    public const string UniformLog = "uniform-log";  // b = (80·sc)^U[0, 1): log-uniform between 1 and 80·sc ('power1')
    public const string Laplace = "laplace";         // b = Laplace(0, 1)·(20·sc)

    public static readonly string[] AllDistributions = [Gaussian, Uniform, UniformLog, Laplace];

    public const int PaperTrainPoints = 1024;

    public double[] Alphas { get; init; } = [0.5, 1.0, 1.5];        // data_powers: 1/f^α signals
    public double[] DensePowers { get; init; } = [0.4, 0.75, 1.5];  // best_powers: dense baseline a_j = b_j^−p, one per α
    public string[] Distributions { get; init; } = [.. AllDistributions];
    public double[] SweepValues { get; init; } = PaperSweep();      // search_vals = 2^linspace(−5, 4, 9); log2 step 1.125
    public int Signals { get; init; } = 4;            // N_test_signals: signals per α, jointly normalised to [−0.5, 0.5]
    public int TrainPoints { get; init; } = PaperTrainPoints; // grid of 2·TrainPoints on [0, 1): train on even, test on odd points
    public int Features { get; init; } = 16;          // N_embed sparse frequencies, a = 1 (so γ is scaled by 1/‖a‖ = 1/4)
    public int Depth { get; init; } = 4;              // Linear layers: 3 hidden ReLU layers and a linear output
    public int Width { get; init; } = 256;
    public double LearningRate { get; init; } = 2e-3; // Adam, full batch, loss ½Σ(f − y)²
    public int Iterations { get; init; } = 1000;
    public int RecordEvery { get; init; } = 100;      // train/test MSE curves of every network (the paper keeps only the final values)
    public int MaxMembersPerBatch { get; init; } = 48; // networks trained together as one batched model; bounds memory, not results

    public static double[] PaperSweep() => Enumerable.Range(0, 9).Select(i => Math.Pow(2, -5 + 9.0 * i / 8)).ToArray();

    // Sampled b are multiplied by TrainPoints/1024, so that the sweep covers the same range relative to the training
    // grid's Nyquist frequency (TrainPoints/2) when a smaller scale uses fewer points: 1 at the paper's setting.
    public double FrequencyUnit() => (double)TrainPoints / PaperTrainPoints;

    // The α of one grid point and its dense power: the planner gives each run one of each. (Methods, not properties:
    // the canonical JSON of a configuration, hence its hash, holds its settings only.)
    public double SingleAlpha() => Alphas.Length == 1 ? Alphas[0] : throw new InvalidOperationException($"a run has one α, not {Alphas.Length}");

    public double SingleDensePower() => DensePowers.Length == 1 ? DensePowers[0] : throw new InvalidOperationException($"a run has one dense power, not {DensePowers.Length}");
}
