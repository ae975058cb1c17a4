using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace FourierRepro.Experiments.Core;

// A fully connected ReLU network: Depth Linear layers (Depth − 1 ReLUs, linear output), hidden Width.
public sealed record NtkSpec(int Depth, int Width, NtkParameterization Parameterization = NtkParameterization.Standard, double WStd = 1, double BStd = 0);

// The analytic (infinite-width limit, or NT 0.2.2 'standard' finite-width formula) neural tangent kernel of a ReLU
// MLP, computed in float64 over whole kernel matrices (PAPERS.md, "NTK formula exactly as NT 0.2.2 computes it").
public static class Ntk
{
    // x1: [N1, d], x2: [N2, d] float64 (already mapped inputs). Returns Θ: [N1, N2] float64, on x1's device.
    // On the CPU: one GEMM for u·u′ (for a Gram matrix, x1 and x2 the same tensor, its upper triangle by row blocks),
    // then every layer of the recursion in one fused pass over the matrix, in place (FusedLayers). Elsewhere (CUDA):
    // the same recursion as whole-matrix torch operations (KernelByTensorOps).
    public static Tensor Kernel(NtkSpec spec, Tensor x1, Tensor x2)
    {
        // A Span (Tensor.bytes) addresses at most 2³¹ − 1 bytes: N1·N2 ≤ 268 M doubles, N ≤ 16383 for a square kernel.
        if (x1.device_type != DeviceType.CPU || (long)x1.shape[0] * x2.shape[0] * sizeof(double) > int.MaxValue) return KernelByTensorOps(spec, x1, x2);
        if (spec.Depth < 1) throw new ArgumentException("an MLP has at least one layer");
        bool gram = ReferenceEquals(x1, x2);   // Θ(x, x): symmetric, so the pass covers one triangle and mirrors it
        using var scope = torch.NewDisposeScope();
        x1 = x1.to(ScalarType.Float64);
        x2 = gram ? x1 : x2.to(ScalarType.Float64);
        long d = x1.shape[1];
        if (x2.shape[1] != d) throw new ArgumentException($"inputs of dimension {d} and {x2.shape[1]}");
        var theta = gram ? UpperGram(x1) : torch.matmul(x1, x2.t()).contiguous(); // u·u′, becomes Θ in place
        var cov1 = x1.square().sum(1).div_(d).contiguous().data<double>().ToArray(); // |u|²/d
        var cov2 = gram ? cov1 : x2.square().sum(1).div_(d).contiguous().data<double>().ToArray();
        FusedLayers(spec, theta, d, cov1, cov2, gram);
        return theta.MoveToOuterDisposeScope();
    }

    // u·u′ of a Gram matrix on and above the diagonal only (below it the memory is left unset: the pass mirrors its upper
    // triangle there), by GramBlocks² / 2 + GramBlocks / 2 products of row blocks: 10 of 16 blocks' FLOPs.
    const int GramBlocks = 4;
    const int GramBlocksFrom = 256; // below, one product: the blocks' overhead would outweigh the saving

    static Tensor UpperGram(Tensor x)
    {
        int n = (int)x.shape[0];
        if (n < GramBlocksFrom) return torch.matmul(x, x.t()).contiguous();
        var theta = torch.empty(n, n, dtype: ScalarType.Float64);
        for (int bi = 0; bi < GramBlocks; bi++)
        {
            int r0 = n * bi / GramBlocks, rn = n * (bi + 1) / GramBlocks - r0;
            var rows = x.narrow(0, r0, rn);
            for (int bj = bi; bj < GramBlocks; bj++)
            {
                int c0 = n * bj / GramBlocks, cn = n * (bj + 1) / GramBlocks - c0;
                using var block = torch.matmul(rows, x.narrow(0, c0, cn).t());
                theta.narrow(0, r0, rn).narrow(1, c0, cn).copy_(block);
            }
        }
        return theta;
    }

