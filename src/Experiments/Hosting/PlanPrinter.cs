namespace FourierRepro.Experiments.Hosting;

// `run --dry-run`: the plan as the runner would take it, with each run's estimated seconds (Core/CostModel) and, with
// --shard, how the whole plan splits into its parts.
public static class PlanPrinter
{
    public static void Print(TextWriter output, RunRequest request)
    {
        output.WriteLine($"{"#",4} {"est. s",8}  run");
        for (int i = 0; i < request.Plan.Count; i++)
            output.WriteLine($"{i + 1,4} {request.Plan[i].EstimatedSeconds,8:F1}  {request.Plan[i].Description}");
        double total = request.Plan.Sum(r => r.EstimatedSeconds);
        output.WriteLine($"{request.Plan.Count} runs at scale {request.Scale.Name()}, estimated {total:F0} s on the 2-core development machine");
        if (request.Shard is not { } shard) return;

        var part = Shards.Assign(request.FullPlan, shard.Count);
        output.WriteLine($"The whole plan, {request.FullPlan.Count} runs in {shard.Count} shards (this is shard {shard}):");
        for (int k = 1; k <= shard.Count; k++)
        {
            var runs = request.FullPlan.Where((_, i) => part[i] == k).ToList();
            output.WriteLine($"  shard {k}/{shard.Count}: {runs.Count,4} runs, estimated {runs.Sum(r => r.EstimatedSeconds),8:F0} s");
        }
    }
}
