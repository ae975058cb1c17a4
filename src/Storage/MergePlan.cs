namespace FourierRepro.Storage;

// Which copy of each run identity a merge keeps, decided from all sources before anything is written.
sealed record MergePick(MergeInput From, RunRecord Run, long? Replaces); // Replaces: the output's own copy, deleted

sealed record MergePlan(IReadOnlyList<MergePick> Copies, IReadOnlyList<NotCompletedRun> NotCompleted, IReadOnlyList<string> Notes)
{
    // Sources in order: the existing output first, then the inputs as given. Ties go to the earlier source, so the
    // output keeps its copy and a merge repeated with the same inputs writes nothing.
    public static MergePlan Make(IReadOnlyList<MergeInput> sources)
    {
        var picks = new List<MergePick>();
        var notCompleted = new List<NotCompletedRun>();
        var copies = sources.SelectMany(s => s.Runs.Select(r => (Source: s, Run: r)))
            .GroupBy(c => (c.Run.Experiment, c.Run.Scale, c.Run.Seed, c.Run.ConfigHash)); // groups and their elements keep source order
        foreach (var group in copies)
        {
            var all = group.ToList();
            var completed = all.Where(c => c.Run.Status == RunStatus.Completed).ToList();
            foreach (var c in completed.Skip(1))
                if (c.Source.Digest(c.Run) != completed[0].Source.Digest(completed[0].Run))
                    throw new ResultsDatabaseException($"{Name(c.Run)}: different completed results in {completed[0].Source.Path} and {c.Source.Path} " +
                        "(trained twice?); leave one of the two out and merge again");
            var kept = completed.Count > 0 ? completed[0]
                : all.OrderByDescending(c => Rank(c.Run.Status)).ThenByDescending(c => c.Run.StartedAt).First(); // OrderBy is stable

            foreach (var c in all)
            {
                if (c == kept) { if (c.Source.IsOutput) c.Source.AlreadyPresent++; else c.Source.Copied++; }
                else if (c.Run.Status == kept.Run.Status && c.Source.Digest(c.Run) == kept.Source.Digest(kept.Run)) c.Source.AlreadyPresent++;
                else c.Source.Superseded++;
            }
            if (!kept.Source.IsOutput)
                picks.Add(new MergePick(kept.Source, kept.Run, all.Where(c => c.Source.IsOutput).Select(c => (long?)c.Run.Id).FirstOrDefault()));
            if (completed.Count == 0)
                notCompleted.Add(new NotCompletedRun(kept.Run.Experiment, kept.Run.Scale, kept.Run.Label, kept.Run.Seed, kept.Run.Status, kept.Source.Path,
                    [.. all.Select(c => (c.Source.Path, c.Run.Status))]));
        }
        return new MergePlan(picks, notCompleted, [.. DifferingDeclarations(sources)]);
    }

    // Of copies none of which completed, the one that got furthest: a failure's reason and partial series tell most.
    // Pending (planned, never started) and any other status come last.
    static int Rank(string status) => status switch
    {
        RunStatus.Failed => 3,
        RunStatus.Interrupted => 2,
        RunStatus.Running => 1,
        _ => 0,
    };

    static string Name(RunRecord r) => $"{r.Experiment} {r.Scale} '{r.Label}' seed {r.Seed} (config {r.ConfigHash[..Math.Min(12, r.ConfigHash.Length)]})";

    // experiments and metric_definitions rows that differ between sources (shards run by different code versions):
    // the first source's row is kept (DatabaseMerge.CopyDeclarations); say where, not silently.
    static IEnumerable<string> DifferingDeclarations(IReadOnlyList<MergeInput> sources)
    {
        var experiments = Differences(sources, s => s.Experiments, e => e.Name, (a, b) =>
            (a.Paper, a.Reproduces, a.Summary, a.PaperDefaults) == (b.Paper, b.Reproduces, b.Summary, b.PaperDefaults));
        var definitions = Differences(sources, s => s.Definitions, d => $"{d.Experiment}/{d.Name}", (a, b) =>
            (a.Goal, a.Unit, a.Description) == (b.Goal, b.Unit, b.Description));
        return experiments.Select(d => $"experiments row {d}").Concat(definitions.Select(d => $"metric_definitions row {d}"));
    }

    static IEnumerable<string> Differences<T>(IReadOnlyList<MergeInput> sources, Func<MergeInput, IEnumerable<T>> rows, Func<T, string> key, Func<T, T, bool> same)
    {
        var first = new Dictionary<string, (T Row, string Path)>();
        foreach (var s in sources)
            foreach (var row in rows(s))
            {
                if (!first.TryGetValue(key(row), out var kept)) first[key(row)] = (row, s.Path);
                else if (!same(kept.Row, row)) yield return $"'{key(row)}' differs between {kept.Path} and {s.Path}; kept the one in {kept.Path}";
            }
    }
}
