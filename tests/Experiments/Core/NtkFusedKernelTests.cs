using System.Runtime.Intrinsics;
using FourierRepro.Experiments.Core;
using TorchSharp;

namespace FourierRepro.Tests;

// Core/Ntk's fused CPU pass (every layer element by element, vectorised arccos) against the whole-matrix torch
// operations it replaced, and its arccos against the C library's.
public sealed class NtkFusedKernelTests
{
    // The two paths do the same float64 operations in the same order except the arccos (ours a few ulps, SLEEF's
    // one): relative differences of ~1e-15 per layer. 1e-12 leaves room for 8 layers and still catches any slip of
    // a formula (a wrong term changes the kernel at 1e-3 or more).
    const double FusedVsTensorOps = 1e-12;
    // A polynomial of ~1 ulp, then π/2 − asin or π − 2 asin: a few ulps of π (4.4e-16 each).
    const double AcosAbsolute = 2e-15;

    [Fact]
    public void Vector_arccos_agrees_with_the_c_library_on_minus_one_to_one()
    {
        static double At(int i) => Math.Min(1, -1 + i / 100_000.0);
        double worst = 0;
        for (int i = 0; i <= 200_000; i += 4)
        {
            var x = Vector256.Create(At(i), At(i + 1), At(i + 2), At(i + 3));
            var y = Ntk.AcosVector(x);
            for (int k = 0; k < 4; k++) worst = Math.Max(worst, Math.Abs(y[k] - Math.Acos(x[k])));
        }
        Check.Close(0, worst, AcosAbsolute, "max |AcosVector − Math.Acos| on a grid of [−1, 1]");
        var ends = Ntk.AcosVector(Vector256.Create(1.0, -1.0, 0.5, -0.5));
        Assert.Equal(0.0, ends[0]);                                   // exact: z = 0, so a kernel's diagonal keeps θ = 0
        Check.Close(Math.PI, ends[1], AcosAbsolute, "acos(−1)");
        Check.Close(Math.PI / 3, ends[2], AcosAbsolute, "acos(1/2)");
        Check.Close(2 * Math.PI / 3, ends[3], AcosAbsolute, "acos(−1/2)");
        if (!Vector512.IsHardwareAccelerated) return;
        for (int i = 0; i <= 200_000; i += 8)
        {
            var x = Vector512.Create(At(i), At(i + 1), At(i + 2), At(i + 3), At(i + 4), At(i + 5), At(i + 6), At(i + 7));
            var y = Ntk.AcosVector512(x);
            for (int k = 0; k < 8; k++) Check.Close(Math.Acos(x[k]), y[k], AcosAbsolute, $"AcosVector512({x[k]})");
        }
    }

    [Theory]
    [InlineData(4, 1024, NtkParameterization.Standard, 1.0, 0.0, 7, false)]  // the paper's network, odd N2 for the scalar tail
    [InlineData(4, 1024, NtkParameterization.Standard, 1.0, 0.0, 15, true)]  // 8 lanes, then 4, then the scalar tail
    [InlineData(1, 256, NtkParameterization.Standard, 1.0, 0.0, 5, true)]    // one layer: no ReLU, Θ = u·u′ + 1
    [InlineData(8, 512, NtkParameterization.Standard, 1.3, 0.2, 9, false)]   // deeper, W_std ≠ 1 and a bias variance
    [InlineData(8, 512, NtkParameterization.Standard, 1.3, 0.2, 17, true)]
    [InlineData(3, 64, NtkParameterization.Ntk, 1.0, 0.5, 12, false)]        // Jacot's parameterisation
    [InlineData(3, 64, NtkParameterization.Ntk, 1.0, 0.5, 24, true)]
    public void Fused_kernel_equals_the_tensor_operations_to_round_off(int depth, int width, NtkParameterization parameterization, double wStd, double bStd, int n2, bool wide)
    {
        bool saved = Ntk.UseVector512;
        Ntk.UseVector512 = wide && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated; // 8 lanes only where the machine has them
        try { FusedAgainstTensorOps(depth, width, parameterization, wStd, bStd, n2); }
        finally { Ntk.UseVector512 = saved; }
    }

    [Theory]
    [InlineData(false, 45)]   // 45: one product; tiles, 8 and 4 lanes and the scalar tail all met
    [InlineData(true, 45)]
    [InlineData(true, 301)]   // 301: u·u′ by row blocks (Ntk.UpperGram), uneven ones
    public void Fused_gram_matrix_is_symmetric_and_equals_the_tensor_operations_to_round_off(bool wide, int n)
    {
        bool saved = Ntk.UseVector512;
        Ntk.UseVector512 = wide && Vector512.IsHardwareAccelerated;
        try
        {
            using var scope = torch.NewDisposeScope();
            var spec = new NtkSpec(4, 1024);
            var rng = new Rng(5);
            int d = 8;
            var a = Enumerable.Range(0, n * d).Select(_ => rng.Normal()).ToArray();
            for (int k = 0; k < d; k++) a[7 * d + k] = a[(n - 7) * d + k];  // a repeated point, c = 1 off the diagonal (across row blocks at 301)
            var x = torch.tensor(a, [n, d]);
            var fused = Ntk.Kernel(spec, x, x).data<double>().ToArray();   // one tensor twice: the triangle path
            var reference = Ntk.KernelByTensorOps(spec, x, x).data<double>().ToArray();
            double scale = reference.Max(Math.Abs), worst = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    Assert.Equal(fused[i * n + j], fused[j * n + i]);      // exactly symmetric
                    worst = Math.Max(worst, Math.Abs(fused[i * n + j] - reference[i * n + j]) / scale);
                }
            Check.Close(0, worst, FusedVsTensorOps, "max |fused Gram − tensor ops| / max |Θ|");
        }
        finally { Ntk.UseVector512 = saved; }
    }

    static void FusedAgainstTensorOps(int depth, int width, NtkParameterization parameterization, double wStd, double bStd, int n2)
    {
        using var scope = torch.NewDisposeScope();
        var spec = new NtkSpec(depth, width, parameterization, wStd, bStd);
        var rng = new Rng(11);
        int n1 = 37, d = 6;
        var a = Enumerable.Range(0, n1 * d).Select(_ => rng.Normal()).ToArray();
        var b = Enumerable.Range(0, n2 * d).Select(_ => rng.Normal()).ToArray();
        for (int k = 0; k < d; k++) { a[k] = 0; b[d + k] = a[d + k]; }  // a zero input (degenerate row) and a shared point (c = 1)
        var x1 = torch.tensor(a, [n1, d]);
        var x2 = torch.tensor(b, [n2, d]);
        var fused = Ntk.Kernel(spec, x1, x2).data<double>().ToArray();
        var reference = Ntk.KernelByTensorOps(spec, x1, x2).data<double>().ToArray();
        double scale = reference.Max(Math.Abs), worst = 0;
        for (int i = 0; i < fused.Length; i++)
        {
            Assert.True(double.IsFinite(fused[i]), $"element {i} is {fused[i]}");
            worst = Math.Max(worst, Math.Abs(fused[i] - reference[i]) / scale);
        }
        Check.Close(0, worst, FusedVsTensorOps, $"max |fused − tensor ops| / max |Θ| ({spec})");
    }
}