    // The per-layer variances of the inputs, as the recursion carries them: before layer l's ReLU, cov ← w²·cov + b²;
    // after it, cov ← cov/2. Row l of the result is the variance that layer l's ReLU sees.
    static double[][] LayerVariances(NtkSpec spec, double[] cov0)
    {
        double w2 = spec.WStd * spec.WStd, b2 = spec.BStd * spec.BStd;
        var layers = new double[Math.Max(0, spec.Depth - 1)][];
        var cov = (double[])cov0.Clone();
        for (int l = 0; l < layers.Length; l++)
        {
            for (int i = 0; i < cov.Length; i++) cov[i] = cov[i] * w2 + b2;
            layers[l] = (double[])cov.Clone();
            for (int i = 0; i < cov.Length; i++) cov[i] /= 2;
        }
        return layers;
    }

    // Θ ← the whole recursion applied element by element to the matrix u·u′ (in place). One read and one write of the
    // matrix instead of ~20 whole-matrix passes per layer; the arccos is a vectorised polynomial (AcosVector), the
    // rest the same operations in the same order as KernelByTensorOps (Σ̇·Θ's division by 2π aside, below), so the two
    // agree to round-off (NtkFusedKernelTests).
    // With `upper`, only the elements j ≥ i are computed and then copied to (j, i): a Gram matrix comes out exactly
    // symmetric (the GEMM's u·u′ and u′·u may differ in the last bit, which arccos near c = 1 would magnify to ~1e-8).
    static void FusedLayers(NtkSpec spec, Tensor theta, long d, double[] cov1, double[] cov2, bool upper)
    {
        int n1 = (int)theta.shape[0], n2 = (int)theta.shape[1];
        var var1 = LayerVariances(spec, cov1);
        var var2 = LayerVariances(spec, cov2);
        var p = new FusedParameters(spec, d, var1, var2);
        int threads = Math.Max(1, Math.Min(torch.get_num_threads(), Environment.ProcessorCount));
        // Blocks of rows, a few per thread: rows cost the same, so static blocks balance; more blocks than threads
        // absorb a core taken by another process. A triangle's rows shrink: 64 blocks, handed out as threads free up.
        int blocks = Math.Min(n1, upper ? 64 : threads * 8);
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        Parallel.For(0, blocks, options, b =>
        {
            int first = (int)((long)n1 * b / blocks), last = (int)((long)n1 * (b + 1) / blocks);
            // Tensor.bytes is a view of the contiguous CPU tensor's memory, not a copy (as FusedAdam uses it).
            var matrix = MemoryMarshal.Cast<byte, double>(theta.bytes);
            for (int i = first; i < last; i++)
            {
                int from = upper ? i : 0;
                FusedRow(p, matrix.Slice(i * n2 + from, n2 - from), i, from, var1, var2);
            }
        });
        if (!upper) return;
        // The lower triangle from the upper, in 64 × 64 tiles (a transposed copy touches a cache line per element otherwise).
        const int Tile = 64;
        int tiles = (n1 + Tile - 1) / Tile;
        Parallel.For(0, tiles, options, ti =>
        {
            var matrix = MemoryMarshal.Cast<byte, double>(theta.bytes);
            for (int tj = 0; tj <= ti; tj++)
                for (int i = ti * Tile; i < Math.Min(n1, (ti + 1) * Tile); i++)
                    for (int j = tj * Tile; j < Math.Min(i, (tj + 1) * Tile); j++)
                        matrix[i * n2 + j] = matrix[j * n2 + i];
        });
    }

    sealed class FusedParameters(NtkSpec spec, long d, double[][] var1, double[][] var2)
    {
        // √(q·q′) of a layer where every input has the same variance q (inputs of one norm: every Fourier feature
        // mapping), the same value the per-element square root gives, computed once; null where the variances differ.
        public readonly double?[] ConstantNorm = var1.Zip(var2, (a, b) =>
            a.Length > 0 && b.Length > 0 && a.All(v => v == a[0]) && b.All(v => v == a[0]) ? Math.Sqrt(a[0] * b[0]) : (double?)null).ToArray();
        public readonly int Depth = spec.Depth;
        public readonly bool Standard = spec.Parameterization == NtkParameterization.Standard;
        public readonly double W2 = spec.WStd * spec.WStd, B2 = spec.BStd * spec.BStd, D = d, Width = spec.Width;
    }

