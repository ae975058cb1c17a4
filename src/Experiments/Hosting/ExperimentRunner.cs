using FourierRepro.Experiments.Core;
using FourierRepro.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FourierRepro.Experiments.Hosting;

public sealed class RunOutcome
{
    public const int Success = 0, RunFailed = 1, BadInput = 2, Interrupted = 130;
    public int ExitCode { get; set; } = Success;
}

// Runs the plan RunRequest built: skips the runs completed with the same identity, runs the rest one after another,
// and stops the application when done. A faulted BackgroundService would still exit 0, so the exit code is set
// explicitly.
public sealed class ExperimentRunner(RunRequest request, RunOutcome outcome,
    ProgressDisplay progress, IHostApplicationLifetime lifetime, ILogger<ExperimentRunner> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // The whole plan runs on one thread: TorchSharp dispose scopes are per thread.
            outcome.ExitCode = await Task.Factory.StartNew(() => Execute(stoppingToken), TaskCreationOptions.LongRunning);
        }
        catch (Exception e) when (e is ConfigException or ResultsDatabaseException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            outcome.ExitCode = RunOutcome.BadInput;
        }
        catch (Exception e)
        {
            log.LogCritical(e, "The runner stopped on an unexpected error");
            outcome.ExitCode = RunOutcome.RunFailed;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    int Execute(CancellationToken cancellation)
    {
        var (o, scale, experiments, plan) = request;
        var device = TorchSetup.SelectDevice(o.Device);
        int threads = TorchSetup.ConfigureThreads(o.Threads);

        using (var db = ResultsDatabase.Open(o.Db)) Register(db, experiments);
        var provenance = Provenance.Collect(device, threads);
        log.LogInformation("Plan: {Runs} runs of {Experiments} at scale {Scale} into {Db} on {Device} with {Threads} threads",
            plan.Count, string.Join(", ", experiments.Select(e => e.Info.Name)), scale.Name(), o.Db, provenance.Device, threads);
        if (request.Shard is { } shard)
            log.LogInformation("Shard {Shard}: {Runs} of the plan's {Total} runs, estimated {Seconds:F0} s of {TotalSeconds:F0} s ({Share:P0})",
                shard, plan.Count, request.FullPlan.Count, plan.Sum(r => r.EstimatedSeconds), request.FullPlan.Sum(r => r.EstimatedSeconds),
                plan.Sum(r => r.EstimatedSeconds) / Math.Max(1e-9, request.FullPlan.Sum(r => r.EstimatedSeconds)));

        int completed = 0, skipped = 0, failed = 0;
        for (int i = 0; i < plan.Count; i++)
        {
            var run = plan[i];
            using var db = ResultsDatabase.Open(o.Db);
            var existing = db.Runs.SingleOrDefault(r => r.Experiment == run.Experiment.Info.Name && r.Scale == run.Scale.Name() && r.Seed == run.Seed && r.ConfigHash == run.ConfigHash);
            if (existing?.Status == RunStatus.Completed && !o.Force)
            {
                skipped++;
                continue;
            }
            var record = StartRecord(db, existing, run, provenance);
            var recorder = new StorageRecorder(db, record.Id, record.StartedAt);
            progress.BeginRun(i + 1, plan.Count, run.Description);
            try
            {
                run.Experiment.Run(run.Config.Config, new RunContext { Seed = run.Seed, Device = device, Cancellation = cancellation, Progress = progress }, recorder);
                recorder.Complete();
                progress.EndRun(RunStatus.Completed);
                completed++;
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                recorder.Fail(RunStatus.Interrupted, "interrupted (Ctrl+C or host shutdown)");
                progress.EndRun(RunStatus.Interrupted);
                log.LogWarning("Interrupted: run {RunId} ({Description}) is marked interrupted and will re-run next time", record.Id, run.Description);
                return RunOutcome.Interrupted;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var reason = e is TrainingDivergedException ? e.Message : $"{e.GetType().Name}: {e.Message.Split('\n')[0]}";
                recorder.Fail(RunStatus.Failed, e is TrainingDivergedException ? reason : e.ToString());
                progress.EndRun(RunStatus.Failed, reason);
                log.LogError("Run {RunId} ({Description}) failed: {Reason}", record.Id, run.Description, reason);
                failed++;
            }
        }
        log.LogInformation("Done: {Completed} completed, {Skipped} already completed (skipped), {Failed} failed", completed, skipped, failed);
        return failed > 0 ? RunOutcome.RunFailed : RunOutcome.Success;
    }

    static void Register(ResultsDbContext db, IEnumerable<IExperiment> experiments)
    {
        foreach (var e in experiments)
        {
            var row = db.Experiments.Find(e.Info.Name);
            if (row is null) db.Experiments.Add(row = new ExperimentRecord { Name = e.Info.Name, Paper = "", Reproduces = "", Summary = "" });
            row.Paper = e.Info.Paper;
            row.Reproduces = e.Info.Reproduces;
            row.Summary = e.Info.Summary;
            row.PaperDefaults = e.DefaultsJson(Scale.Paper);
            foreach (var m in e.Metrics)
            {
                var def = db.MetricDefinitions.Find(e.Info.Name, m.Name);
                if (def is null) db.MetricDefinitions.Add(def = new MetricDefinition { Experiment = e.Info.Name, Name = m.Name, Goal = "", Unit = "", Description = "" });
                def.Goal = m.Goal;
                def.Unit = m.Unit;
                def.Description = m.Description;
            }
        }
        db.SaveChanges();
    }

    // A new row, or the row of a failed / interrupted / stale-running (or, with --force, completed) run reset:
    // its old rows are deleted and it starts again.
    static RunRecord StartRecord(ResultsDbContext db, RunRecord? existing, PlannedRun run, Provenance p)
    {
        using var tx = db.Database.BeginTransaction();
        var record = existing ?? new RunRecord
        {
            Experiment = run.Experiment.Info.Name, Scale = run.Scale.Name(), Seed = run.Seed, Label = run.Config.Label,
            ConfigJson = run.ConfigJson, ConfigHash = run.ConfigHash, Status = RunStatus.Running,
            Device = p.Device, CodeVersion = p.CodeVersion, LibraryVersions = p.LibraryVersions, Host = p.Host,
        };
        if (existing is not null)
        {
            db.Metrics.Where(m => m.RunId == existing.Id).ExecuteDelete();
            db.Arrays.Where(a => a.RunId == existing.Id).ExecuteDelete();
        }
        else db.Runs.Add(record);
        record.Status = RunStatus.Running;
        record.Attempts++;
        record.Device = p.Device;
        record.Threads = p.Threads;
        record.CodeVersion = p.CodeVersion;
        record.LibraryVersions = p.LibraryVersions;
        record.Host = p.Host;
        record.StartedAt = DateTime.UtcNow;
        record.FinishedAt = null;
        record.DurationSeconds = null;
        record.Error = null;
        db.SaveChanges();
        tx.Commit();
        return record;
    }
}
