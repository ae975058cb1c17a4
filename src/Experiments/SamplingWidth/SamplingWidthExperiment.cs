using FourierRepro.Experiments.Core;

namespace FourierRepro.Experiments.SamplingWidth;

// Tancik et al. 2020, Fig. 4 / supplementary Fig. 13: 4x256 ReLU MLPs on 1/f^α signals, each with 16 random Fourier
// frequencies drawn from one of four distributions at one of nine widths, against a dense set b = 1..N/2. The test
// error is U-shaped in the width (RMS) of the sampled frequencies, and nearly the same for all four shapes.
// One run = one α: all its networks (distributions × sweep values × signals, plus one dense net per signal) are
// trained as batched ensembles (SweepEnsemble), every point of the figure a trained network.
public sealed class SamplingWidthExperiment : Experiment<SamplingWidthConfig>
{
    public const string Name = SamplingWidthContract.Experiment;

    public override ExperimentInfo Info { get; } = new(Name, "Tancik et al. 2020", "Fig. 4, Fig. 13",
        "4x256 ReLU MLPs on 1/f^alpha signals with 16 random Fourier features from 4 distributions at 9 widths, vs a dense set: final train and test MSE");

    public override IReadOnlyList<MetricInfo> Metrics { get; } = SamplingWidthContract.Metrics;

    public override int DefaultSeeds(Scale scale) => 1; // the seed draws one batch of Signals signals per α; Signals sets the replication

    // Cost, measured with --threads 1 on a busy shared 2-core machine (CPU time, user + system): ~1 ms per network
    // step at smoke (128 points, width 128), ~4.4 ms at standard (256 points, width 256), a third of it system time
    // for page faults that Hosting/NativeRuntime's heap settings later removed (smoke: 30 s → 17 s wall on 2 quiet
    // cores). Sparse networks per α = 4 distributions × 9 sweep values × Signals.
    public override SamplingWidthConfig Defaults(Scale scale) => scale switch
    {
        // 3 α × (36 sparse + 1 dense) nets of 300 steps: 35 s CPU. One signal per α: the U-shape, the overlap of the
        // distributions and the dense level all show on single networks (claims measured over seeds 1-4).
        Scale.Smoke => new() { Signals = 1, TrainPoints = 128, Width = 128, Iterations = 300, RecordEvery = 50 },
        // 3 α × (72 sparse + 2 dense) nets of 400 steps: 390 s CPU, so ~4-6 min on 2 quiet cores.
        Scale.Standard => new() { Signals = 2, TrainPoints = 256, Iterations = 400, RecordEvery = 50 },
        _ => new(),
    };

    // The sparse-feature networks (every distribution, sweep value and signal) and the dense baseline, in batches.
    protected override double EstimatedSeconds(SamplingWidthConfig c)
    {
        double Batched(int members, int inputDim)
        {
            var shape = new MlpShape(inputDim, c.Width, c.Depth, 1);
            int batch = Math.Max(1, c.MaxMembersPerBatch), full = members / batch, rest = members % batch;
            return full * CostModel.Training(shape, c.TrainPoints, c.Iterations, batch) + (rest > 0 ? CostModel.Training(shape, c.TrainPoints, c.Iterations, rest) : 0);
        }
        return Batched(c.Distributions.Length * c.SweepValues.Length * c.Signals, 2 * c.Features) + Batched(c.Signals, c.TrainPoints);
    }

    protected override IEnumerable<string> Validate(SamplingWidthConfig c)
    {
        if (c.Alphas.Length == 0) yield return "Alphas is empty";
        if (c.DensePowers.Length != c.Alphas.Length) yield return $"DensePowers has {c.DensePowers.Length} entries for {c.Alphas.Length} Alphas";
        if (c.Distributions.Length == 0) yield return "Distributions is empty";
        foreach (var d in c.Distributions) _ = FrequencySampler.Factor(d);
        if (c.SweepValues.Length < 3 || c.SweepValues.Any(v => !(v > 0))) yield return "SweepValues needs at least 3 positive values (a minimum strictly inside the range needs both ends)";
        if (c.Signals < 1 || c.Features < 1 || c.Width < 1 || c.Iterations < 1 || c.RecordEvery < 1 || c.MaxMembersPerBatch < 1 || c.LearningRate <= 0)
            yield return "Signals, Features, Width, Iterations, RecordEvery, MaxMembersPerBatch and LearningRate must be positive";
        if (c.TrainPoints < 8 || c.TrainPoints % 2 != 0) yield return "TrainPoints must be even and at least 8 (the dense set is b = 1..TrainPoints/2)";
        if (c.Depth < 2) yield return "Depth must be at least 2";
    }

