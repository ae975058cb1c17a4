using System.Globalization;

namespace FourierRepro.Experiments.Hosting;

// The K-th of N parts of a plan (1 ≤ K ≤ N), for spreading one plan over the tasks of a scheduler's array job.
public readonly record struct ShardSpec(int Index, int Count)
{
    public override string ToString() => $"{Index}/{Count}";

    // "K/N", or "auto": the index from the scheduler's environment (FromEnvironment).
    public static ShardSpec Parse(string text, Func<string, string?> environment)
    {
        if (string.Equals(text, "auto", StringComparison.OrdinalIgnoreCase)) return FromEnvironment(environment);
        return TryParseFraction(text, out var shard) ? shard
            : throw new ConfigException($"--shard '{text}': expected K/N with 1 <= K <= N (e.g. 2/4), or auto");
    }

    // In order: FOURIER_SHARD=K/N; Kubernetes Indexed Jobs' JOB_COMPLETION_INDEX (0-based) with FOURIER_SHARD_COUNT;
    // a Slurm array task: SLURM_ARRAY_TASK_ID as K with FOURIER_SHARD_COUNT as N when that is set (so that one task
    // re-submitted alone, `sbatch --array=3`, still knows it is 3 of N), else its position in the array
    // (SLURM_ARRAY_TASK_MIN..MAX, or 1..SLURM_ARRAY_TASK_COUNT).
    public static ShardSpec FromEnvironment(Func<string, string?> environment)
    {
        if (environment("FOURIER_SHARD") is { Length: > 0 } explicitShard)
            return TryParseFraction(explicitShard, out var s) ? s
                : throw new ConfigException($"--shard auto: FOURIER_SHARD='{explicitShard}' is not K/N with 1 <= K <= N");
        int? count = Integer(environment, "FOURIER_SHARD_COUNT");
        if (Integer(environment, "JOB_COMPLETION_INDEX") is { } completionIndex)
            return Checked(completionIndex + 1, count ?? throw new ConfigException("--shard auto: JOB_COMPLETION_INDEX is set but FOURIER_SHARD_COUNT (the Job's completions) is not"),
                "JOB_COMPLETION_INDEX + 1");
        if (Integer(environment, "SLURM_ARRAY_TASK_ID") is { } taskId)
        {
            if (count is { } n) return Checked(taskId, n, "SLURM_ARRAY_TASK_ID");
            int min = Integer(environment, "SLURM_ARRAY_TASK_MIN") ?? 1;
            // One task of an array re-submitted alone (`sbatch --array=3`) looks like an array of one: it would run the
            // whole plan as shard 1/1. Only N can tell it apart.
            if (taskId > 1 && (Integer(environment, "SLURM_ARRAY_TASK_MAX") ?? taskId) == min && Integer(environment, "SLURM_ARRAY_TASK_COUNT") is null or 1)
                throw new ConfigException($"--shard auto: SLURM_ARRAY_TASK_ID={taskId} is the only task of its array (a shard re-submitted alone?): set FOURIER_SHARD_COUNT to the number of shards");
            int total = Integer(environment, "SLURM_ARRAY_TASK_MAX") is { } max ? max - min + 1
                : Integer(environment, "SLURM_ARRAY_TASK_COUNT") ?? throw new ConfigException("--shard auto: SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_MAX, SLURM_ARRAY_TASK_COUNT nor FOURIER_SHARD_COUNT");
            return Checked(taskId - min + 1, total, "SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN + 1");
        }
        throw new ConfigException("--shard auto: no shard in the environment (FOURIER_SHARD=K/N, SLURM_ARRAY_TASK_ID, or JOB_COMPLETION_INDEX with FOURIER_SHARD_COUNT)");
    }

    static ShardSpec Checked(int index, int count, string source) =>
        count >= 1 && index >= 1 && index <= count ? new ShardSpec(index, count)
            : throw new ConfigException($"--shard auto: shard {index} of {count} (from {source}) is not within 1..{count}");

    static int? Integer(Func<string, string?> environment, string name)
    {
        var value = environment(name);
        if (string.IsNullOrEmpty(value)) return null;
        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n
            : throw new ConfigException($"--shard auto: {name}='{value}' is not an integer");
    }

    static bool TryParseFraction(string text, out ShardSpec shard)
    {
        shard = default;
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int k)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || k < 1 || k > n) return false;
        shard = new ShardSpec(k, n);
        return true;
    }
}

public static class Shards
{
    // Splits a plan into `count` disjoint parts that cover it, balanced by estimated cost: longest runs first, each to
    // the part with the least estimated cost so far (the LPT rule: within 4/3 of the best possible longest part), ties
    // to the lower index. Runs are ordered by cost, then by their identity as ordinal text — never by a hash code,
    // which .NET randomises per process — so every node computes the same split from the same plan. Each part keeps
    // the plan's own order.
    public static int[] Assign(IReadOnlyList<PlannedRun> plan, int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count));
        var order = Enumerable.Range(0, plan.Count)
            .OrderByDescending(i => plan[i].EstimatedSeconds)
            .ThenBy(i => plan[i].IdentityKey, StringComparer.Ordinal)
            .ToList();
        var load = new double[count];
        var part = new int[plan.Count];
        foreach (int i in order)
        {
            int least = 0;
            for (int p = 1; p < count; p++) if (load[p] < load[least]) least = p;
            part[i] = least + 1;
            load[least] += plan[i].EstimatedSeconds;
        }
        return part;
    }

    public static List<PlannedRun> Select(IReadOnlyList<PlannedRun> plan, ShardSpec shard)
    {
        var part = Assign(plan, shard.Count);
        return plan.Where((_, i) => part[i] == shard.Index).ToList();
    }
}
