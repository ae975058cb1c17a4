using System.Reflection;
using FourierRepro.Storage;
using Microsoft.Extensions.Configuration;

namespace FourierRepro.Experiments.Hosting;

// The "Runner" configuration section: appsettings.json, then FOURIER_Runner__* environment variables,
// then the command line, each overriding the one before. Only bound here; RunRequest.Resolve checks it.
public sealed class RunnerOptions
{
    public const string Section = "Runner";

    public string[] Experiments { get; set; } = [];
    public string Scale { get; set; } = "standard"; // text only until RunRequest.Resolve parses it, once
    public int? Seeds { get; set; }                 // runs per configuration; null = the experiment's default at this scale
    public int FirstSeed { get; set; } = 1;         // seeds FirstSeed .. FirstSeed + Seeds - 1
    public string Db { get; set; } = ResultsDatabase.DefaultPath;
    public string Device { get; set; } = "auto";    // auto | cpu | cuda
    public int Threads { get; set; }                // torch intra-op threads; 0 = one per core
    public bool Force { get; set; }                 // re-run completed runs too
    public string[] Set { get; set; } = [];         // experiment.Key=value overrides of experiment settings
    public string? Shard { get; set; }              // K/N or auto: only the K-th of N cost-balanced parts of the plan
    public bool DryRun { get; set; }                // print the plan (runs, estimated seconds, shards) and train nothing
    public int LeaseTimeoutSeconds { get; set; } = 300; // a running run whose heartbeat is older is taken over (HeldLease)

    public static IReadOnlyList<string> Names { get; } =
        typeof(RunnerOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).ToArray();
}

// What `run` was asked to do, bound and checked in one place before the host starts (STYLE 3, nanoGPT's strict
// overrides): the scale parsed, the experiments found, every override (appsettings.json, environment, --set)
// applied to its typed configuration and the plan built. The runner gets typed values only.
public sealed record RunRequest(RunnerOptions Options, Scale Scale, IReadOnlyList<IExperiment> Experiments, IReadOnlyList<PlannedRun> Plan)
{
    // The shard this process runs, with the whole plan it is a part of (Plan is then the shard's runs only).
    public ShardSpec? Shard { get; init; }
    public IReadOnlyList<PlannedRun> FullPlan { get; init; } = Plan;

    public const string ExperimentsSection = "Experiments"; // Experiments:<name>:<scale>:<Setting>

    // Throws ConfigException (naming the configuration key at fault) or ResultsDatabaseException. Reads nothing
    // but the configuration and the file system: the database is neither opened nor created.
    public static RunRequest Resolve(IConfiguration configuration, Func<string, string?>? environment = null)
    {
        var options = BindRunner(configuration.GetSection(RunnerOptions.Section));
        if (!ScaleNames.TryParse(options.Scale, out var scale)) throw new ConfigException($"unknown scale '{options.Scale}' (known: {string.Join(", ", ScaleNames.All)})");
        if (options.Seeds is <= 0) throw new ConfigException($"--seeds must be a positive number, not {options.Seeds}");
        if (options.FirstSeed <= 0) throw new ConfigException($"--first-seed must be a positive number, not {options.FirstSeed}");
        if (options.Device is not ("auto" or "cpu" or "cuda")) throw new ConfigException($"unknown device '{options.Device}' (known: auto, cpu, cuda)");
        if (options.Threads < 0) throw new ConfigException($"--threads must be 0 (one per core) or positive, not {options.Threads}");
        if (options.LeaseTimeoutSeconds <= 0) throw new ConfigException($"--lease-timeout must be a positive number of seconds, not {options.LeaseTimeoutSeconds}");
        if (options.Experiments.Length == 0) throw new ConfigException("name at least one experiment, or all (see `list`)");
        foreach (var e in options.Experiments)
            if (e != "all" && ExperimentCatalog.Find(e) is null)
                throw new ConfigException($"unknown experiment '{e}' (known: {string.Join(", ", ExperimentCatalog.All.Select(x => x.Info.Name))}, all)");
        var experiments = options.Experiments.Contains("all", StringComparer.OrdinalIgnoreCase)
            ? ExperimentCatalog.All
            : options.Experiments.Select(n => ExperimentCatalog.Find(n)!).Distinct().ToList();

        CheckFileOverrides(configuration.GetSection(ExperimentsSection), experiments, scale, RunPlan.ParseSettings(options.Set, experiments));
        var plan = RunPlan.Build(experiments, scale, options.Seeds, options.Set,
            name => Settings(configuration.GetSection($"{ExperimentsSection}:{name}:{scale.Name()}")), options.FirstSeed);
        ShardSpec? shard = options.Shard is null ? null : ShardSpec.Parse(options.Shard, environment ?? Environment.GetEnvironmentVariable);
        if (!options.DryRun) ResultsDatabase.Validate(options.Db);
        return new RunRequest(options, scale, experiments, shard is { } s ? Shards.Select(plan, s) : plan) { Shard = shard, FullPlan = plan };
    }

