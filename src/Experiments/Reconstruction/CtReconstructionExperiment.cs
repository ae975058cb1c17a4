using FourierRepro.Experiments.Core;
using TorchSharp;
using static FourierRepro.Contracts.ReconstructionNames;

namespace FourierRepro.Experiments.Reconstruction;

// Tancik et al. 2020, Table 1 (2D CT) and supplementary Fig. 17: a coordinate MLP outputs the image on the whole grid
// and is trained only through 20 parallel-beam projections of it (never shown the image); Fourier features give a
// sharper reconstruction (none < basic < positional encoding, basic < Gaussian). One run = one method on one
// phantom; the phantoms are the repetitions, drawn from PhantomSeed whatever the run seed; the run seed draws the
// Gaussian B and the initial weights.
public sealed class CtReconstructionExperiment : Experiment<CtReconstructionConfig>
{
    public const string Name = CtReconstructionContract.Experiment;

    public override ExperimentInfo Info { get; } = new(Name, "Tancik et al. 2020", "Table 1 (2D CT), supp. Fig. 17",
        "4x256 ReLU MLP with sigmoid output reconstructing Shepp-Logan phantoms from 20 parallel-beam projections: none, basic, positional encoding, Gaussian, and the pixels optimised directly");

    public override IReadOnlyList<MetricInfo> Metrics { get; } = CtReconstructionContract.Metrics;

    public override int DefaultSeeds(Scale scale) => 1; // the phantoms are the repetitions

    // σ and the positional-encoding scale stay the paper's at every grid size (unlike the image experiments, which
    // scale them with the resolution): with 20 projections the observations pin down the object's spectrum only up
    // to ~20/π ≈ 6 cycles per field of view (by the Fourier slice theorem, 20 radial lines in k-space are ≤ 1 cycle
    // apart below that radius), whatever the grid; σ = 4 and posenc's 0…7 cycles are matched to that band, and they
    // stay below the Nyquist limit (R/2 cycles) of every grid we run (R ≥ 32).
    public override CtReconstructionConfig Defaults(Scale scale) => scale switch
    {
        // 32² (1024 pixels, 640 observations), 2 phantoms: a pipeline check, ~3 s per MLP run on one thread; the
        // claims' sign-flip tests need 5 phantoms (smallest p 2^-5) and are not required here.
        Scale.Smoke => new() { Resolution = 32, Iterations = 200, Phantoms = [0, 1] },
        // 64² (4096 pixels, 1280 observations), 5 phantoms (smallest p 1/32), 400 steps: ~6.4 GFLOP per step with features.
        Scale.Standard => new() { Resolution = 64, Iterations = 400, Phantoms = Enumerable.Range(0, 5).ToArray() },
        _ => new(),
    };

    protected override double EstimatedSeconds(CtReconstructionConfig c) => ReconstructionFit.EstimatedSeconds(
        Mapping(c, c.SingleMethod(), Rng.Derive(0, "cost")), c.Width, c.Depth, (long)c.Resolution * c.Resolution, c.Iterations);

    protected override IEnumerable<string> Validate(CtReconstructionConfig c)
    {
        foreach (var m in c.Methods)
            if (!IsMethod(m)) yield return $"unknown method '{m}' (known: {string.Join(", ", Methods)})";
        if (c.Resolution < 8) yield return $"Resolution {c.Resolution} must be at least 8";
        if (c.Angles < 1) yield return "Angles must be positive";
        if (c.Depth < 2 || c.Width < 1 || c.Iterations < 1 || c.RecordEvery < 1) yield return "Depth ≥ 2 and Width, Iterations, RecordEvery positive";
        if (c.LrRaw <= 0 || c.LrFeatures <= 0 || c.LrGridOpt <= 0) yield return "learning rates must be positive";
        if (c.GaussianFeatures < 1 || c.PosEncPerAxis < 1) yield return "GaussianFeatures and PosEncPerAxis must be positive";
        if (c.Phantoms.Length == 0 || c.Phantoms.Any(i => i < 0)) yield return "Phantoms are indices ≥ 0, at least one";
        if (c.PhantomNoise < 0) yield return "PhantomNoise must be ≥ 0";
    }

    protected override IEnumerable<PlannedConfig> Grid(CtReconstructionConfig c) =>
        ReconstructionFit.Grid(c.Methods, c.Phantoms, (method, phantom) => c with { Methods = [method], Phantoms = [phantom] });

    // null for gridopt (no network).
    public static InputMapping? Mapping(CtReconstructionConfig c, string method, Rng rng) =>
        ReconstructionFit.Mapping(Name, method, 2, c.PosEncScale, c.PosEncPerAxis, c.GaussianFeatures, c.Sigma, rng);

    // Phantom `index` of the set drawn from `seed`: the same image whatever the run's seed.
    public static float[] Phantom(int index, int seed, double noise, int resolution) =>
        SheppLogan.Render2D(SheppLogan.Perturbed(SheppLogan.Modified2D, noise, Rng.Derive(seed, $"ct-phantom-{index}")), resolution);

    protected override void Run(CtReconstructionConfig c, RunContext context, IRunRecorder recorder)
    {
        int r = c.Resolution;
        var beam = new ParallelBeam(r, c.Angles);
        using var scope = torch.NewDisposeScope();
        var op = beam.ToDevice(context.Device); // the operator training uses checks itself first
        recorder.Metric(ReconstructionContract.ForwardModelError, 0, beam.DiscError(op, context.Device));
        var phantom = Phantom(c.SinglePhantom(), c.PhantomSeed, c.PhantomNoise, r);
        recorder.Array(ReconstructionContract.Target, 0, [r, r], phantom);
        var sinogram = beam.Project(phantom);
        recorder.Array(ReconstructionContract.Observations, 0, [c.Angles, r], sinogram);

        var observed = torch.tensor(sinogram.Select(v => (float)v).ToArray()).to(context.Device);
        string method = c.SingleMethod();
        var mapping = Mapping(c, method, context.Rng("gaussian-B"));
        var settings = new ReconstructionSettings(c.Depth, c.Width, c.Iterations, c.LearningRate(method), c.RecordEvery);
        // 0.5 · mean((project(image) − target)²), the notebook's loss
        ReconstructionFit.Run(phantom, [r, r], mapping is null ? null : ReconstructionFit.Coordinates(r, 2), mapping,
            image => ParallelBeam.Project(image, op).sub(observed).square().mean().mul(0.5), settings, context.Rng("init"), context, recorder);
    }
}
