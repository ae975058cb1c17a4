using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FourierRepro.Experiments.Core;

public enum MlpInit
{
    TorchDefault,   // PyTorch nn.Linear: W, b ~ U(±1/√fan_in) (Rahaman's notebooks)
    NtStandard,     // neural-tangents 0.2.2 'standard': W ~ N(0, 1/fan_in), b = 0 (Tancik's 1D notebooks)
    StaxGlorot,     // jax stax Dense: W ~ truncated-normal glorot (fan_avg), b ~ N(0, 0.01²) (Tancik's 2D notebooks)
}

public enum OutputActivation { Linear, Sigmoid }

// Depth counts Linear layers, as in both papers' code: Depth 6, Width 256 is 1→256, 4 × 256→256, 256→1.
public sealed record MlpShape(int Input, int Width, int Depth, int Output)
{
    public int[] LayerSizes()
    {
        if (Depth < 1 || Width < 1 || Input < 1 || Output < 1) throw new ArgumentException($"invalid MLP shape {this}");
        var sizes = new int[Depth + 1];
        sizes[0] = Input;
        for (int l = 1; l < Depth; l++) sizes[l] = Width;
        sizes[Depth] = Output;
        return sizes;
    }

    // The necessary FLOPs of one full-batch training step on `points` inputs: forward 2·N·Σ in·out; backward the weight
    // gradients (the same again) plus the input gradients of every layer but the first (none flows into the inputs).
    public double StepFlops(long points, int members = 1)
    {
        var s = LayerSizes();
        double all = 0, notFirst = 0;
        for (int l = 0; l < Depth; l++)
        {
            all += (double)s[l] * s[l + 1];
            if (l > 0) notFirst += (double)s[l] * s[l + 1];
        }
        return members * 2.0 * points * (2 * all + notFirst);
    }

    public long ParameterCount()
    {
        var s = LayerSizes();
        long n = 0;
        for (int l = 0; l < Depth; l++) n += (long)s[l] * s[l + 1] + s[l + 1];
        return n;
    }
}

// K independent ReLU MLPs of one shape, stored stacked: layer l's weights are one [K, in, out] tensor and its
// biases [K, 1, out], so a forward pass is one batched matmul per layer. K = 1 is a single network; members
// never interact (their losses are summed, so each gets its own gradient, and Adam is element-wise).
public sealed class Mlp : IDisposable
{
    readonly List<Parameter> weights = [];
    readonly List<Parameter> biases = [];

    public MlpShape Shape { get; }
    public int Members { get; }
    public OutputActivation Activation { get; }
    public IReadOnlyList<Parameter> Weights => weights;
    public IReadOnlyList<Parameter> Biases => biases;

    // One Rng per member, so member m of an ensemble is initialised exactly as a lone network with that Rng.
    public Mlp(MlpShape shape, MlpInit init, IReadOnlyList<Rng> memberRngs, Device device, OutputActivation activation = OutputActivation.Linear)
    {
        Shape = shape;
        Members = memberRngs.Count;
        Activation = activation;
        if (Members < 1) throw new ArgumentException("an MLP needs at least one member");
        var sizes = shape.LayerSizes();
        var w = new float[Shape.Depth][];
        var b = new float[Shape.Depth][];
        for (int l = 0; l < Shape.Depth; l++)
        {
            w[l] = new float[Members * sizes[l] * sizes[l + 1]];
            b[l] = new float[Members * sizes[l + 1]];
        }
        for (int m = 0; m < Members; m++)
        {
            var rng = memberRngs[m];
            for (int l = 0; l < Shape.Depth; l++)
            {
                int fanIn = sizes[l], fanOut = sizes[l + 1];
                var (wl, bl) = InitLayer(init, fanIn, fanOut, rng);
                wl.CopyTo(w[l], m * wl.Length);
                bl.CopyTo(b[l], m * bl.Length);
            }
        }
        for (int l = 0; l < Shape.Depth; l++)
        {
            using var wt = torch.tensor(w[l], [Members, sizes[l], sizes[l + 1]]);
            using var bt = torch.tensor(b[l], [Members, 1, sizes[l + 1]]);
            weights.Add(new Parameter(wt.to(device)));
            biases.Add(new Parameter(bt.to(device)));
        }
    }

