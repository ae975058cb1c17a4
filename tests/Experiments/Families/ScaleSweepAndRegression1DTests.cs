using FourierRepro.Analysis;
using FourierRepro.Analysis.Claims;
using FourierRepro.Analysis.Images;
using FourierRepro.Analysis.Regression1D;
using FourierRepro.Experiments;
using FourierRepro.Experiments.Core;
using FourierRepro.Experiments.Images;
using FourierRepro.Experiments.Regression1D;
using FourierRepro.Storage;
using MathNet.Numerics.IntegralTransforms;

namespace FourierRepro.Tests;

public sealed class ScaleSweepUnitTests
{
    static KernelSlice Slice(double sigma, NtkParameterization p = NtkParameterization.Ntk) =>
        new(new NtkSpec(4, 256, p), InputMapping.Gaussian(2, 256, sigma, Rng.Derive(1, "gaussian-B")), 128);

    [Fact]
    public void The_kernel_slice_is_one_at_zero_symmetric_and_below_one_elsewhere()
    {
        var offsets = Enumerable.Range(-32, 65).Select(i => (double)i).ToArray();
        var k = Slice(4).Normalized(offsets);
        // arccos near 1 turns float64 round-off of ~1e-16 into angles of ~1e-8, hence the tolerance.
        Check.Close(1, k[32], 1e-6, "slice at offset 0");
        for (int i = 1; i <= 32; i++)
        {
            Check.Close(k[32 + i], k[32 - i], 1e-9, $"symmetry at ±{i}");
            Assert.True(k[32 + i] < 1, $"slice at {i} is {k[32 + i]}, not below its value at 0");
        }
    }

    [Theory]
    [InlineData(NtkParameterization.Ntk)]
    [InlineData(NtkParameterization.Standard)]
    public void The_half_width_is_inversely_proportional_to_sigma(NtkParameterization p)
    {
        // B(σ) = σ·B(1) from the same stream, so the kernel is a function of σ·offset and hw·σ is constant.
        double hw1 = Slice(1, p).HalfWidth(), hw4 = Slice(4, p).HalfWidth(), hw16 = Slice(16, p).HalfWidth();
        Check.RelClose(hw1 / 4, hw4, 1e-6, "hw(4) = hw(1)/4");
        Check.RelClose(hw1 / 16, hw16, 1e-6, "hw(16) = hw(1)/16");
        var at = Slice(4, p).Normalized([hw4]);
        Check.Close(0.5, at[0], 1e-6, "normalized kernel at the half width");
    }

    [Fact]
    public void Smaller_scales_sweep_the_videos_range_shifted_by_the_resolution()
    {
        var e = new ScaleSweepExperiment();
        var paper = e.Defaults(Scale.Paper);
        Assert.Equal(33, paper.Log2Sigmas.Length);
        Check.Close(-2, paper.Log2Sigmas[0], 1e-12, "paper first log2 σ");
        Check.Close(6, paper.Log2Sigmas[^1], 1e-12, "paper last log2 σ");
        var smoke = e.Defaults(Scale.Smoke);
        double shift = Math.Log2(smoke.Resolution / 512.0);
        Check.Close(-2 + shift, smoke.Log2Sigmas[0], 1e-12, "smoke first log2 σ");
        Check.Close(6 + shift, smoke.Log2Sigmas[^1], 1e-12, "smoke last log2 σ");
        Assert.Equal(smoke.Log2Sigmas.Length, e.Plan(Scale.Smoke, new Dictionary<string, string>()).Count);
    }
}