    protected override IEnumerable<PlannedConfig> Grid(SamplingWidthConfig c) =>
        c.Alphas.Select((alpha, i) => new PlannedConfig($"alpha={alpha}", c with { Alphas = [alpha], DensePowers = [c.DensePowers[i]] }));

    protected override void Run(SamplingWidthConfig c, RunContext context, IRunRecorder recorder)
    {
        double alpha = c.SingleAlpha();
        int grid = 2 * c.TrainPoints;
        var signals = PowerLawSignals.SampleBatch(c.Signals, grid, alpha, context.Rng($"alpha={alpha}/signals"));
        recorder.Array(SamplingWidthContract.Signals, 0, [c.Signals, grid], signals.SelectMany(s => s).ToArray());

        var sparse = new List<SweepMember>();
        for (int d = 0; d < c.Distributions.Length; d++)
            for (int v = 0; v < c.SweepValues.Length; v++)
                for (int s = 0; s < c.Signals; s++)
                {
                    string id = $"alpha={alpha}/{c.Distributions[d]}/{v}/{s}";
                    var b = FrequencySampler.Sample(c.Distributions[d], c.SweepValues[v], c.Features, c.FrequencyUnit(), context.Rng($"{id}/b"));
                    sparse.Add(new SweepMember(s, b, Enumerable.Repeat(1.0, c.Features).ToArray(), context.Rng($"{id}/init")));
                }
        var denseB = Enumerable.Range(1, c.TrainPoints / 2).Select(j => (double)j).ToArray();
        double p = c.SingleDensePower();
        var denseA = denseB.Select(b => Math.Pow(b, -p)).ToArray();
        var dense = Enumerable.Range(0, c.Signals)
            .Select(s => new SweepMember(s, denseB, denseA, context.Rng($"alpha={alpha}/dense/{s}/init"))).ToList();

        var ensemble = new SweepEnsemble(c, signals, context);
        int batches = ensemble.Batches(sparse.Count) + ensemble.Batches(dense.Count);
        var sparseResult = ensemble.Train(sparse, 0, batches);
        var denseResult = ensemble.Train(dense, ensemble.Batches(sparse.Count), batches);

        // Member k of the sparse arrays is distribution k / (V·S), sweep value (k / S) % V, signal k % S.
        int ks = sparse.Count;
        recorder.Array(SamplingWidthContract.SparseDistribution, 0, [ks], sparse.Select((_, k) => (double)(k / (c.SweepValues.Length * c.Signals))).ToArray());
        recorder.Array(SamplingWidthContract.SparseSweepIndex, 0, [ks], sparse.Select((_, k) => (double)(k / c.Signals % c.SweepValues.Length)).ToArray());
        recorder.Array(SamplingWidthContract.SparseSignal, 0, [ks], sparse.Select(m => (double)m.Signal).ToArray());
        recorder.Array(SamplingWidthContract.SparseB, 0, [ks, c.Features], sparse.SelectMany(m => m.B).ToArray());
        recorder.Array(SamplingWidthContract.SparseRms, 0, [ks], sparse.Select(m => FrequencySampler.Rms(m.B)).ToArray());
        recorder.Array(SamplingWidthContract.SparseStd, 0, [ks], sparse.Select(m => FrequencySampler.Std(m.B)).ToArray());
        sparseResult.Record(recorder, SamplingWidthContract.Sparse);
        recorder.Array(SamplingWidthContract.DenseSignal, 0, [dense.Count], dense.Select(m => (double)m.Signal).ToArray());
        recorder.Array(SamplingWidthContract.DenseB, 0, [denseB.Length], denseB);
        recorder.Array(SamplingWidthContract.DenseA, 0, [denseA.Length], denseA);
        denseResult.Record(recorder, SamplingWidthContract.Dense);

        var byConfig = Enumerable.Range(0, ks / c.Signals)
            .Select(g => Enumerable.Range(g * c.Signals, c.Signals).Average(k => sparseResult.TestMse[k]));
        recorder.Metric(SamplingWidthContract.BestSparseTestMse, c.Iterations, byConfig.Min());
        recorder.Metric(SamplingWidthContract.DenseTestMse, c.Iterations, denseResult.TestMse.Average());
        recorder.Metric(SamplingWidthContract.Networks, 0, ks + dense.Count);
    }
}
