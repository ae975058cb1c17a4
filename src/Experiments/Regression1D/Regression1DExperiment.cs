using FourierRepro.Experiments.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace FourierRepro.Experiments.Regression1D;

// Tancik et al. 2020 in 1D: a 4×256 ReLU MLP (NT 'standard' init, as the 1D notebooks) fitted to 1/f^α noise from
// half of its samples. Without a mapping it returns a smooth curve through the training points; Fourier features
// let it follow the signal between them (test error drops), until σ is so large that it interpolates with noise.
// One run = one mapping; the run's seed picks the signals (the same for every mapping), B and the initial weights.
public sealed class Regression1DExperiment : Experiment<Regression1DConfig>
{
    public const string Name = Regression1DContract.Experiment;

    public override ExperimentInfo Info { get; } = new(Name, "Tancik et al. 2020", "1D demonstration (cf. Figs. 3, 4)",
        "4x256 ReLU MLP on 1/f noise, trained on even samples, tested on odd: no mapping, basic, positional encoding, Gaussian at a few sigma");

    public override IReadOnlyList<MetricInfo> Metrics { get; } = Regression1DContract.Metrics;

    // × Signals per run: 6 signals per mapping at smoke, 8 at standard and paper (R1D-1's sign-flip test over them has
    // smallest p 2^-n: n >= 5 needed for p < 0.05).
    public override int DefaultSeeds(Scale scale) => 2;

    public override Regression1DConfig Defaults(Scale scale) => scale switch
    {
        // σ scales with Points (σ in cycles per unit interval; the same width in samples), posenc to the training
        // Nyquist. Smoke: 256 points × 3 signals, 200 steps per run (12 runs: ~50 s with 1 thread on the shared machine
        // with 2 signals); the Fourier mappings converge in ~50 steps.
        Scale.Smoke => new() { Points = 256, GaussianSigmas = [1, 16, 256], PosEncScale = 7, Signals = 3, Iterations = 200, RecordEvery = 20 },
        // 512 points × 4 signals, 400 steps per run, 12 runs.
        Scale.Standard => new() { Points = 512, GaussianSigmas = [2, 32, 512], PosEncScale = 8, Iterations = 400, RecordEvery = 20 },
        _ => new(),
    };

    // Signals networks trained together on the even points; every frame predicts the whole grid. The input width is the
    // run's own mapping's (a fixed stream stands in for the run's B: only its shape counts).
    protected override double EstimatedSeconds(Regression1DConfig c)
    {
        var shape = new MlpShape(Mapping(c, Rng.Derive(0, "cost")).OutputDim, c.Width, c.Depth, 1);
        return CostModel.Training(shape, c.Points, c.Iterations, c.Signals) + CostModel.Forward(shape, 2L * c.Points, CostModel.Frames(c.Iterations, c.RecordEvery), c.Signals);
    }

    protected override IEnumerable<string> Validate(Regression1DConfig c)
    {
        foreach (var m in c.Mappings)
            if (m is not (Regression1DConfig.None or Regression1DConfig.Basic or Regression1DConfig.PosEnc or Regression1DConfig.Gaussian))
                yield return $"unknown mapping '{m}' (known: none, basic, posenc, gaussian)";
        if (c.Mappings.Contains(Regression1DConfig.Gaussian) && c.GaussianSigmas.Length == 0) yield return "GaussianSigmas is empty";
        if (c.GaussianSigmas.Any(s => !(s > 0))) yield return "GaussianSigmas must be positive";
        if (c.Points < 2 || c.Signals < 1 || c.Features < 1 || c.Depth < 2 || c.Width < 1 || c.Iterations < 1 || c.RecordEvery < 1)
            yield return "Points ≥ 2, Depth ≥ 2 and Signals, Features, Width, Iterations, RecordEvery positive";
        if (c.LearningRate <= 0) yield return "LearningRate must be positive";
        if (c.SignalSha256 is not null) yield return "SignalSha256 is computed from the Signal file by the planner, not set";
        if (c.Signal is not null && SignalProblem(c.Signal) is { } problem) yield return problem;
    }

