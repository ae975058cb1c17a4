using FourierRepro.Analysis.Images;
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
    public const string Experiment = NtkConvergenceContract.Experiment;
    public static readonly string[] SeriesNames =
    [
        NtkConvergenceContract.TrainMse, NtkConvergenceContract.TestMse, NtkConvergenceContract.TheoryTrainMse, NtkConvergenceContract.TheoryTestMse,
        NtkConvergenceContract.LinearizedTrainMse, NtkConvergenceContract.LinearizedTestMse,
        .. NtkConvergenceContract.Bands.Select(NtkConvergenceContract.Residual), .. NtkConvergenceContract.Bands.Select(NtkConvergenceContract.TheoryResidual),
    ];

    // Completed runs at the context's scale. Runs made with different settings (other than the mapping) into the same
    // database are grouped, and the group with the most runs (then the newest) is used. Loaded once per report (and
    // seed filter): every claim, figure and table gets the same objects.
    public static List<ConvergenceRun> Load(AnalysisContext context) => context.Cached(Experiment, c =>
        RunFamilies.Largest(c.CompletedRuns(Experiment), nameof(NtkConvergenceConfig.Mappings))
            .Select(r => LoadRun(c.Db, r)).OrderBy(r => r.Seed).ThenBy(r => Order(r.Mapping)).ToList());

    static ConvergenceRun LoadRun(ResultsDbContext db, RunRecord run)
    {
        var config = run.Config<NtkConvergenceConfig>();
        var mapping = config.SingleMapping();
        var series = new Dictionary<string, double[]>();
        double[] steps = [];
        foreach (var name in SeriesNames)
        {
            var (s, values) = db.MetricSeries(run.Id, name);
            if (s.Length == 0) continue;
            series[name] = values;
            if (steps.Length == 0) steps = s.Select(v => (double)v).ToArray();
        }
        return new ConvergenceRun(run.Id, run.Seed, mapping, PowerMappingNames.Power(mapping), config.Width, steps, series,
            db.RequireArray(run.Id, NtkConvergenceContract.X).Data, db.RequireArray(run.Id, NtkConvergenceContract.Target).Data,
            db.RequireArray(run.Id, NtkConvergenceContract.TrainIndex).Data.Select(v => (int)v).ToArray(),
            db.RequireArray(run.Id, NtkConvergenceContract.Prediction).Data, db.RequireArray(run.Id, NtkConvergenceContract.TheoryPrediction).Data,
            db.FinalMetric(run.Id, NtkConvergenceContract.EmpiricalNtkRelError));
    }

    // Display order: no mapping first, then increasing p, p = ∞ last.
    public static double Order(string mapping)
    {
        if (mapping == PowerMappingNames.None) return double.NegativeInfinity;
        double p = PowerMappingNames.Power(mapping);
        return double.IsNaN(p) ? double.MaxValue : p;
    }

    public static string Label(string mapping) =>
        mapping == PowerMappingNames.None ? "No mapping" : double.IsPositiveInfinity(PowerMappingNames.Power(mapping)) ? "p = ∞" : mapping.Replace("=", " = ");
}
