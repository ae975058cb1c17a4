using System.Text.Json.Nodes;
using FourierRepro.Storage;

namespace FourierRepro.Analysis.Images;

// Runs of one experiment made with one setting of everything but the grid keys (the runs of one plan). When a
// database holds several plans at one scale (e.g. a --set override), the plan with the most completed runs is
// used (ties: the newest).
public static class RunFamilies
{
    public static List<RunRecord> Largest(IEnumerable<RunRecord> runs, params string[] gridKeys) =>
        RunSelection.MostRuns(runs, r => FamilyKey(r, gridKeys));

    static string FamilyKey(RunRecord run, string[] gridKeys)
    {
        var node = JsonNode.Parse(run.ConfigJson)!.AsObject();
        foreach (var key in gridKeys) node.Remove(key);
        return node.ToJsonString();
    }
}
