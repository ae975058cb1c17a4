namespace FourierRepro.Experiments.Hosting;

public sealed record PlannedRun(IExperiment Experiment, Scale Scale, int Seed, PlannedConfig Config, string ConfigJson, string ConfigHash)
{
    public string Description => $"{Experiment.Info.Name} {Config.Label} seed {Seed}";

    // The run's identity as text (experiment, scale, seed, configuration hash): what a shard split orders by.
    public string IdentityKey => $"{Experiment.Info.Name}|{Scale.Name()}|{Seed}|{ConfigHash}";

    public double EstimatedSeconds { get; } = Experiment.EstimatedSeconds(Config.Config);
}

public static class RunPlan
{
    // experiment × configuration grid × seeds firstSeed..firstSeed+N−1. Throws ConfigException on a bad override.
    public static List<PlannedRun> Build(IEnumerable<IExperiment> experiments, Scale scale, int? seeds, IReadOnlyList<string> settings,
        Func<string, IReadOnlyDictionary<string, string>>? fileOverrides = null, int firstSeed = 1)
    {
        var chosen = experiments.ToList();
        var byExperiment = ParseSettings(settings, chosen);
        var plan = new List<PlannedRun>();
        foreach (var experiment in chosen)
        {
            var overrides = new Dictionary<string, string>(fileOverrides?.Invoke(experiment.Info.Name) ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
            if (byExperiment.TryGetValue(experiment.Info.Name, out var fromCli))
                foreach (var (k, v) in fromCli) overrides[k] = v;
            int n = seeds ?? experiment.DefaultSeeds(scale);
            foreach (var config in experiment.Plan(scale, overrides))
            {
                var json = ConfigOverrides.CanonicalJson(config.Config);
                var hash = ConfigOverrides.Hash(json);
                for (int seed = firstSeed; seed < firstSeed + Math.Min(n, config.MaxSeeds ?? n); seed++) plan.Add(new PlannedRun(experiment, scale, seed, config, json, hash));
            }
        }
        return plan;
    }

    // "--set spectral-bias.Iterations=500" → { spectral-bias: { Iterations: 500 } }
    public static Dictionary<string, Dictionary<string, string>> ParseSettings(IReadOnlyList<string> settings, IReadOnlyList<IExperiment> chosen)
    {
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var setting in settings)
        {
            int eq = setting.IndexOf('='), dot = setting.IndexOf('.');
            if (eq < 0 || dot < 0 || dot > eq) throw new ConfigException($"--set '{setting}': expected experiment.Setting=value, e.g. spectral-bias.Iterations=500");
            var name = setting[..dot];
            if (!chosen.Any(e => string.Equals(e.Info.Name, name, StringComparison.OrdinalIgnoreCase)))
                throw new ConfigException($"--set '{setting}': '{name}' is not among the experiments being run");
            if (!result.TryGetValue(name, out var map)) result[name] = map = new(StringComparer.OrdinalIgnoreCase);
            map[setting[(dot + 1)..eq]] = setting[(eq + 1)..];
        }
        return result;
    }
}
