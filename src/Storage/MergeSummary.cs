namespace FourierRepro.Storage;

// What a merge did, per source (the existing output first, then the inputs in the order given).
public sealed record MergeSource(string Path, bool IsOutput, int Read, int Copied, int AlreadyPresent, int Superseded);

// A run identity that no source holds completed: the copy kept, and the status of every copy.
public sealed record NotCompletedRun(string Experiment, string Scale, string Label, int Seed, string KeptStatus, string KeptFrom,
    IReadOnlyList<(string Path, string Status)> Copies);

public sealed record MergeSummary(string Into, IReadOnlyList<MergeSource> Sources, int Runs, int CompletedRuns,
    IReadOnlyList<NotCompletedRun> NotCompleted, IReadOnlyList<string> Notes, TimeSpan Elapsed)
{
    public void Print(TextWriter output)
    {
        output.WriteLine($"Merged {Sources.Count(s => !s.IsOutput)} input(s) into {Into} in {Elapsed.TotalSeconds:F1} s");
        foreach (var s in Sources)
            output.WriteLine($"  {s.Path}{(s.IsOutput ? " (the existing output)" : "")}: {s.Read} runs read, {s.Copied} copied, " +
                $"{s.AlreadyPresent} already present, {s.Superseded} superseded");
        foreach (var note in Notes) output.WriteLine($"  note: {note}");
        output.WriteLine($"{Into}: {Runs} runs ({CompletedRuns} completed), {NotCompleted.Count} not completed in any input; " +
            "claim_checks and artifacts are not copied (run `claims` or `report` on it)");
        if (NotCompleted.Count == 0) return;
        output.WriteLine("Not completed in any input (the copy kept is named; re-run its shard and merge again):");
        foreach (var r in NotCompleted)
            output.WriteLine($"  {r.Experiment} {r.Scale} '{r.Label}' seed {r.Seed}: " +
                $"{string.Join(", ", r.Copies.Select(c => $"{c.Status} in {c.Path}"))} (kept {r.KeptStatus} from {r.KeptFrom})");
    }
}