public sealed class Regression1DUnitTests
{
    [Fact]
    public void Power_law_noise_spans_minus_half_to_half_is_seeded_and_decays_like_its_power()
    {
        var a = PowerLawSignals.SampleNormalized(1024, 1.0, Rng.Derive(3, "signals"));
        var b = PowerLawSignals.SampleNormalized(1024, 1.0, Rng.Derive(3, "signals"));
        Assert.Equal(a, b);
        Check.Close(-0.5, a.Min(), 1e-12, "min");
        Check.Close(0.5, a.Max(), 1e-12, "max");
        // Mean |DFT| over many signals in a low band vs a band 16× higher: amplitude ∝ k^−1 gives a ratio near 16.
        var rng = Rng.Derive(4, "signals");
        double low = 0, high = 0;
        for (int s = 0; s < 50; s++)
        {
            var x = PowerLawSignals.SampleNormalized(1024, 1.0, rng).Select(v => new System.Numerics.Complex(v, 0)).ToArray();
            Fourier.Forward(x, FourierOptions.AsymmetricScaling);
            low += Enumerable.Range(8, 8).Average(k => x[k].Magnitude);
            high += Enumerable.Range(128, 128).Average(k => x[k].Magnitude);
        }
        // Bins 8..15 (mean 1/(1+k) ≈ 0.085) against 128..255 (≈ 0.0055): ratio ≈ 15, loosely bounded for the noise of 50 draws.
        Assert.InRange(low / high, 10, 22);
    }

    [Fact]
    public void Fourier_mappings_in_1d_are_normalised_to_unit_norm_and_none_is_shifted()
    {
        var c = new Regression1DExperiment().Defaults(Scale.Smoke);
        foreach (var m in new[] { "basic", "posenc", "gaussian" })
        {
            var map = Regression1DExperiment.Mapping(c with { Mappings = [m], GaussianSigmas = [16] }, new Rng(5));
            var g = map.Encode([0.37]);
            Check.Close(1, Math.Sqrt(g.Sum(v => v * v)), 1e-9, $"‖γ(x)‖ for {m}");
        }
        var none = Regression1DExperiment.Mapping(c with { Mappings = ["none"] }, new Rng(5));
        Check.Close(-0.13, none.Encode([0.37])[0], 1e-12, "no mapping feeds x − 0.5");
    }

    [Fact]
    public void The_grid_expands_gaussian_per_sigma()
    {
        var plan = new Regression1DExperiment().Plan(Scale.Smoke, new Dictionary<string, string>());
        var c = new Regression1DExperiment().Defaults(Scale.Smoke);
        Assert.Equal(3 + c.GaussianSigmas.Length, plan.Count);
        Assert.Contains(plan, p => p.Label == "none");
        Assert.Equal(c.GaussianSigmas.Length, plan.Count(p => p.Label.StartsWith("gaussian")));
    }
}

// The negative control, run for real: networks trained with a learning rate of 1e-12 have learned nothing, and no
// empirical claim of the scale sweep or the 1D regression may hold on them, nor on their iteration 0. SS-3, an
// identity of the kernel, holds whatever the training.
public sealed class UntrainedControlTests
{
    static async Task<AnalysisContext> Untrained(TempDir dir, string experiment, params string[] sets)
    {
        string db = dir.File("untrained.db");
        var args = new List<string> { "run", experiment, "--scale", "smoke", "--db", db, "--set", $"{experiment}.LearningRate=1e-12", "--set", $"{experiment}.Iterations=2" };
        foreach (var s in sets) args.AddRange(["--set", $"{experiment}.{s}"]);
        Assert.Equal(0, await Hosts.Experiments(args.ToArray()));
        return new AnalysisContext(ResultsDatabase.OpenExisting(db), "smoke", dir.Path);
    }

    [Fact]
    public async Task Untrained_networks_reproduce_no_scale_sweep_claim()
    {
        using var dir = new TempDir();
        using var context = await Untrained(dir, "scale-sweep", "Resolution=32", "RecordEvery=1", "SlicePoints=33");
        foreach (var claim in new ScaleSweepAnalysis().Claims)
        {
            var result = claim.Evaluate(context);
            if (claim.Kind == ClaimKind.Identity) Assert.True(result!.EffectHolds, $"{claim.Id}: {result.Details}");
            else Check.NotReproducedByUntrained(claim, result);
        }
    }

    [Fact]
    public async Task Untrained_networks_do_not_reproduce_R1D_1()
    {
        using var dir = new TempDir();
        using var context = await Untrained(dir, "regression-1d", "Points=64", "RecordEvery=1", "Mappings=none,posenc,gaussian", "GaussianSigmas=16");
        var claim = Assert.Single(new Regression1DAnalysis().Claims);
        Check.NotReproducedByUntrained(claim, claim.Evaluate(context));
    }
}
