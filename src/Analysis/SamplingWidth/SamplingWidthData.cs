using FourierRepro.Storage;

namespace FourierRepro.Analysis.SamplingWidth;

// One trained sparse network of `sampling-width`: its distribution, sweep value, the signal it fitted (unique within
// an α across seeds), the RMS sqrt(mean(b²)) and std of its sampled frequencies, its final MSEs and (the untrained
// network, the claims' negative control) its MSEs at iteration 0.
public sealed record SweepNet(string Distribution, int SweepIndex, string Signal, double Rms, double Std, double TrainMse, double TestMse,
    double InitialTrainMse = double.NaN, double InitialTestMse = double.NaN)
{
    public SweepNet AtInitialState() => this with { TrainMse = InitialTrainMse, TestMse = InitialTestMse };
}

// Everything of one α: the sparse networks of all its runs (seeds) and the dense baseline, one net per signal.
// Dense[i] is the dense net of signal DenseSignal[i] (the same keys as SweepNet.Signal), DenseInitial* its MSEs at iteration 0.
public sealed record AlphaSweep(double Alpha, double DensePower, int TrainPoints, string[] Distributions, double[] SweepValues,
    List<SweepNet> Sparse, double[] DenseTrainMse, double[] DenseTestMse, long[] RunIds,
    string[]? DenseSignal = null, double[]? DenseInitialTrainMse = null, double[]? DenseInitialTestMse = null)
{
    // Every network as it was before training (the untrained control).
    public AlphaSweep AtInitialState() => this with
    {
        Sparse = Sparse.Select(n => n.AtInitialState()).ToList(),
        DenseTrainMse = DenseInitialTrainMse ?? [], DenseTestMse = DenseInitialTestMse ?? [],
    };

    public IEnumerable<SweepNet> Of(string distribution) => Sparse.Where(n => n.Distribution == distribution);

    // Mean over signals of log10 test MSE at each sweep value of one distribution (the curve the U-shape is read from).
    public double[] MeanLogTest(string distribution) => Enumerable.Range(0, SweepValues.Length)
        .Select(v => Of(distribution).Where(n => n.SweepIndex == v).Average(n => Math.Log10(n.TestMse))).ToArray();

    // Mean over signals of the test MSE at each (distribution, sweep value): the best sparse configuration is its minimum.
    public (string Distribution, int SweepIndex, double TestMse, double Rms) BestSparse() =>
        Sparse.GroupBy(n => (n.Distribution, n.SweepIndex))
            .Select(g => (g.Key.Distribution, g.Key.SweepIndex, g.Average(n => n.TestMse), g.Average(n => n.Rms)))
            .MinBy(t => t.Item3);
}

public static class SamplingWidthData
{
    public const string Experiment = SamplingWidthContract.Experiment;

    // Completed runs at the context's scale, by α (ascending). When one α was run with several configurations (e.g. a
    // --set override into the same database), the configuration with the most runs (then the newest) is used.
    // Loaded once per report (and seed filter): every claim, figure and table gets the same objects.
    public static List<AlphaSweep> Load(AnalysisContext context) => context.Cached(Experiment, Read);

    static List<AlphaSweep> Read(AnalysisContext context)
    {
        var result = new List<AlphaSweep>();
        var runs = context.CompletedRuns(Experiment);
        foreach (var byAlpha in runs.GroupBy(r => r.Config<SamplingWidthConfig>().SingleAlpha()).OrderBy(g => g.Key))
            result.Add(LoadAlpha(context.Db, byAlpha.Key, RunSelection.MostRuns(byAlpha)));
        return result;
    }

    static AlphaSweep LoadAlpha(ResultsDbContext db, double alpha, List<RunRecord> runs)
    {
        var config = runs[0].Config<SamplingWidthConfig>();
        var distributions = config.Distributions;
        var sweep = config.SweepValues;
        double densePower = config.SingleDensePower();
        int trainPoints = config.TrainPoints;
        var sparse = new List<SweepNet>();
        var denseTrain = new List<double>();
        var denseTest = new List<double>();
        var denseSignal = new List<string>();
        var denseInitialTrain = new List<double>();
        var denseInitialTest = new List<double>();
        const string Sparse = SamplingWidthContract.Sparse, Dense = SamplingWidthContract.Dense;
        foreach (var run in runs)
        {
            var dist = db.RequireArray(run.Id, SamplingWidthContract.SparseDistribution).Data;
            var index = db.RequireArray(run.Id, SamplingWidthContract.SparseSweepIndex).Data;
            var signal = db.RequireArray(run.Id, SamplingWidthContract.SparseSignal).Data;
            var rms = db.RequireArray(run.Id, SamplingWidthContract.SparseRms).Data;
            var std = db.RequireArray(run.Id, SamplingWidthContract.SparseStd).Data;
            var train = db.RequireArray(run.Id, SamplingWidthContract.TrainMse(Sparse)).Data;
            var test = db.RequireArray(run.Id, SamplingWidthContract.TestMse(Sparse)).Data;
            // Frame 0 of the recorded curves [F, K] is iteration 0: the untrained networks.
            var initialTrain = db.RequireArray(run.Id, SamplingWidthContract.TrainMseCurve(Sparse)).Data;
            var initialTest = db.RequireArray(run.Id, SamplingWidthContract.TestMseCurve(Sparse)).Data;
            for (int k = 0; k < test.Length; k++)
                sparse.Add(new SweepNet(distributions[(int)dist[k]], (int)index[k], $"{run.Seed}/{(int)signal[k]}", rms[k], std[k], train[k], test[k],
                    initialTrain[k], initialTest[k]));
            var dense = db.RequireArray(run.Id, SamplingWidthContract.TestMse(Dense)).Data;
            denseTrain.AddRange(db.RequireArray(run.Id, SamplingWidthContract.TrainMse(Dense)).Data);
            denseTest.AddRange(dense);
            denseSignal.AddRange(db.RequireArray(run.Id, SamplingWidthContract.DenseSignal).Data.Select(v => $"{run.Seed}/{(int)v}"));
            denseInitialTrain.AddRange(db.RequireArray(run.Id, SamplingWidthContract.TrainMseCurve(Dense)).Data.Take(dense.Length));
            denseInitialTest.AddRange(db.RequireArray(run.Id, SamplingWidthContract.TestMseCurve(Dense)).Data.Take(dense.Length));
        }
        return new AlphaSweep(alpha, densePower, trainPoints, distributions, sweep, sparse, denseTrain.ToArray(), denseTest.ToArray(), runs.Select(r => r.Id).ToArray(),
            denseSignal.ToArray(), denseInitialTrain.ToArray(), denseInitialTest.ToArray());
    }
}
