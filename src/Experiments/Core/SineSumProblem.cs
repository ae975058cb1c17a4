using TorchSharp;

namespace FourierRepro.Experiments.Core;

// Rahaman's 1D problem (ISineSumSettings), set up once for spectral-bias and perturbation-robustness: the checks
// of its settings, the target with the run's own phases (recorded), the training settings and the network.
public static class SineSumProblem
{
    public static IEnumerable<string> Validate(ISineSumSettings c)
    {
        foreach (var k in c.Frequencies)
            if (k < 1 || k >= c.Points / 2) yield return $"frequency {k} is outside 1..{c.Points / 2 - 1} (the one-sided spectrum of {c.Points} points)";
        if (c.Depth < 2) yield return "Depth must be at least 2";
        if (c.Width < 1 || c.Iterations < 1 || c.RecordEvery < 1 || c.LearningRate <= 0) yield return "Width, Iterations, RecordEvery and LearningRate must be positive";
    }

    // z on [0, 1) and y = Σ A_i sin(2π k_i z + φ_i), φ_i from the run's "phases" stream; records target and phases.
    public static (double[] Z, double[] Y) Target(ISineSumSettings c, double[] amplitudes, RunContext context, IRunRecorder recorder)
    {
        var z = Signals.UnitGrid(c.Points);
        var y = Signals.PhasedWaves(z, c.Frequencies, amplitudes, context.Rng("phases"), out var phases);
        recorder.Array(CommonNames.Target, 0, [c.Points], y);
        recorder.Array(CommonNames.Phases, 0, [phases.Length], phases);
        return (z, y);
    }

    public static MlpShape Shape(ISineSumSettings c, int inputDim = 1) => new(inputDim, c.Width, c.Depth, 1);

    // The network, initialised from the run's "init" stream (PyTorch's default init, as the reference).
    public static Mlp Model(ISineSumSettings c, RunContext context, int inputDim = 1) =>
        new(Shape(c, inputDim), MlpInit.TorchDefault, [context.Rng("init")], context.Device);

    public static TrainSettings Training(ISineSumSettings c) => new(c.Iterations, c.LearningRate, c.RecordEvery);

    public static torch.Tensor Column(double[] values, torch.Device device) =>
        torch.tensor(values.Select(v => (float)v).ToArray(), [values.Length, 1L]).to(device);
}