    // A network with the given parameter values (copied, so the new network shares nothing with its sources):
    // weightValues[l] is [K, in, out] and biasValues[l] [K, 1, out], stacked as in the other constructor.
    // Used for perturbed copies of a trained network, evaluated as one K-member ensemble.
    public Mlp(MlpShape shape, IReadOnlyList<Tensor> weightValues, IReadOnlyList<Tensor> biasValues, OutputActivation activation = OutputActivation.Linear)
    {
        Shape = shape;
        Activation = activation;
        var sizes = shape.LayerSizes();
        if (weightValues.Count != shape.Depth || biasValues.Count != shape.Depth)
            throw new ArgumentException($"{shape} has {shape.Depth} layers; got {weightValues.Count} weight and {biasValues.Count} bias tensors");
        Members = (int)weightValues[0].shape[0];
        for (int l = 0; l < shape.Depth; l++)
        {
            long[] w = [Members, sizes[l], sizes[l + 1]], b = [Members, 1, sizes[l + 1]];
            if (!weightValues[l].shape.SequenceEqual(w) || !biasValues[l].shape.SequenceEqual(b))
                throw new ArgumentException($"layer {l + 1}: expected weights [{string.Join(",", w)}] and biases [{string.Join(",", b)}], " +
                                            $"got [{string.Join(",", weightValues[l].shape)}] and [{string.Join(",", biasValues[l].shape)}]");
            weights.Add(new Parameter(weightValues[l].detach().to(ScalarType.Float32).clone()));
            biases.Add(new Parameter(biasValues[l].detach().to(ScalarType.Float32).clone()));
        }
    }

    // Values in [fan_in, fan_out] order (the transpose of PyTorch's storage); the distributions are what matter.
    static (float[] W, float[] B) InitLayer(MlpInit init, int fanIn, int fanOut, Rng rng)
    {
        int n = fanIn * fanOut;
        switch (init)
        {
            case MlpInit.TorchDefault:
                double bound = 1.0 / Math.Sqrt(fanIn); // kaiming_uniform(a=√5) and the bias rule give the same bound
                return (rng.UniformArray(n, -bound, bound), rng.UniformArray(fanOut, -bound, bound));
            case MlpInit.NtStandard:
                return (rng.NormalArray(n, 1.0 / Math.Sqrt(fanIn)), new float[fanOut]);
            case MlpInit.StaxGlorot:
                double std = Math.Sqrt(2.0 / (fanIn + fanOut)) / 0.87962566103423978; // variance_scaling(1, fan_avg, truncated_normal)
                var wv = new float[n];
                for (int i = 0; i < n; i++)
                {
                    double z;
                    do z = rng.Normal(); while (Math.Abs(z) >= 2);
                    wv[i] = (float)(std * z);
                }
                return (wv, rng.NormalArray(fanOut, 0.01));
            default:
                throw new ArgumentOutOfRangeException(nameof(init), init, null);
        }
    }

    public IEnumerable<Parameter> Parameters()
    {
        for (int l = 0; l < weights.Count; l++) { yield return weights[l]; yield return biases[l]; }
    }

    // x: [N, in] shared by all members, or [K, N, in] one input per member. Returns [K, N, out].
    public Tensor Forward(Tensor x)
    {
        if (Members == 1 && x.dim() == 2) return ForwardSingle(x).unsqueeze(0);
        // matmul + add rather than torch.baddbmm: TorchSharp 0.107's baddbmm rejects a [K, 1, out] bias that
        // needs broadcasting over the N rows.
        Tensor h = torch.matmul(x, weights[0]).add_(biases[0]);
        for (int l = 1; l < weights.Count; l++)
        {
            h = nn.functional.relu(h, inplace: true); // see ForwardSingle
            h = torch.matmul(h, weights[l]).add_(biases[l]);
        }
        return Activation == OutputActivation.Sigmoid ? torch.sigmoid(h) : h;
    }

    // One network on [N, in]: plain 2D GEMMs with the bias fused in (addmm), on views of the stacked parameters.
    // ReLU in place: a matmul's backward needs its inputs, not its output, so autograd allows it (and would throw at
    // backward if it did not); it saves a whole activation per layer (65,536-pixel image step: 0.54 → 0.51 s).
    Tensor ForwardSingle(Tensor x)
    {
        Tensor h = x;
        for (int l = 0; l < weights.Count; l++)
        {
            if (l > 0) h = nn.functional.relu(h, inplace: true);
            h = torch.addmm(biases[l].view(-1), h, weights[l].select(0, 0), 1, 1);
        }
        return Activation == OutputActivation.Sigmoid ? torch.sigmoid(h) : h;
    }

    // Largest singular value of each layer's weight matrix, per member: [member][layer] (float64 SVD).
    public double[][] SpectralNorms()
    {
        using var scope = torch.NewDisposeScope();
        var result = new double[Members][];
        for (int m = 0; m < Members; m++) result[m] = new double[weights.Count];
        using var _ = torch.no_grad();
        for (int l = 0; l < weights.Count; l++)
        {
            var sigma = torch.linalg.svdvals(weights[l].detach().to(ScalarType.Float64).cpu()).max(1).values;
            var values = sigma.data<double>().ToArray();
            for (int m = 0; m < Members; m++) result[m][l] = values[m];
        }
        return result;
    }

    public void Dispose()
    {
        foreach (var p in weights) p.Dispose();
        foreach (var p in biases) p.Dispose();
    }
}
