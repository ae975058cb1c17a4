using System.Globalization;
using System.Text.Json.Nodes;
using FourierRepro.Storage;

namespace FourierRepro.Analysis.NtkConditioning;

// One run of `ntk-convergence` (one mapping, one seed) as the figures and claims need it.
public sealed record ConvergenceRun(
    long RunId, int Seed, string Mapping,
    double Power,                          // a_j = j^−p; +∞ for p=inf, NaN for "none"
    int Width, double[] Steps,
    Dictionary<string, double[]> Series,   // metric name → value per recorded step
    double[] X, double[] Target, int[] TrainIndex,
    double[] Prediction, double[] TheoryPrediction,
    double EmpiricalNtkError)
{
    public bool IsPowerMapping => !double.IsNaN(Power);
    public double[] this[string metric] => Series[metric];
}

public static class NtkConvergenceData
{
    public const string Experiment = "ntk-convergence";
    public const string None = "none";
    public static readonly string[] SeriesNames =
    [
        "train_mse", "test_mse", "theory_train_mse", "theory_test_mse", "linearized_train_mse", "linearized_test_mse",
        "residual/low", "residual/mid", "residual/high", "theory_residual/low", "theory_residual/mid", "theory_residual/high",
    ];

    // Completed runs at the context's scale. Runs made with different settings (other than the mapping) into the same
    // database are grouped, and the group with the most runs (then the newest) is used.
    public static List<ConvergenceRun> Load(AnalysisContext context)
    {
        var runs = context.CompletedRuns(Experiment);
        if (runs.Count == 0) return [];
        var chosen = runs.GroupBy(SettingsKey).OrderByDescending(g => g.Count()).ThenByDescending(g => g.Max(r => r.Id)).First();
        return chosen.Select(r => LoadRun(context.Db, r)).OrderBy(r => r.Seed).ThenBy(r => Order(r.Mapping)).ToList();
    }

    static string SettingsKey(RunRecord run)
    {
        var node = JsonNode.Parse(run.ConfigJson)!.AsObject();
        node.Remove("Mappings");
        return node.ToJsonString();
    }

    static ConvergenceRun LoadRun(ResultsDbContext db, RunRecord run)
    {
        var config = run.Config();
        var mapping = config.GetProperty("Mappings")[0].GetString() ?? "?";
        var series = new Dictionary<string, double[]>();
        double[] steps = [];
        foreach (var name in SeriesNames)
        {
            var (s, values) = db.MetricSeries(run.Id, name);
            if (s.Length == 0) continue;
            series[name] = values;
            if (steps.Length == 0) steps = s.Select(v => (double)v).ToArray();
        }
        return new ConvergenceRun(run.Id, run.Seed, mapping, Power(mapping), config.GetProperty("Width").GetInt32(), steps, series,
            db.RequireArray(run.Id, "x").Data, db.RequireArray(run.Id, "target").Data,
            db.RequireArray(run.Id, "train_index").Data.Select(v => (int)v).ToArray(),
            db.RequireArray(run.Id, "prediction").Data, db.RequireArray(run.Id, "theory_prediction").Data,
            db.FinalMetric(run.Id, "empirical_ntk_rel_error"));
    }

    public static double Power(string mapping)
    {
        if (mapping == None) return double.NaN;
        if (mapping == "p=inf") return double.PositiveInfinity;
        return mapping.StartsWith("p=", StringComparison.Ordinal) && double.TryParse(mapping[2..], NumberStyles.Float, CultureInfo.InvariantCulture, out var p) ? p : double.NaN;
    }

    // Display order: no mapping first, then increasing p, p = ∞ last.
    public static double Order(string mapping)
    {
        if (mapping == None) return double.NegativeInfinity;
        double p = Power(mapping);
        return double.IsNaN(p) ? double.MaxValue : p;
    }

    public static string Label(string mapping) => mapping == None ? "No mapping" : mapping == "p=inf" ? "p = ∞" : mapping.Replace("=", " = ");
}
