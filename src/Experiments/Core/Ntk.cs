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
    public static Tensor Kernel(NtkSpec spec, Tensor x1, Tensor x2)
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
        var k = Kernel(spec, torch.tensor(x1, [x1.Length / d, d]), torch.tensor(x2, [x2.Length / d, d]));
        var flat = k.cpu().data<double>().ToArray();
        int n1 = x1.Length / d, n2 = x2.Length / d;
        var result = new double[n1, n2];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(double));
        return result;
    }
}
