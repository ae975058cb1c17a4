using TorchSharp;
using static TorchSharp.torch;

namespace FourierRepro.Experiments.Core;

// Input mappings of Tancik et al. 2020: γ(v) = [a_j sin(2π b_jᵀv), a_j cos(2π b_jᵀv)]_j, optionally divided by ‖a‖
// (their 1D code does, their 2D code does not). Sin first, then cos, as in the reference code; the order is a
// fixed permutation of the inputs and changes neither the kernel nor the distribution of trained networks.
// "No mapping" passes v through, shifted by Offset (the 1D code feeds x − 0.5).
public sealed class InputMapping
{
    public string Name { get; }
    public int InputDim { get; }
    public bool IsIdentity { get; }
    public double Offset { get; }                 // identity only: v − Offset
    public double[,] B { get; }                   // [m, d] frequencies (rows b_j); empty for the identity
    public double[] A { get; }                    // [m] amplitudes a_j
    public bool NormalizeByNormA { get; }

    public int Frequencies => B.GetLength(0);
    public int OutputDim => IsIdentity ? InputDim : 2 * Frequencies;

    InputMapping(string name, int inputDim, bool identity, double offset, double[,] b, double[] a, bool normalize)
    {
        if (!identity && (b.GetLength(1) != inputDim || a.Length != b.GetLength(0)))
            throw new ArgumentException($"{name}: B is {b.GetLength(0)}x{b.GetLength(1)} and a has {a.Length} entries for {inputDim}-D inputs");
        (Name, InputDim, IsIdentity, Offset, B, A, NormalizeByNormA) = (name, inputDim, identity, offset, b, a, normalize);
    }

    public static InputMapping None(int inputDim, double offset = 0) => new("none", inputDim, true, offset, new double[0, inputDim], [], false);

    // The general form, with explicit b_j (rows of B) and a_j.
    public static InputMapping General(string name, double[,] b, double[] a, bool normalizeByNormA) =>
        new(name, b.GetLength(1), false, 0, b, a, normalizeByNormA);

    // Basic: B = I, a = 1, i.e. [sin 2πv, cos 2πv] per coordinate.
    public static InputMapping Basic(int inputDim, bool normalizeByNormA = false)
    {
        var b = new double[inputDim, inputDim];
        for (int i = 0; i < inputDim; i++) b[i, i] = 1;
        return new("basic", inputDim, false, 0, b, Enumerable.Repeat(1.0, inputDim).ToArray(), normalizeByNormA);
    }

    // Positional encoding as in the 2D notebook's posenc_new: per axis, m log-spaced frequencies 2^linspace(0, s, m) − 1
    // (the lowest is 0), stacked axis by axis: m·d rows of B.
    public static InputMapping PositionalEncoding(int inputDim, double scale, int perAxis = 128)
    {
        var b = new double[perAxis * inputDim, inputDim];
        for (int axis = 0; axis < inputDim; axis++)
            for (int j = 0; j < perAxis; j++)
                b[axis * perAxis + j, axis] = Math.Pow(2, perAxis == 1 ? 0 : scale * j / (perAxis - 1)) - 1;
        return new($"posenc(s={scale})", inputDim, false, 0, b, Enumerable.Repeat(1.0, perAxis * inputDim).ToArray(), false);
    }

    // Gaussian: B ~ N(0, σ²), m rows, a = 1.
    public static InputMapping Gaussian(int inputDim, int m, double sigma, Rng rng)
    {
        var b = new double[m, inputDim];
        for (int i = 0; i < m; i++)
            for (int k = 0; k < inputDim; k++) b[i, k] = sigma * rng.Normal();
        return new($"gaussian(sigma={sigma})", inputDim, false, 0, b, Enumerable.Repeat(1.0, m).ToArray(), false);
    }

    // Tancik Fig. 2/3 (1D): b_j = j, a_j = j^−p for j = 1..n, divided by ‖a‖; p = ∞ keeps only b = 1 (a = e₁).
    public static InputMapping PowerLaw1D(int n, double p)
    {
        var b = new double[n, 1];
        var a = new double[n];
        for (int j = 1; j <= n; j++)
        {
            b[j - 1, 0] = j;
            a[j - 1] = double.IsPositiveInfinity(p) ? (j == 1 ? 1 : 0) : Math.Pow(j, -p);
        }
        return new(PowerMappingNames.Name(p), 1, false, 0, b, a, true);
    }

    // Encodes rows of v ([N, d], row-major) into [N, OutputDim], in float64 (for kernels).
    public double[] Encode(ReadOnlySpan<double> v)
    {
        int n = v.Length / InputDim, d = InputDim;
        if (IsIdentity) { var r = new double[v.Length]; for (int i = 0; i < r.Length; i++) r[i] = v[i] - Offset; return r; }
        int m = Frequencies;
        double scale = NormalizeByNormA ? 1 / Math.Sqrt(A.Sum(x => x * x)) : 1;
        var result = new double[n * 2 * m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                double phase = 0;
                for (int k = 0; k < d; k++) phase += B[j, k] * v[i * d + k];
                phase *= 2 * Math.PI;
                result[i * 2 * m + j] = scale * A[j] * Math.Sin(phase);
                result[i * 2 * m + m + j] = scale * A[j] * Math.Cos(phase);
            }
        return result;
    }

    // Encodes v ([N, d] float32 tensor) into an [N, OutputDim] float32 tensor on v's device. Compute it once per run.
    public Tensor Encode(Tensor v)
    {
        if (IsIdentity) return Offset == 0 ? v.alias() : v - Offset;
        using var scope = torch.NewDisposeScope();
        int m = Frequencies;
        var bFlat = new float[m * InputDim];
        for (int j = 0; j < m; j++) for (int k = 0; k < InputDim; k++) bFlat[j * InputDim + k] = (float)B[j, k];
        double scale = NormalizeByNormA ? 1 / Math.Sqrt(A.Sum(x => x * x)) : 1;
        var b = torch.tensor(bFlat, [m, InputDim]).to(v.device);
        var a = torch.tensor(A.Select(x => (float)(x * scale)).ToArray()).to(v.device);
        var phase = torch.matmul(v.to(ScalarType.Float64), b.to(ScalarType.Float64).t()).mul_(2 * Math.PI); // float64 phases: large b·v keep their digits
        var features = torch.cat([torch.sin(phase).to(ScalarType.Float32) * a, torch.cos(phase).to(ScalarType.Float32) * a], 1);
        return features.MoveToOuterDisposeScope();
    }
}
