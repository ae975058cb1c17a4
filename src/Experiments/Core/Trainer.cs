using TorchSharp;
using static TorchSharp.torch;

namespace FourierRepro.Experiments.Core;

public enum OptimizerKind { Adam, Sgd }

public enum LossKind
{
    MeanSquared,     // mean over points and outputs (PyTorch MSELoss; Tancik's 2D code up to a factor ½)
    HalfSumSquared,  // ½ Σ (f − y)² (Tancik's 1D JAX code)
    BceWithLogits,   // logistic loss on logits, targets in {0, 1} (Rahaman's manifold classification)
}

// Threads: torch threads for the loop; null lets Core/TorchThreads choose by the size of a step.
public sealed record TrainSettings(int Iterations, double LearningRate, int RecordEvery,
    OptimizerKind Optimizer = OptimizerKind.Adam, LossKind Loss = LossKind.MeanSquared, int? Threads = null);

public sealed class TrainingDivergedException(string message) : Exception(message);

// A recorded frame: the prediction at `Iteration` is the function after that many updates (computed before the
// update of that iteration, as the reference code does). Prediction is [K, N, out], detached, valid only
// during the callback; MemberLoss holds each member's training loss.
public readonly record struct Frame(int Iteration, Tensor Prediction, double[] MemberLoss);

public static class Trainer
{
    // Full-batch training of every member of `model` on (input, target). target: [N, out] shared or [K, N, out].
    // Frames at iterations 0, R, 2R, … and at the last iteration. The loss is read back to the host only at
    // frames, so the steps in between never wait for the device.
    public static void Train(Mlp model, Tensor input, Tensor target, TrainSettings settings, Action<Frame>? onFrame,
        CancellationToken cancellation, Action<int>? onIteration = null)
    {
        if (settings.Iterations < 0) throw new ArgumentOutOfRangeException(nameof(settings), "Iterations must be ≥ 0");
        if (settings.RecordEvery < 1) throw new ArgumentOutOfRangeException(nameof(settings), "RecordEvery must be ≥ 1");
        using var optimizer = settings.Optimizer switch
        {
            OptimizerKind.Adam => (IParameterUpdate)new FusedAdam(model.Parameters(), settings.LearningRate), // betas (0.9, 0.999), eps 1e-8
            OptimizerKind.Sgd => new TorchOptimizerUpdate(optim.SGD(model.Parameters(), settings.LearningRate)),
            _ => throw new ArgumentOutOfRangeException(nameof(settings)),
        };
        optimizer.ZeroGrad();
        long points = input.shape[^2];
        using var threads = TorchThreads.Exactly(settings.Threads ?? TorchThreads.ForStep(model.Shape.StepFlops(points, model.Members)));
        for (int i = 0; ; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            if (Step(model, input, target, settings, optimizer, i, onFrame)) break;
            onIteration?.Invoke(i + 1);
            // TorchSharp leaves a few small finalizable objects per tensor operation that keep native memory (whole
            // activations, measured: ~16 MB per step of the 65,536-pixel image MLP) alive until the garbage collector
            // finalizes them; the managed heap barely grows, so it rarely runs on its own. A gen-0 collection per step
            // costs tens of microseconds; draining the finalizer queue every 10 steps keeps the resident set flat.
            GC.Collect(0);
            if (i % 10 == 9) GC.WaitForPendingFinalizers();
        }
    }

    // One iteration: forward, a frame when due, and the update. Returns true after the last frame.
    static bool Step(Mlp model, Tensor input, Tensor target, TrainSettings settings, IParameterUpdate optimizer, int i, Action<Frame>? onFrame)
    {
        using var scope = torch.NewDisposeScope();
        var prediction = model.Forward(input);
        var memberLoss = MemberLoss(prediction, target, settings.Loss);
        bool last = i == settings.Iterations;
        if (i % settings.RecordEvery == 0 || last)
        {
            var losses = memberLoss.detach().cpu().to(ScalarType.Float64).data<double>().ToArray();
            for (int m = 0; m < losses.Length; m++)
                if (!double.IsFinite(losses[m]))
                    throw new TrainingDivergedException($"training loss of member {m} became {losses[m]} at iteration {i}");
            onFrame?.Invoke(new Frame(i, prediction.detach(), losses));
        }
        if (last) return true;
        memberLoss.sum().backward(); // gradients are zero here: cleared before the loop and by every Step
        optimizer.Step();
        return false;
    }

    // One loss per member: [K].
    public static Tensor MemberLoss(Tensor prediction, Tensor target, LossKind loss)
    {
        var reduceDims = new long[] { 1, 2 };
        return loss switch
        {
            LossKind.MeanSquared => (prediction - target).square().mean(reduceDims),
            LossKind.HalfSumSquared => (prediction - target).square().sum(reduceDims).mul_(0.5),
            LossKind.BceWithLogits => nn.functional.binary_cross_entropy_with_logits(prediction, target.expand_as(prediction), reduction: nn.Reduction.None).mean(reduceDims),
            _ => throw new ArgumentOutOfRangeException(nameof(loss)),
        };
    }
}
