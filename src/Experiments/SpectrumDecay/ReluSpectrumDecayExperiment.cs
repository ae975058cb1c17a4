using FourierRepro.Experiments.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace FourierRepro.Experiments.SpectrumDecay;

// Rahaman et al. 2019, Theorem 1 in 1D: a ReLU network is piecewise linear, so its Fourier coefficients decay like
// 1/k². Each run is one network of one depth and width: at initialisation and after training on Fig. 1's target,
// it is evaluated on a fine grid in float64, the line through its two ends is removed, and the log-log slope of
// the spectrum is fitted over mid-to-high k. The paper has no such figure; it is a check of the theorem.
public sealed class ReluSpectrumDecayExperiment : Experiment<ReluSpectrumDecayConfig>
{
    public const string Name = ReluSpectrumDecayContract.Experiment;

    public override ExperimentInfo Info { get; } = new(Name, "Rahaman et al. 2019", "Theorem 1 (numerical check)",
        "1D ReLU MLPs of several depths and widths, at initialisation and after training: endpoint-corrected spectrum on a fine grid, fitted power-law exponent, linear pieces");

    public override IReadOnlyList<MetricInfo> Metrics => ReluSpectrumDecayContract.Metrics;

    public override int DefaultSeeds(Scale scale) => scale switch
    {
        Scale.Smoke => 1,
        Scale.Standard => 2,
        _ => 3,
    };

    public override ReluSpectrumDecayConfig Defaults(Scale scale) => scale switch
    {
        // 4 networks, 5 s measured with 1 thread on a busy machine; the 6×256 one (400 steps, two float64 grid evaluations) is 4 s of it.
        Scale.Smoke => new() { Depths = [2, 6], Widths = [64, 256], Iterations = 400 },
        // 6 networks × 2 seeds, 2.3 min measured with 1 thread on a busy machine, most of it the 256-wide networks' 4000 steps.
        Scale.Standard => new() { Depths = [2, 4, 6], Widths = [64, 256], Iterations = 4_000 },
        _ => new(),
    };

    protected override double EstimatedSeconds(ReluSpectrumDecayConfig c)
    {
        var shape = new MlpShape(1, c.Widths[0], c.Depths[0], 1);
        return CostModel.Training(shape, c.Points, c.Iterations) + CostModel.Forward(shape, c.GridPoints + 1, 2); // measured at init and trained
    }

    protected override IEnumerable<string> Validate(ReluSpectrumDecayConfig c)
    {
        if (c.Depths.Length == 0 || c.Widths.Length == 0) yield return "Depths and Widths must not be empty";
        if (c.Depths.Any(d => d < 2)) yield return "every depth must be at least 2 (one hidden ReLU layer)";
        if (c.Widths.Any(w => w < 1)) yield return "every width must be positive";
        foreach (var k in c.Frequencies)
            if (k < 1 || k >= c.Points / 2) yield return $"frequency {k} is outside 1..{c.Points / 2 - 1} (the one-sided spectrum of {c.Points} points)";
        if (c.Iterations < 1 || c.RecordEvery < 1 || c.LearningRate <= 0) yield return "Iterations, RecordEvery and LearningRate must be positive";
        if (c.FitLow < 1 || c.FitHigh <= c.FitLow || c.FitHigh > c.GridPoints / 2) yield return $"the fit range [{c.FitLow}, {c.FitHigh}) must lie within 1..{c.GridPoints / 2} (the one-sided spectrum of {c.GridPoints} points)";
        if (c.Bands < 2) yield return "Bands must be at least 2";
    }

    protected override IEnumerable<PlannedConfig> Grid(ReluSpectrumDecayConfig c) =>
        from depth in c.Depths
        from width in c.Widths
        select new PlannedConfig($"depth={depth} width={width}", c with { Depths = [depth], Widths = [width] });