    // Σ̇·Θ takes a product with 1/(2π), within one rounding of the tensor path's division (a division costs ~4
    // products). The covariance keeps the division: the next layer's c = nngp/√(q q′) must round exactly as before,
    // because near c = 1 arccos turns one ulp of c into ~1e-8 of θ (a shared input moved its Θ by 3e-9 in the test).
    const double InverseTwoPi = 1 / (2 * Math.PI);

    // 8 lanes where AVX-512 runs natively (the 256-bit path is the same code on 4 lanes; tests run both).
    public static bool UseVector512 { get; set; } = Vector512.IsHardwareAccelerated;

    // row: elements (i, offset), (i, offset + 1), … of the matrix.
    static void FusedRow(FusedParameters p, Span<double> row, int i, int offset, double[][] var1, double[][] var2)
    {
        int n = row.Length, j = 0;
        if (UseVector512)
        {
            var w2 = Vector512.Create(p.W2);
            var b2 = Vector512.Create(p.B2);
            var one = Vector512.Create(1.0);
            var minusOne = Vector512.Create(-1.0);
            var zero = Vector512<double>.Zero;
            var pi = Vector512.Create(Math.PI);
            var inverseTwoPi = Vector512.Create(InverseTwoPi);
            var twoPi = Vector512.Create(2 * Math.PI);
            for (; j + 8 <= n; j += 8)
            {
                var nngp = Vector512.Create(row.Slice(j, 8)) / Vector512.Create(p.D);
                var ntk = zero;
                for (int l = 0; l < p.Depth; l++)
                {
                    var nIn = Vector512.Create(l == 0 ? p.D : p.Width);
                    if (p.Standard)
                    {
                        ntk = ntk * w2 + nngp * nIn + one;
                        nngp = nngp * w2 + b2;
                    }
                    else
                    {
                        nngp = nngp * w2 + b2;
                        ntk = ntk * w2 + nngp;
                    }
                    if (l == p.Depth - 1) break;
                    var norms = p.ConstantNorm[l] is { } constant ? Vector512.Create(constant)
                        : Vector512.Sqrt(Vector512.Create(var1[l][i]) * Vector512.Create(var2[l].AsSpan(offset + j, 8)));
                    var degenerate = Vector512.Equals(norms, zero);
                    var cosine = Vector512.Min(Vector512.Max(nngp / Vector512.ConditionalSelect(degenerate, one, norms), minusOne), one);
                    var sine = Vector512.Sqrt(Vector512.Max(one - cosine * cosine, zero));
                    var piMinusTheta = pi - AcosVector512(cosine);
                    ntk = Vector512.ConditionalSelect(degenerate, zero, ntk * piMinusTheta * inverseTwoPi);
                    nngp = Vector512.ConditionalSelect(degenerate, zero, (piMinusTheta * cosine + sine) * norms / twoPi);
                }
                ntk.CopyTo(row.Slice(j, 8));
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var w2 = Vector256.Create(p.W2);
            var b2 = Vector256.Create(p.B2);
            var one = Vector256.Create(1.0);
            var minusOne = Vector256.Create(-1.0);
            var zero = Vector256<double>.Zero;
            var pi = Vector256.Create(Math.PI);
            var inverseTwoPi = Vector256.Create(InverseTwoPi);
            var twoPi = Vector256.Create(2 * Math.PI);
            for (; j + 4 <= n; j += 4)
            {
                var nngp = Vector256.Create(row.Slice(j, 4)) / Vector256.Create(p.D);
                var ntk = zero;
                for (int l = 0; l < p.Depth; l++)
                {
                    var nIn = Vector256.Create(l == 0 ? p.D : p.Width);
                    if (p.Standard)
                    {
                        ntk = ntk * w2 + nngp * nIn + one;
                        nngp = nngp * w2 + b2;
                    }
                    else
                    {
                        nngp = nngp * w2 + b2;
                        ntk = ntk * w2 + nngp;
                    }
                    if (l == p.Depth - 1) break;
                    var norms = p.ConstantNorm[l] is { } constant ? Vector256.Create(constant)
                        : Vector256.Sqrt(Vector256.Create(var1[l][i]) * Vector256.Create(var2[l].AsSpan(offset + j, 4)));
                    var degenerate = Vector256.Equals(norms, zero);
                    var cosine = Vector256.Min(Vector256.Max(nngp / Vector256.ConditionalSelect(degenerate, one, norms), minusOne), one);
                    var sine = Vector256.Sqrt(Vector256.Max(one - cosine * cosine, zero));
                    var piMinusTheta = pi - AcosVector(cosine);
                    ntk = Vector256.ConditionalSelect(degenerate, zero, ntk * piMinusTheta * inverseTwoPi);
                    nngp = Vector256.ConditionalSelect(degenerate, zero, (piMinusTheta * cosine + sine) * norms / twoPi);
                }
                ntk.CopyTo(row.Slice(j, 4));
            }
        }
        for (; j < n; j++)
        {
            double nngp = row[j] / p.D, ntk = 0;
            for (int l = 0; l < p.Depth; l++)
            {
                double nIn = l == 0 ? p.D : p.Width;
                if (p.Standard) { ntk = ntk * p.W2 + nngp * nIn + 1; nngp = nngp * p.W2 + p.B2; }
                else { nngp = nngp * p.W2 + p.B2; ntk = ntk * p.W2 + nngp; }
                if (l == p.Depth - 1) break;
                double norms = Math.Sqrt(var1[l][i] * var2[l][offset + j]);
                if (norms == 0) { ntk = 0; nngp = 0; continue; }
                double cosine = Math.Clamp(nngp / norms, -1.0, 1.0);
                double sine = Math.Sqrt(Math.Max(1 - cosine * cosine, 0));
                double piMinusTheta = Math.PI - Math.Acos(cosine);
                ntk = ntk * piMinusTheta * InverseTwoPi;
                nngp = (piMinusTheta * cosine + sine) * norms / (2 * Math.PI);
            }
            row[j] = ntk;
        }
    }

    // arccos of 4 doubles in [−1, 1] without branches: asin(t) = t + t·u·P(u), u = t², a minimax polynomial of degree 11
    // on [0, 1/2] (SLEEF's xacos coefficients, ~1 ulp), with t = x where |x| < 1/2 (θ = π/2 − asin x) and otherwise
    // t = √z, z = (1 − |x|)/2 (θ = 2 asin t for x > 0, π − 2 asin t for x < 0). A polynomial, not fdlibm's rational: the
    // division cost more than the pass's other arithmetic. acos(1) = 0 exactly (t = 0), so a diagonal keeps Σ̇ = 1/2.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> AcosVector(Vector256<double> x)
    {
        var half = Vector256.Create(0.5);
        var ax = Vector256.Abs(x);
        var small = Vector256.LessThan(ax, half);
        // Every lane small (most entries of a kernel of spread-out inputs): the square root is not needed. The same
        // operations on those lanes as the blend below, so the result does not depend on the neighbours.
        bool allSmall = Vector256.LessThanAll(ax, half);
        var z = (Vector256.Create(1.0) - ax) * half;
        var t = allSmall ? x : Vector256.ConditionalSelect(small, x, Vector256.Sqrt(z));
        var u = allSmall ? x * x : Vector256.ConditionalSelect(small, x * x, z);
        var p = Vector256.Create(0.3161587650653934628e-1);
        p = Vector256.FusedMultiplyAdd(p, u, Vector256.Create(-0.1581918243329996643e-1));
        p = Vector256.FusedMultiplyAdd(p, u, Vector256.Create(0.1929045477267910674e-1));
        p = Vector256.FusedMultiplyAdd(p, u, Vector256.Create(0.6606077476277170610e-2));
        p = Vector256.FusedMultiplyAdd(p, u, Vector256.Create(0.1215360525577377331e-1));
        p = Vector256.FusedMultiplyAdd(p, u, Vector256.Create(0.1388715184501609218e-1));
        p = Vector256.FusedMultiplyAdd(p, u, Vector256.Create(0.1735956991223614604e-1));
        p = Vector256.FusedMultiplyAdd(p, u, Vector256.Create(0.2237176181932048341e-1));
        p = Vector256.FusedMultiplyAdd(p, u, Vector256.Create(0.3038195928038132237e-1));
        p = Vector256.FusedMultiplyAdd(p, u, Vector256.Create(0.4464285681377102438e-1));
        p = Vector256.FusedMultiplyAdd(p, u, Vector256.Create(0.7500000000378581611e-1));
        p = Vector256.FusedMultiplyAdd(p, u, Vector256.Create(0.1666666666666497543e+0));
        var asin = Vector256.FusedMultiplyAdd(t * u, p, t);
        var smallResult = (Vector256.Create(1.57079632679489655800e+00) - asin) + Vector256.Create(6.12323399573676603587e-17); // π/2 in two parts
        if (allSmall) return smallResult;
        var twice = asin + asin;
        var large = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<double>.Zero), Vector256.Create(Math.PI) - twice, twice);
        return Vector256.ConditionalSelect(small, smallResult, large);
    }

    // AcosVector on 8 lanes (AVX-512), the same steps.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> AcosVector512(Vector512<double> x)
    {
        var half = Vector512.Create(0.5);
        var ax = Vector512.Abs(x);
        var small = Vector512.LessThan(ax, half);
        // Every lane small (most entries of a kernel of spread-out inputs): the square root is not needed. The same
        // operations on those lanes as the blend below, so the result does not depend on the neighbours.
        bool allSmall = Vector512.LessThanAll(ax, half);
        var z = (Vector512.Create(1.0) - ax) * half;
        var t = allSmall ? x : Vector512.ConditionalSelect(small, x, Vector512.Sqrt(z));
        var u = allSmall ? x * x : Vector512.ConditionalSelect(small, x * x, z);
        var p = Vector512.Create(0.3161587650653934628e-1);
        p = Vector512.FusedMultiplyAdd(p, u, Vector512.Create(-0.1581918243329996643e-1));
        p = Vector512.FusedMultiplyAdd(p, u, Vector512.Create(0.1929045477267910674e-1));
        p = Vector512.FusedMultiplyAdd(p, u, Vector512.Create(0.6606077476277170610e-2));
        p = Vector512.FusedMultiplyAdd(p, u, Vector512.Create(0.1215360525577377331e-1));
        p = Vector512.FusedMultiplyAdd(p, u, Vector512.Create(0.1388715184501609218e-1));
        p = Vector512.FusedMultiplyAdd(p, u, Vector512.Create(0.1735956991223614604e-1));
        p = Vector512.FusedMultiplyAdd(p, u, Vector512.Create(0.2237176181932048341e-1));
        p = Vector512.FusedMultiplyAdd(p, u, Vector512.Create(0.3038195928038132237e-1));
        p = Vector512.FusedMultiplyAdd(p, u, Vector512.Create(0.4464285681377102438e-1));
        p = Vector512.FusedMultiplyAdd(p, u, Vector512.Create(0.7500000000378581611e-1));
        p = Vector512.FusedMultiplyAdd(p, u, Vector512.Create(0.1666666666666497543e+0));
        var asin = Vector512.FusedMultiplyAdd(t * u, p, t);
        var smallResult = (Vector512.Create(1.57079632679489655800e+00) - asin) + Vector512.Create(6.12323399573676603587e-17); // π/2 in two parts
        if (allSmall) return smallResult;
        var twice = asin + asin;
        var large = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<double>.Zero), Vector512.Create(Math.PI) - twice, twice);
        return Vector512.ConditionalSelect(small, smallResult, large);
    }

    // The recursion as whole-matrix torch operations, on any device: the implementation before FusedLayers, kept for
    // CUDA tensors and as the reference the fused pass is tested and benchmarked against.
    public static Tensor KernelByTensorOps(NtkSpec spec, Tensor x1, Tensor x2)
    {
        if (spec.Depth < 1) throw new ArgumentException("an MLP has at least one layer");
        using var scope = torch.NewDisposeScope();
        x1 = x1.to(ScalarType.Float64);
        x2 = x2.to(ScalarType.Float64);
        long d = x1.shape[1];
        if (x2.shape[1] != d) throw new ArgumentException($"inputs of dimension {d} and {x2.shape[1]}");
        double w2 = spec.WStd * spec.WStd, b2 = spec.BStd * spec.BStd;

        // In-place element-wise passes over [N1, N2] (a 4096² kernel is 134 MB per temporary).
        var nngp = torch.matmul(x1, x2.t()).div_(d);                 // u·u′/d
        var cov1 = x1.square().sum(1, keepdim: true).div_(d);        // |u|²/d, [N1, 1]
        var cov2 = x2.square().sum(1, keepdim: true).t().div_(d);    // |u′|²/d, [1, N2]
        var ntk = torch.zeros_like(nngp);

        for (int layer = 0; layer < spec.Depth; layer++)
        {
            long nIn = layer == 0 ? d : spec.Width;
            if (spec.Parameterization == NtkParameterization.Standard)
            {
                ntk.mul_(w2).add_(nngp, nIn).add_(1);                 // weight gradients, bias gradient ("+1"), propagated
                nngp.mul_(w2).add_(b2);
            }
            else
            {
                nngp.mul_(w2).add_(b2);
                ntk.mul_(w2).add_(nngp);
            }
            cov1 = cov1 * w2 + b2;
            cov2 = cov2 * w2 + b2;
            if (layer == spec.Depth - 1) break;

            // ReLU (arc-cosine kernel of degree 1), c = cos θ = nngp / √(cov1 cov2):
            //   Σ̇ = (π − θ)/(2π),  nngp ← √(cov1 cov2)(sin θ + (π − θ) cos θ)/(2π),  ntk ← ntk·Σ̇,  cov ← cov/2.
            // A zero-variance input (u = 0 with b_std = 0: the 1D "no mapping" input x − 0.5 at x = 0.5) has a
            // pre-activation that is exactly 0, so relu(z) = relu′(z) = 0 (JAX and torch take relu′(0) = 0):
            // Σ̇ = 0 and the ReLU covariance 0 there. NT 0.2.2 divides 0 by 0 and returns NaN for such a row.
            var norms = (cov1 * cov2).sqrt_();                             // [N1, N2]; √(q·q) = q exactly, so c = 1 on a diagonal
            bool anyDegenerate = cov1.eq(0).any().item<bool>() || cov2.eq(0).any().item<bool>();
            var degenerate = anyDegenerate ? norms.eq(0) : null;
            var cosine = nngp.div_(anyDegenerate ? norms.masked_fill(degenerate!, 1.0) : norms).clamp_(-1.0, 1.0);
            var sine = cosine.square().neg_().add_(1).clamp_min_(0).sqrt_();   // sin θ = √(1 − c²)
            var piMinusTheta = torch.arccos(cosine).neg_().add_(Math.PI);
            ntk.mul_(piMinusTheta).div_(2 * Math.PI);
            nngp = piMinusTheta.mul_(cosine).add_(sine).mul_(norms).div_(2 * Math.PI);
            if (anyDegenerate)
            {
                ntk.masked_fill_(degenerate!, 0.0);
                nngp.masked_fill_(degenerate!, 0.0);
            }
            cov1 = cov1 / 2;
            cov2 = cov2 / 2;
        }
        return ntk.MoveToOuterDisposeScope();
    }

    // Convenience over row-major arrays: x1 [N1, d], x2 [N2, d] → Θ [N1, N2].
    public static double[,] Kernel(NtkSpec spec, double[] x1, double[] x2, int d)
    {
        using var scope = torch.NewDisposeScope();
        var t1 = torch.tensor(x1, [x1.Length / d, d]);
        var k = Kernel(spec, t1, ReferenceEquals(x1, x2) ? t1 : torch.tensor(x2, [x2.Length / d, d]));
        var flat = k.cpu().data<double>().ToArray();
        int n1 = x1.Length / d, n2 = x2.Length / d;
        var result = new double[n1, n2];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(double));
        return result;
    }
}
