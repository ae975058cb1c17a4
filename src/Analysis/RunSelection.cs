using FourierRepro.Storage;

namespace FourierRepro.Analysis;

// Which runs a report uses, stated once. A database may hold several configurations of one grid point at a scale
// (e.g. a --set override run into the same file): of those, the configuration with the most completed runs is
// used, ties going to the newest. Every module selects its runs through here, and the report prints Rule.
public static class RunSelection
{
    public const string Rule = "Where one grid point of an experiment was run with several configurations at this scale (e.g. a --set override " +
                               "into the same database), the configuration with the most completed runs is used, ties going to the newest.";

    // The runs of the largest group by `key` (default: the run's configuration hash, i.e. one grid point's configuration).
    public static List<RunRecord> MostRuns(IEnumerable<RunRecord> runs, Func<RunRecord, string>? key = null) =>
        runs.GroupBy(key ?? (r => r.ConfigHash))
            .OrderByDescending(g => g.Count()).ThenByDescending(g => g.Max(r => r.Id))
            .FirstOrDefault()?.ToList() ?? [];
}