    protected override void Run(ReluSpectrumDecayConfig c, RunContext context, IRunRecorder recorder)
    {
        var (depth, width) = c.SingleShape();
        var shape = new MlpShape(1, width, depth, 1);
        var amplitudes = c.Frequencies.Select(_ => 1.0).ToArray();
        var z = Signals.UnitGrid(c.Points);
        var y = Signals.PhasedWaves(z, c.Frequencies, amplitudes, context.Rng("phases"), out _);
        var grid = Enumerable.Range(0, c.GridPoints + 1).Select(j => (double)j / c.GridPoints).ToArray();
        recorder.Array(ReluSpectrumDecayContract.Target, 0, [c.Points], y);

        using var input = torch.tensor(z.Select(v => (float)v).ToArray(), [c.Points, 1L]).to(context.Device);
        using var target = torch.tensor(y.Select(v => (float)v).ToArray(), [c.Points, 1L]).to(context.Device);
        using var model = new Mlp(shape, MlpInit.TorchDefault, [context.Rng("init")], context.Device);

        var states = new List<(int Step, double[] Corrected, double[] Uncorrected, double[] Values)>();
        void Measure(int step)
        {
            var values = EvaluateFloat64(model, grid, context.Device);
            var corrected = PiecewiseLinearSpectrum.EndpointCorrected(values);
            var uncorrected = PiecewiseLinearSpectrum.Uncorrected(values);
            var fit = PiecewiseLinearSpectrum.FitPowerLaw(corrected, c.FitLow, c.FitHigh, c.Bands);
            recorder.Metric(ReluSpectrumDecayContract.Exponent, step, fit.Exponent);
            recorder.Metric(ReluSpectrumDecayContract.ExponentUncorrected, step, PiecewiseLinearSpectrum.FitPowerLaw(uncorrected, c.FitLow, c.FitHigh, c.Bands).Exponent);
            recorder.Metric(ReluSpectrumDecayContract.LinearPieces, step, PiecewiseLinearSpectrum.LinearPieces(values));
            recorder.Array(ReluSpectrumDecayContract.FitBandK, step, [fit.BandK.Length], fit.BandK);
            recorder.Array(ReluSpectrumDecayContract.FitBandAmplitude, step, [fit.BandAmplitude.Length], fit.BandAmplitude);
            recorder.Array(ReluSpectrumDecayContract.FitLine, step, [2], [fit.Exponent, fit.Intercept]);
            states.Add((step, corrected, uncorrected, values));
        }

        Measure(0);
        Trainer.Train(model, input, target, new TrainSettings(c.Iterations, c.LearningRate, c.RecordEvery),
            frame => recorder.Metric(ReluSpectrumDecayContract.Loss, frame.Iteration, frame.MemberLoss[0]),
            context.Cancellation, i => context.Progress.Report(i, c.Iterations));
        Measure(c.Iterations);

        // [state, ·] with state 0 = initialisation, 1 = trained; spectra in float32 (the figure's log axes need no more).
        int bins = c.GridPoints / 2;
        recorder.Array(ReluSpectrumDecayContract.StateSteps, 0, [states.Count], states.Select(s => (double)s.Step).ToArray());
        recorder.Array(ReluSpectrumDecayContract.Spectrum, 0, [states.Count, bins], states.SelectMany(s => s.Corrected).Select(v => (float)v).ToArray());
        recorder.Array(ReluSpectrumDecayContract.SpectrumUncorrected, 0, [states.Count, bins], states.SelectMany(s => s.Uncorrected).Select(v => (float)v).ToArray());
        // The function itself on a 1/64 subsample of the grid (513 points for M = 32768), for a look at it.
        int stride = Math.Max(1, c.GridPoints / 512);
        var sub = Enumerable.Range(0, c.GridPoints / stride + 1).Select(i => i * stride).ToArray();
        recorder.Array(ReluSpectrumDecayContract.FunctionX, 0, [sub.Length], sub.Select(j => grid[j]).ToArray());
        recorder.Array(ReluSpectrumDecayContract.Function, 0, [states.Count, sub.Length], states.SelectMany(s => sub.Select(j => s.Values[j])).ToArray());
    }

    // The network on `x` in float64 (its float32 parameters cast exactly): float32 round-off, ~1e-7 of |f|, would
    // swamp the coefficients at high k, which are ~1e-9 of |f| at k = 2048.
    public static double[] EvaluateFloat64(Mlp model, double[] x, Device device)
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var h = torch.tensor(x, [x.Length, 1L], ScalarType.Float64).to(device);
        for (int l = 0; l < model.Weights.Count; l++)
        {
            if (l > 0) h = nn.functional.relu(h);
            h = torch.matmul(h, model.Weights[l].detach()[0].to(ScalarType.Float64)).add_(model.Biases[l].detach()[0].to(ScalarType.Float64));
        }
        return h.cpu().data<double>().ToArray();
    }
}
