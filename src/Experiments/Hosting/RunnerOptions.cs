using FourierRepro.Storage;
using Microsoft.Extensions.Options;

namespace FourierRepro.Experiments.Hosting;

// The "Runner" configuration section: appsettings.json, then FOURIER_Runner__* environment variables,
// then the command line, each overriding the one before.
public sealed class RunnerOptions
{
    public const string Section = "Runner";

    public string[] Experiments { get; set; } = [];
    public string Scale { get; set; } = "standard";
    public int? Seeds { get; set; }                 // runs per configuration; null = the experiment's default at this scale
    public int FirstSeed { get; set; } = 1;         // seeds FirstSeed .. FirstSeed + Seeds - 1
    public string Db { get; set; } = ResultsDatabase.DefaultPath;
    public string Device { get; set; } = "auto";    // auto | cpu | cuda
    public int Threads { get; set; }                // torch intra-op threads; 0 = one per core
    public bool Force { get; set; }                 // re-run completed runs too
    public string[] Set { get; set; } = [];         // experiment.Key=value overrides of experiment settings
}

public sealed class RunnerOptionsValidator : IValidateOptions<RunnerOptions>
{
    public ValidateOptionsResult Validate(string? name, RunnerOptions o)
    {
        var problems = new List<string>();
        if (!ScaleNames.TryParse(o.Scale, out _)) problems.Add($"unknown scale '{o.Scale}' (known: smoke, standard, paper)");
        if (o.Seeds is <= 0) problems.Add($"--seeds must be a positive number, not {o.Seeds}");
        if (o.FirstSeed <= 0) problems.Add($"--first-seed must be a positive number, not {o.FirstSeed}");
        if (o.Device is not ("auto" or "cpu" or "cuda")) problems.Add($"unknown device '{o.Device}' (known: auto, cpu, cuda)");
        if (o.Threads < 0) problems.Add($"--threads must be 0 (one per core) or positive, not {o.Threads}");
        foreach (var e in o.Experiments)
            if (e != "all" && ExperimentCatalog.Find(e) is null)
                problems.Add($"unknown experiment '{e}' (known: {string.Join(", ", ExperimentCatalog.All.Select(x => x.Info.Name))}, all)");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