    // A signal file of one's own must read as one column of at least 4 finite numbers, an even count (the even samples
    // train, the odd ones test: at least 2 of each); checked here so that a wrong file stops the plan before any run.
    const int MinimumSignalSamples = 4;

    static string? SignalProblem(string entry)
    {
        var path = Path.GetFullPath(entry);
        try
        {
            var values = SignalFiles.Parse(InputFiles.Read(path), path, MinimumSignalSamples);
            return values.Length % 2 == 0 ? null
                : $"Signal: signal file {path} has {values.Length} values: an even number is needed (the even samples train, the odd ones test)";
        }
        catch (InputFileException e) { return $"Signal: {e.Message}"; }
    }

    // With a signal of one's own each run's configuration records the file's absolute path and SHA-256 (the identity
    // follows the content: a changed file is a new run, an unchanged one is skipped), and the grid it implies: Points =
    // N/2 training samples and Signals = 1. Without one, the configuration is untouched and so is every run's hash.
    static Regression1DConfig WithSignalFile(Regression1DConfig c)
    {
        if (c.Signal is null) return c;
        var path = Path.GetFullPath(c.Signal);
        try
        {
            var bytes = InputFiles.Read(path);
            var values = SignalFiles.Parse(bytes, path, MinimumSignalSamples);
            return c with { Signal = path, SignalSha256 = InputFiles.Sha256(bytes), Points = values.Length / 2, Signals = 1 };
        }
        catch (InputFileException e) { throw new ConfigException($"{Name}: Signal: {e.Message}"); } // changed since Validate
    }

    // The run's targets: the generated 1/f^α signals, or the file's one signal as it is (not normalised: its errors are
    // in the file's units), refused when the file changed since the plan hashed it.
    static double[][] Targets(Regression1DConfig c, RunContext context)
    {
        if (c.Signal is null)
        {
            var signalRng = context.Rng("signals");
            return Enumerable.Range(0, c.Signals).Select(_ => PowerLawSignals.SampleNormalized(2 * c.Points, c.Alpha, signalRng)).ToArray();
        }
        var bytes = InputFiles.Read(c.Signal);
        var actual = InputFiles.Sha256(bytes);
        if (actual != c.SignalSha256) throw new InputFileException($"signal file {c.Signal} changed since the plan was made (SHA-256 {actual}, planned {c.SignalSha256}): run again");
        var values = SignalFiles.Parse(bytes, c.Signal, MinimumSignalSamples);
        if (values.Length != 2 * c.Points) throw new InputFileException($"signal file {c.Signal} has {values.Length} values, the plan {2 * c.Points}");
        return [values];
    }

    protected override IEnumerable<PlannedConfig> Grid(Regression1DConfig c)
    {
        c = WithSignalFile(c);
        var prefix = c.Signal is null ? "" : $"{Path.GetFileName(c.Signal)}/"; // the label names the file: the runs table shows what was fitted
        foreach (var m in c.Mappings)
        {
            if (m == Regression1DConfig.Gaussian)
                foreach (var s in c.GaussianSigmas)
                    yield return new PlannedConfig($"{prefix}gaussian sigma={s:G4}", c with { Mappings = [m], GaussianSigmas = [s] });
            else
                yield return new PlannedConfig(prefix + m, c with { Mappings = [m], GaussianSigmas = [] });
        }
    }

