using System.Text.Json;
using System.Text.Json.Nodes;
using FourierRepro.Storage;

namespace FourierRepro.Analysis;

// Where the settings of the runs a report uses differ from the paper scale's: each run's recorded configuration
// JSON against the experiment's paper-scale defaults recorded by the host (experiments.paper_defaults). A grid
// field (a list in the defaults, one point of it per run) differs only when a run uses a value the paper's list lacks.
public static class PaperDifferences
{
    public sealed record Difference(string Setting, string Ours, string Paper);

    public static List<Difference> Compute(string? paperDefaultsJson, IEnumerable<string> runConfigJsons)
    {
        if (paperDefaultsJson is null) return [];
        var paper = JsonNode.Parse(paperDefaultsJson) as JsonObject ?? [];
        var runs = runConfigJsons.Distinct().Select(j => JsonNode.Parse(j) as JsonObject ?? []).ToList();
        var result = new List<Difference>();
        foreach (var (key, paperValue) in paper)
        {
            var ours = runs.Select(r => r.TryGetPropertyValue(key, out var v) ? v : null).ToList();
            bool differs = paperValue is JsonArray list
                ? ours.Any(v => v is not JsonArray a || a.Any(x => !list.Any(y => JsonNode.DeepEquals(x, y))))
                : ours.Any(v => !JsonNode.DeepEquals(v, paperValue));
            if (!differs) continue;
            var distinct = ours.Select(v => v?.ToJsonString() ?? "(absent)").Distinct().ToList();
            result.Add(new(key, string.Join(" / ", distinct), paperValue?.ToJsonString() ?? "null"));
        }
        // A setting the defaults leave out while null (a data file of one's own, its digest) is a difference wherever a run has it.
        foreach (var key in runs.SelectMany(r => r.Select(p => p.Key)).Distinct().Where(k => !paper.ContainsKey(k)).Order(StringComparer.Ordinal))
        {
            var distinct = runs.Select(r => r.TryGetPropertyValue(key, out var v) ? v?.ToJsonString() ?? "null" : "(absent)").Distinct().ToList();
            result.Add(new(key, string.Join(" / ", distinct), "(absent)"));
        }
        return result;
    }

    public static IEnumerable<ReportBlock> Blocks(AnalysisContext context, string experiment)
    {
        var runs = context.CompletedRuns(experiment);
        if (runs.Count == 0) yield break;
        var paperJson = context.Db.Experiments.Find(experiment)?.PaperDefaults;
        if (paperJson is null)
        {
            yield return new ReportParagraph("Settings against the paper's: this database does not record the paper-scale defaults (made before they were recorded).");
            yield break;
        }
        var differences = Compute(paperJson, runs.Select(r => r.ConfigJson));
        if (differences.Count == 0)
        {
            yield return new ReportParagraph($"Settings: every setting of the {runs.Count} runs is the paper's.");
            yield break;
        }
        yield return new ReportParagraph($"Settings that differ from the paper scale (from the recorded configurations of the {runs.Count} runs, against the paper-scale defaults):");
        yield return new ReportTable(["setting", "these runs", "paper"], differences.Select(d => new[] { d.Setting, Shorten(d.Ours), Shorten(d.Paper) }).ToList());
    }

    static string Shorten(string s) => s.Length <= 160 ? s : s[..157] + "...";
}
