using static TorchSharp.torch;

namespace FourierRepro.Experiments.Core;

// Random directions in the parameter space of one network of `Shape`: every weight and every bias drawn i.i.d.
// N(0, 1), then the whole vector divided by its global L2 norm over all parameters, so each direction has unit
// norm (Rahaman's `unit_params`, PAPERS.md section B). Stored stacked like an ensemble: layer l's weights
// [Count, in, out], biases [Count, 1, out], so that θ + δ·u for every direction is one Count-member Mlp.
public sealed class ParameterDirections : IDisposable
{
    readonly List<Tensor> weights = [];
    readonly List<Tensor> biases = [];

    public MlpShape Shape { get; }
    public int Count { get; }
    public IReadOnlyList<Tensor> Weights => weights;
    public IReadOnlyList<Tensor> Biases => biases;

    ParameterDirections(MlpShape shape, int count) => (Shape, Count) = (shape, count);

    // Direction b is drawn layer by layer (weights, then biases) from `rng`, after directions 0..b−1.
    public static ParameterDirections RandomUnit(MlpShape shape, int count, Rng rng, Device device)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), "at least one direction");
        var sizes = shape.LayerSizes();
        int depth = shape.Depth;
        var w = new float[depth][];
        var b = new float[depth][];
        for (int l = 0; l < depth; l++)
        {
            w[l] = new float[count * sizes[l] * sizes[l + 1]];
            b[l] = new float[count * sizes[l + 1]];
        }
        for (int d = 0; d < count; d++)
        {
            double squared = 0;
            for (int l = 0; l < depth; l++)
            {
                var wl = w[l].AsSpan(d * sizes[l] * sizes[l + 1], sizes[l] * sizes[l + 1]);
                var bl = b[l].AsSpan(d * sizes[l + 1], sizes[l + 1]);
                squared += FillNormal(wl, rng) + FillNormal(bl, rng);
            }
            // Scale the float32 values by the norm of the float32 values, so the stored direction is unit to round-off.
            float scale = (float)(1 / Math.Sqrt(squared));
            for (int l = 0; l < depth; l++)
            {
                foreach (ref var v in w[l].AsSpan(d * sizes[l] * sizes[l + 1], sizes[l] * sizes[l + 1])) v *= scale;
                foreach (ref var v in b[l].AsSpan(d * sizes[l + 1], sizes[l + 1])) v *= scale;
            }
        }
        var result = new ParameterDirections(shape, count);
        for (int l = 0; l < depth; l++)
        {
            result.weights.Add(OnDevice(tensor(w[l], [count, sizes[l], sizes[l + 1]]), device));
            result.biases.Add(OnDevice(tensor(b[l], [count, 1, sizes[l + 1]]), device));
        }
        return result;
    }

    static Tensor OnDevice(Tensor host, Device device)
    {
        var moved = host.to(device);
        if (!ReferenceEquals(moved, host)) host.Dispose();
        return moved.DetachFromDisposeScope();
    }

    static double FillNormal(Span<float> values, Rng rng)
    {
        double squared = 0;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)rng.Normal();
            squared += (double)values[i] * values[i];
        }
        return squared;
    }

    // The global L2 norm of each direction over all its weights and biases, in float64: [Count].
    public double[] GlobalNorms()
    {
        using var scope = NewDisposeScope();
        var squared = zeros(Count, dtype: ScalarType.Float64);
        foreach (var t in weights.Concat(biases))
            squared += t.detach().cpu().to(ScalarType.Float64).square().sum([1, 2]);
        return squared.sqrt().data<double>().ToArray();
    }

    // θ + δ·u_b for the directions b in [first, first + count), as one `count`-member network. `model` must be a
    // single network of `Shape`. The copy's parameters are new tensors; dispose it (or its dispose scope) after use.
    public Mlp Perturb(Mlp model, double delta, int first, int count)
    {
        if (model.Members != 1) throw new ArgumentException($"perturbing a {model.Members}-member ensemble; expected one network");
        if (model.Shape != Shape) throw new ArgumentException($"directions are for {Shape}, the model is {model.Shape}");
        if (first < 0 || count < 1 || first + count > Count) throw new ArgumentOutOfRangeException(nameof(count), $"directions [{first}, {first + count}) of {Count}");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var w = weights.Select((u, l) => model.Weights[l].detach() + u.narrow(0, first, count) * delta).ToList();
        var b = biases.Select((u, l) => model.Biases[l].detach() + u.narrow(0, first, count) * delta).ToList();
        var copy = new Mlp(Shape, w, b, model.Activation);
        foreach (var p in copy.Parameters()) p.MoveToOuterDisposeScope();
        return copy;
    }

    public void Dispose()
    {
        foreach (var t in weights.Concat(biases)) t.Dispose();
    }
}
