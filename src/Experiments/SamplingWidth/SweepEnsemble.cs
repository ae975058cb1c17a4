using FourierRepro.Experiments.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace FourierRepro.Experiments.SamplingWidth;

// One network of the sweep: the signal it fits, its mapping γ(x) = [a sin 2πbx, a cos 2πbx] / ‖a‖ and its init stream.
public sealed record SweepMember(int Signal, double[] B, double[] A, Rng Init);

// Final and recorded train/test MSE of a list of members, in member order.
public sealed class SweepResult(int members, int frames)
{
    public double[] Steps { get; } = new double[frames];
    public double[] TrainCurve { get; } = new double[frames * members]; // [frame, member]
    public double[] TestCurve { get; } = new double[frames * members];
    public double[] TrainMse => Final(TrainCurve);
    public double[] TestMse => Final(TestCurve);

    double[] Final(double[] curve) => curve.AsSpan((frames - 1) * members, members).ToArray();

    // Arrays <prefix>_… of SamplingWidthContract: final train and test MSE [K], record steps [F], curves [F, K].
    public void Record(IRunRecorder recorder, string prefix)
    {
        recorder.Array(SamplingWidthContract.TrainMse(prefix), 0, [members], TrainMse);
        recorder.Array(SamplingWidthContract.TestMse(prefix), 0, [members], TestMse);
        recorder.Array(SamplingWidthContract.RecordSteps(prefix), 0, [frames], Steps);
        recorder.Array(SamplingWidthContract.TrainMseCurve(prefix), 0, [frames, members], TrainCurve);
        recorder.Array(SamplingWidthContract.TestMseCurve(prefix), 0, [frames, members], TestCurve);
    }
}

// Trains members that share one input width as batched ensembles (Core/Mlp: K networks stacked, one batched matmul
// per layer, one Adam over all, each member's loss independent), at most MaxMembersPerBatch at a time. Each member
// gets its own encoded inputs [K, N, 2m] and its own signal as target. Train on the even grid points, test on the odd.
public sealed class SweepEnsemble(SamplingWidthConfig config, double[][] signals, RunContext context)
{
    public int Batches(int members) => (members + config.MaxMembersPerBatch - 1) / config.MaxMembersPerBatch;

    // `batchOffset` and `totalBatches` place this call's batches in the run's progress.
    public SweepResult Train(IReadOnlyList<SweepMember> members, int batchOffset, int totalBatches)
    {
        int n = config.TrainPoints, frames = config.Iterations / config.RecordEvery + 1 + (config.Iterations % config.RecordEvery == 0 ? 0 : 1);
        var result = new SweepResult(members.Count, frames);
        var grid = Signals.UnitGrid(2 * n);
        using var trainX = torch.tensor(Enumerable.Range(0, n).Select(j => (float)grid[2 * j]).ToArray(), [n, 1L]).to(context.Device);
        using var testX = torch.tensor(Enumerable.Range(0, n).Select(j => (float)grid[2 * j + 1]).ToArray(), [n, 1L]).to(context.Device);
        var settings = new TrainSettings(config.Iterations, config.LearningRate, config.RecordEvery, OptimizerKind.Adam, LossKind.HalfSumSquared);
        long total = (long)totalBatches * config.Iterations;

        for (int start = 0, batch = batchOffset; start < members.Count; start += config.MaxMembersPerBatch, batch++)
        {
            var chunk = members.Skip(start).Take(config.MaxMembersPerBatch).ToList();
            using var scope = torch.NewDisposeScope();
            var mappings = chunk.Select(m => InputMapping.General("sampled", Column(m.B), m.A, normalizeByNormA: true)).ToList();
            var trainInput = torch.stack(mappings.Select(g => g.Encode(trainX)).ToList());
            var testInput = torch.stack(mappings.Select(g => g.Encode(testX)).ToList());
            var trainTarget = Targets(chunk, 0, n);
            var testTarget = Targets(chunk, 1, n);
            using var model = new Mlp(new MlpShape(mappings[0].OutputDim, config.Width, config.Depth, 1), MlpInit.NtStandard,
                chunk.Select(m => m.Init).ToList(), context.Device);
            int frame = 0, offset = start, k = chunk.Count;
            long before = (long)batch * config.Iterations;
            Trainer.Train(model, trainInput, trainTarget, settings, f =>
            {
                result.Steps[frame] = f.Iteration;
                for (int m = 0; m < k; m++) result.TrainCurve[frame * members.Count + offset + m] = 2 * f.MemberLoss[m] / n; // ½Σ → mean
                using (torch.no_grad())
                {
                    var testMse = Trainer.MemberLoss(model.Forward(testInput), testTarget, LossKind.MeanSquared)
                        .cpu().to(ScalarType.Float64).data<double>().ToArray();
                    for (int m = 0; m < k; m++) result.TestCurve[frame * members.Count + offset + m] = testMse[m];
                }
                frame++;
            }, context.Cancellation, i => context.Progress.Report(before + i, total));
        }
        return result;
    }

    static double[,] Column(double[] b)
    {
        var column = new double[b.Length, 1];
        for (int j = 0; j < b.Length; j++) column[j, 0] = b[j];
        return column;
    }

    // [K, n, 1]: every member's signal at grid points 2j + parity.
    Tensor Targets(IReadOnlyList<SweepMember> chunk, int parity, int n)
    {
        var values = new float[chunk.Count * n];
        for (int m = 0; m < chunk.Count; m++)
            for (int j = 0; j < n; j++) values[m * n + j] = (float)signals[chunk[m].Signal][2 * j + parity];
        return torch.tensor(values, [chunk.Count, n, 1L]).to(context.Device);
    }
}
