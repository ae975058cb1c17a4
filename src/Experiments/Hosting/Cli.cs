using System.CommandLine;
using FourierRepro.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FourierRepro.Experiments.Hosting;

// The command line of the experiments host. Bad input is one line on stderr and exit code 2, decided before
// anything touches the database.
public static class Cli
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellation = default)
    {
        var experimentsArg = new Argument<string[]>("experiments") { Arity = ArgumentArity.OneOrMore, Description = "Experiment names (see `list`), or `all`" };
        var scale = new Option<string>("--scale") { Description = "smoke | standard | paper (default: Runner:Scale in appsettings.json, standard)" };
        var seeds = new Option<int?>("--seeds") { Description = "Runs (seeds S..S+N-1) per configuration (default: the experiment's own at that scale)" };
        var firstSeed = new Option<int?>("--first-seed") { Description = "First seed S (default 1): a replication on fresh seeds, e.g. --first-seed 101" };
        var db = new Option<string>("--db") { Description = $"Results database file (default: {ResultsDatabase.DefaultPath})" };
        var device = new Option<string>("--device") { Description = "auto | cpu | cuda (default: auto, CUDA when this build and the machine have it)" };
        var threads = new Option<int?>("--threads") { Description = "Torch threads (default: one per core)" };
        var force = new Option<bool>("--force") { Description = "Re-run runs that are already completed" };
        var shard = new Option<string>("--shard") { Description = "Run only part K of N of the plan (K/N, 1 <= K <= N; parts balanced by estimated cost, the same on every node), or auto: from FOURIER_SHARD, SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX with FOURIER_SHARD_COUNT" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan (every run with its estimated seconds, and its shard with --shard) and train nothing; the database is not opened" };
        var leaseTimeout = new Option<int?>("--lease-timeout") { Description = "Seconds without a heartbeat after which a run held by another worker is taken as abandoned and re-run here (default 300; heartbeats every 10 s, or timeout/10 when shorter; give all workers of one database the same value)" };
        var set = new Option<string[]>("--set") { Description = "Override an experiment setting: experiment.Setting=value (repeatable), e.g. spectral-bias.Iterations=500", AllowMultipleArgumentsPerToken = false };

        var run = new Command("run", "Run experiments into the results database, skipping runs already completed")
        {
            experimentsArg, scale, seeds, firstSeed, db, device, threads, force, set, shard, dryRun, leaseTimeout,
        };
        run.SetAction((result, token) =>
        {
            var values = new Dictionary<string, string?>();
            var names = result.GetValue(experimentsArg) ?? [];
            for (int i = 0; i < names.Length; i++) values[$"{RunnerOptions.Section}:Experiments:{i}"] = names[i];
            if (result.GetValue(scale) is { } s) values[$"{RunnerOptions.Section}:Scale"] = s;
            if (result.GetValue(seeds) is { } n) values[$"{RunnerOptions.Section}:Seeds"] = n.ToString();
            if (result.GetValue(firstSeed) is { } fs) values[$"{RunnerOptions.Section}:FirstSeed"] = fs.ToString();
            if (result.GetValue(db) is { } d) values[$"{RunnerOptions.Section}:Db"] = d;
            if (result.GetValue(device) is { } dv) values[$"{RunnerOptions.Section}:Device"] = dv;
            if (result.GetValue(threads) is { } t) values[$"{RunnerOptions.Section}:Threads"] = t.ToString();
            if (result.GetValue(force)) values[$"{RunnerOptions.Section}:Force"] = "true";
            if (result.GetValue(shard) is { } sh) values[$"{RunnerOptions.Section}:Shard"] = sh;
            if (result.GetValue(dryRun)) values[$"{RunnerOptions.Section}:DryRun"] = "true";
            if (result.GetValue(leaseTimeout) is { } lt) values[$"{RunnerOptions.Section}:LeaseTimeoutSeconds"] = lt.ToString();
            var sets = result.GetValue(set) ?? [];
            for (int i = 0; i < sets.Length; i++) values[$"{RunnerOptions.Section}:Set:{i}"] = sets[i];
            return RunHostAsync(values, token);
        });

        var list = new Command("list", "List the experiments and the paper figure each reproduces");
        list.SetAction(_ =>
        {
            Console.WriteLine($"{"experiment",-26} {"paper",-22} {"reproduces",-16} summary");
            foreach (var e in ExperimentCatalog.All)
                Console.WriteLine($"{e.Info.Name,-26} {e.Info.Paper,-22} {e.Info.Reproduces,-16} {e.Info.Summary}");
            return 0;
        });

        var quick = new Option<bool>("--quick") { Description = "Fewer repeats and smaller sizes (a minute instead of several)" };
        var json = new Option<string?>("--json") { Description = "Also write the results as JSON to this file" };
        var benchThreads = new Option<int?>("--threads") { Description = "Torch threads (default: one per core)" };
        var ntkOnly = new Option<bool>("--ntk-only") { Description = "Only the analytic NTK rows (kernel + solve, kernel alone before and after)" };
        var bench = new Command("bench", "Measure training steps, the NTK, database writes and memory, as ratios to this machine's GEMM rate")
        {
            quick, json, benchThreads, ntkOnly,
        };
        bench.SetAction(r => Bench.Run(r.GetValue(quick), r.GetValue(json), r.GetValue(benchThreads) ?? 0, Console.Out, r.GetValue(ntkOnly)));

        var root = new RootCommand("FourierRepro experiments: train the papers' models and record every run in the results database")
        {
            run, list, bench,
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            Console.Error.WriteLine($"error: {parsed.Errors[0].Message} (see --help)");
            return RunOutcome.BadInput;
        }
        return await parsed.InvokeAsync(cancellationToken: cancellation);
    }

    static async Task<int> RunHostAsync(Dictionary<string, string?> commandLine, CancellationToken cancellation)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            DisableDefaults = false,
        });
        builder.Configuration.AddEnvironmentVariables("FOURIER_");
        builder.Configuration.AddInMemoryCollection(commandLine);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });

        // Bound, checked and planned once, before the host starts, so that bad input never reaches the database.
        RunRequest request;
        try { request = RunRequest.Resolve(builder.Configuration); }
        catch (Exception e) when (e is ConfigException or ResultsDatabaseException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return RunOutcome.BadInput;
        }

        if (request.Options.DryRun)
        {
            PlanPrinter.Print(Console.Out, request);
            return RunOutcome.Success;
        }

        builder.Services.AddSingleton(request);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));
        builder.Services.AddSingleton<RunOutcome>();
        builder.Services.AddSingleton(_ => new ProgressDisplay(Console.Out));
        builder.Services.AddHostedService<ExperimentRunner>();

        using var host = builder.Build();
        var outcome = host.Services.GetRequiredService<RunOutcome>();
        await host.RunAsync(cancellation);
        return outcome.ExitCode;
    }
}
