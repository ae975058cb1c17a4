using FourierRepro.Experiments.Core;
using TorchSharp;

namespace FourierRepro.Experiments;

// The contract between experiment families and the host. Families know nothing of hosting, the command line or SQL.

public sealed record ExperimentInfo(string Name, string Paper, string Reproduces, string Summary);

// What a run records. Metric series are scalars over steps; arrays are whole tensors a figure needs.
public interface IRunRecorder
{
    void Metric(string name, long step, double value);
    void Array(string name, long step, int[] shape, ReadOnlySpan<float> data);
    void Array(string name, long step, int[] shape, ReadOnlySpan<double> data);
}

public interface IRunProgress
{
    // Progress within the current run, `done` of `total` units (usually iterations).
    void Report(long done, long total);
}

public sealed class RunContext
{
    public required int Seed { get; init; }
    public required torch.Device Device { get; init; }
    public required CancellationToken Cancellation { get; init; }
    public required IRunProgress Progress { get; init; }

    // An independent random stream of this run, by name ("init", "phases", …): STYLE 4.
    public Rng Rng(string stream) => Core.Rng.Derive(Seed, stream);
}

// One point of an experiment's configuration grid: a label for people and the resolved configuration. MaxSeeds caps
// its seeds below the plan's (negative-control points that need fewer runs than the real ones).
public sealed record PlannedConfig(string Label, object Config)
{
    public int? MaxSeeds { get; init; }
}

public interface IExperiment
{
    ExperimentInfo Info { get; }
    IReadOnlyList<MetricInfo> Metrics { get; }
    int DefaultSeeds(Scale scale);

    // The grid at `scale`, after applying `overrides` (key → value, keys are the config's property names;
    // unknown keys and values of the wrong type are errors).
    IReadOnlyList<PlannedConfig> Plan(Scale scale, IReadOnlyDictionary<string, string> overrides);

    void Run(object config, RunContext context, IRunRecorder recorder);

    // Estimated seconds of one run of this grid point on the development machine (Core/CostModel): what a shard split
    // balances. A pure function of the configuration, so every node computes the same split.
    double EstimatedSeconds(object config);

    // The canonical JSON of the configuration defaults at `scale` (the paper's own settings at Scale.Paper), kept in the
    // database so that a report can list where a run's settings differ from the paper's.
    string DefaultsJson(Scale scale);
}

// Typed configuration (STYLE 3): a C# record with defaults per scale, overrides checked against it, and the
// canonical JSON of the resolved record stored with every run.
public abstract class Experiment<TConfig> : IExperiment where TConfig : class
{
    public abstract ExperimentInfo Info { get; }
    public abstract IReadOnlyList<MetricInfo> Metrics { get; }
    public abstract int DefaultSeeds(Scale scale);
    public abstract TConfig Defaults(Scale scale);

    // Checks a resolved configuration; returns the problems, empty when valid.
    protected virtual IEnumerable<string> Validate(TConfig config) => [];

    protected abstract IEnumerable<PlannedConfig> Grid(TConfig config);

    protected abstract void Run(TConfig config, RunContext context, IRunRecorder recorder);

    // The run's main loops counted through Core/CostModel (training steps, evaluation sweeps, kernels).
    protected abstract double EstimatedSeconds(TConfig config);

    public IReadOnlyList<PlannedConfig> Plan(Scale scale, IReadOnlyDictionary<string, string> overrides)
    {
        var config = ConfigOverrides.Apply(Defaults(scale), overrides, Info.Name);
        var problems = Validate(config).ToList();
        if (problems.Count > 0) throw new ConfigException($"{Info.Name}: {problems[0]}");
        return Grid(config).ToList();
    }

    void IExperiment.Run(object config, RunContext context, IRunRecorder recorder) => Run((TConfig)config, context, recorder);

    double IExperiment.EstimatedSeconds(object config) => EstimatedSeconds((TConfig)config);

    public string DefaultsJson(Scale scale) => ConfigOverrides.CanonicalJson(Defaults(scale));
}