    // A key the binder would skip silently (FOURIER_Runner__Scael=smoke) is an error; so is a value it cannot convert.
    static RunnerOptions BindRunner(IConfigurationSection section)
    {
        foreach (var child in section.GetChildren())
            if (!RunnerOptions.Names.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                throw new ConfigException($"unknown setting '{child.Path}' (known: {string.Join(", ", RunnerOptions.Names)})");
        var options = new RunnerOptions();
        try { section.Bind(options); }
        catch (InvalidOperationException e) { throw new ConfigException(e.Message); }
        return options;
    }

    // A misspelled experiment, scale or setting under Experiments is an error naming its key, not a setting never
    // applied. Every <name>:<scale> section is planned with its own settings (the check --set gets: each key must be a
    // property of the experiment's configuration, each value of its type, even where --set overrides it); a section
    // this run uses is planned again with --set on top, and only that combination must pass the experiment's checks
    // across settings (a file's Frequencies may need the --set Points).
    static void CheckFileOverrides(IConfigurationSection experimentsSection, IReadOnlyList<IExperiment> running, Scale runScale,
        Dictionary<string, Dictionary<string, string>> fromCommandLine)
    {
        foreach (var byName in experimentsSection.GetChildren())
        {
            var experiment = ExperimentCatalog.Find(byName.Key)
                ?? throw new ConfigException($"unknown experiment '{byName.Key}' in '{FirstKey(byName)}' (known: {string.Join(", ", ExperimentCatalog.All.Select(x => x.Info.Name))})");
            if (byName.Value is not null) throw new ConfigException($"'{byName.Path}' has a value; expected {ExperimentsSection}:<name>:<scale>:<Setting>");
            foreach (var byScale in byName.GetChildren())
            {
                if (!ScaleNames.TryParse(byScale.Key, out var scale))
                    throw new ConfigException($"unknown scale '{byScale.Key}' in '{FirstKey(byScale)}' (known: {string.Join(", ", ScaleNames.All)})");
                if (byScale.Value is not null) throw new ConfigException($"'{byScale.Path}' has a value; expected {ExperimentsSection}:<name>:<scale>:<Setting>");
                var fromFile = Settings(byScale);
                var fromSet = scale == runScale && running.Contains(experiment) && fromCommandLine.TryGetValue(experiment.Info.Name, out var s) ? s : [];
                // The file's own keys and values: a misspelled or mistyped one is an error even where --set wins.
                try { experiment.Plan(scale, fromFile); }
                catch (ConfigException e) when (e.Key is not null || fromSet.Count == 0)
                {
                    throw new ConfigException(e.Key is not null ? $"'{byScale.Path}:{e.Key}': {e.Message}" : $"in '{byScale.Path}': {e.Message}");
                }
                catch (ConfigException) { } // a combination of settings that --set may put right: the plan below decides
                if (fromSet.Count == 0) continue;
                // The combination this run uses; a problem with a --set value itself reads as it does without a file section.
                var settings = new Dictionary<string, string>(fromFile, StringComparer.OrdinalIgnoreCase);
                foreach (var (k, v) in fromSet) settings[k] = v;
                try { experiment.Plan(scale, settings); }
                catch (ConfigException e) when (e.Key is null) { throw new ConfigException($"in '{byScale.Path}' with --set: {e.Message}"); }
            }
        }
    }

    // "Experiments:<name>:<scale>" → { Setting: value }; an array (appsettings.json [5, 10]) becomes "5,10" as for --set.
    static Dictionary<string, string> Settings(IConfigurationSection byScale) =>
        byScale.GetChildren()
            .Where(c => c.Value is not null || c.GetChildren().Any())
            .ToDictionary(c => c.Key, c => c.Value ?? string.Join(",", c.GetChildren().Select(x => x.Value)), StringComparer.OrdinalIgnoreCase);

    static string FirstKey(IConfigurationSection section) =>
        section.AsEnumerable().Where(p => p.Value is not null).Select(p => p.Key).FirstOrDefault() ?? section.Path;
}
