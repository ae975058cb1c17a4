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

// Runs the plan RunRequest built: records every planned run without a row as pending, then takes the runs one after
// another through RunLeases (skipping those completed with the same identity and those another worker holds, so that
// several processes on one database and plan train every run once), and stops the application when done. A faulted
// BackgroundService would still exit 0, so the exit code is set explicitly.
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
        var me = Worker.Start();
        var leaseTimeout = TimeSpan.FromSeconds(o.LeaseTimeoutSeconds);

        var provenance = Provenance.Collect(device, threads);
        int pending;
        using (var db = ResultsDatabase.Open(o.Db))
        {
            Register(db, experiments);
            pending = RunLeases.AddPending(db, plan, provenance);
        }
        log.LogInformation("Plan: {Runs} runs ({Pending} new, recorded pending) of {Experiments} at scale {Scale} into {Db} on {Device} with {Threads} threads, as worker {Worker}",
            plan.Count, pending, string.Join(", ", experiments.Select(e => e.Info.Name)), scale.Name(), o.Db, provenance.Device, threads, me.Id);
        if (request.Shard is { } shard)
        {
            double mine = plan.Sum(r => r.EstimatedSeconds), all = request.FullPlan.Sum(r => r.EstimatedSeconds);
            log.LogInformation("Shard {Shard}: {Runs} of the plan's {Total} runs, estimated {Seconds:F0} s of {TotalSeconds:F0} s ({Share:P0})",
                shard, plan.Count, request.FullPlan.Count, mine, all, mine / Math.Max(1e-9, all));
        }

        int completed = 0, skipped = 0, failed = 0, leftToOthers = 0, failedElsewhere = 0;
        for (int i = 0; i < plan.Count; i++)
        {
            var run = plan[i];
            using var db = ResultsDatabase.Open(o.Db);
            var attempt = RunLeases.TryTake(db, run, provenance, me, o.Force, leaseTimeout);
            switch (attempt.Outcome)
            {
                case LeaseOutcome.Completed:
                    skipped++;
                    continue;
                case LeaseOutcome.HeldByOther:
                    log.LogInformation("Skipped {Description}: held by worker {Worker} (heartbeat {Age:F0} s ago)", run.Description, attempt.OtherWorker, attempt.HeartbeatAge?.TotalSeconds);
                    leftToOthers++;
                    continue;
                case LeaseOutcome.FailedByOther:
                    log.LogWarning("Skipped {Description}: it failed in worker {Worker} during this plan and is not retried here (run the plan again to retry it)", run.Description, attempt.OtherWorker);
                    failedElsewhere++;
                    continue;
            }
            var record = attempt.Record!;
            if (attempt.OtherWorker is { } stale)
                log.LogWarning("Taking over {Description} (run {RunId}) from worker {Worker}: its last heartbeat was {Age:F0} s ago, beyond the lease timeout of {Timeout} s",
                    run.Description, record.Id, stale, attempt.HeartbeatAge?.TotalSeconds, o.LeaseTimeoutSeconds);
            using var lease = new HeldLease(o.Db, record.Id, run.Description, me.Id, leaseTimeout, log, cancellation);
            var recorder = new StorageRecorder(db, lease, record.StartedAt);
            progress.BeginRun(i + 1, plan.Count, run.Description);
            try
            {
                run.Experiment.Run(run.Config.Config, new RunContext { Seed = run.Seed, Device = device, Cancellation = lease.Token, Progress = progress }, recorder);
                if (!recorder.Complete()) throw new LeaseLostException(record.Id, lease.LostTo);
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
            catch (Exception) when (lease.Lost)
            {
                // Taken over (HeldLease logged it): the row is the new holder's now. Not a failure of the run.
                progress.EndRun("taken over", $"by worker {lease.LostTo}");
                leftToOthers++;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var reason = e is TrainingDivergedException ? e.Message : $"{e.GetType().Name}: {e.Message.Split('\n')[0]}";
                if (recorder.Fail(RunStatus.Failed, e is TrainingDivergedException ? reason : e.ToString()))
                {
                    progress.EndRun(RunStatus.Failed, reason);
                    log.LogError("Run {RunId} ({Description}) failed: {Reason}", record.Id, run.Description, reason);
                    failed++;
                }
                else leftToOthers++; // the lease was lost while it failed: the new holder decides
            }
        }
        log.LogInformation("Done: {Completed} completed, {Skipped} already completed (skipped), {Failed} failed, {LeftToOthers} left to other workers (held by them), "
            + "{FailedElsewhere} failed in other workers during this plan (not retried)", completed, skipped, failed, leftToOthers, failedElsewhere);
        return failed > 0 ? RunOutcome.RunFailed : RunOutcome.Success;
    }

    // In a write transaction: two workers starting together would otherwise both find an experiment missing and both
    // insert it.
    static void Register(ResultsDbContext db, IEnumerable<IExperiment> experiments)
    {
        using var tx = db.BeginWriteTransaction();
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
        tx.Commit();
    }
}