    // 1D mappings are divided by ‖a‖ as in the 1D notebooks (so ‖γ(x)‖ = 1); no mapping feeds x − 0.5.
    public static InputMapping Mapping(Regression1DConfig c, Rng rng)
    {
        switch (c.SingleMapping())
        {
            case Regression1DConfig.None: return InputMapping.None(1, offset: 0.5);
            case Regression1DConfig.Basic: return InputMapping.Basic(1, normalizeByNormA: true);
            case Regression1DConfig.PosEnc:
                var p = InputMapping.PositionalEncoding(1, c.PosEncScale, c.Features);
                return InputMapping.General($"posenc(s={c.PosEncScale})", p.B, p.A, normalizeByNormA: true);
            case Regression1DConfig.Gaussian:
                var g = InputMapping.Gaussian(1, c.Features, c.SingleSigma(), rng);
                return InputMapping.General(g.Name, g.B, g.A, normalizeByNormA: true);
            default: throw new ConfigException($"{Name}: unknown mapping '{c.SingleMapping()}'");
        }
    }

    protected override void Run(Regression1DConfig c, RunContext context, IRunRecorder recorder)
    {
        var signals = Targets(c, context);
        int grid = 2 * c.Points, k = signals.Length;
        var x = Signals.UnitGrid(grid);
        recorder.Array(Regression1DContract.X, 0, [grid], x);
        recorder.Array(Regression1DContract.Target, 0, [k, grid], signals.SelectMany(s => s).ToArray());

        var mapping = Mapping(c, context.Rng("gaussian-B"));
        using var scope = torch.NewDisposeScope();
        var device = context.Device;
        var features = mapping.Encode(torch.tensor(x.Select(v => (float)v).ToArray(), [grid, 1L])).to(device); // once per run
        var targets = torch.tensor(signals.SelectMany(s => s.Select(v => (float)v)).ToArray(), [k, grid, 1L]).to(device);
        var trainIdx = torch.arange(0, grid, 2, dtype: ScalarType.Int64, device: device);
        var testIdx = torch.arange(1, grid, 2, dtype: ScalarType.Int64, device: device);
        var trainX = features.index_select(0, trainIdx);
        var trainY = targets.index_select(1, trainIdx);
        var testY = targets.index_select(1, testIdx);

        var memberRngs = Enumerable.Range(0, k).Select(i => context.Rng($"init-{i}")).ToList();
        using var model = new Mlp(new MlpShape(mapping.OutputDim, c.Width, c.Depth, 1), MlpInit.NtStandard, memberRngs, device);
        var settings = new TrainSettings(c.Iterations, c.LearningRate, c.RecordEvery, Loss: LossKind.HalfSumSquared);
        Trainer.Train(model, trainX, trainY, settings, frame =>
        {
            using var inner = torch.NewDisposeScope();
            using var _ = torch.no_grad();
            var full = model.Forward(features);                                  // [K, grid, 1]
            var train = PerMemberMse(frame.Prediction, trainY);
            var test = PerMemberMse(full.index_select(1, testIdx), testY);
            recorder.Metric(Regression1DContract.TrainMse, frame.Iteration, train.Average());
            recorder.Metric(Regression1DContract.TestMse, frame.Iteration, test.Average());
            if (frame.Iteration == 0) // the untrained networks: R1D-1's negative control
            {
                recorder.Array(Regression1DContract.InitialTrainMse, 0, [k], train);
                recorder.Array(Regression1DContract.InitialTestMse, 0, [k], test);
            }
            if (frame.Iteration == c.Iterations)
            {
                recorder.Array(Regression1DContract.Prediction, frame.Iteration, [k, grid], full.cpu().data<float>().ToArray());
                recorder.Array(Regression1DContract.FinalTrainMse, frame.Iteration, [k], train);
                recorder.Array(Regression1DContract.FinalTestMse, frame.Iteration, [k], test);
            }
        }, context.Cancellation, i => context.Progress.Report(i, c.Iterations));
    }

    static double[] PerMemberMse(Tensor prediction, Tensor target) =>
        (prediction.to(ScalarType.Float64) - target.to(ScalarType.Float64)).square().mean([1, 2]).cpu().data<double>().ToArray();
}
