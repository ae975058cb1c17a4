using System.Numerics;
using FourierRepro.Analysis;
using FourierRepro.Analysis.Claims;
using FourierRepro.Experiments;
using FourierRepro.Experiments.Core;
using FourierRepro.Experiments.SpectrumDecay;
using FourierRepro.Storage;
using Microsoft.EntityFrameworkCore;
using TorchSharp;
using static TorchSharp.torch;

namespace FourierRepro.Tests;

public sealed class SpectrumDecayUnitTests
{
    const int M = 4096;

    // f(x) = 2x − 3·max(0, x − 0.3) on [0, 1]: one kink at 0.3 and ends that do not match (f(0) = 0, f(1) = −0.1).
    static double Kinked(double x) => 2 * x - 3 * Math.Max(0, x - 0.3);
    static double[] Samples(Func<double, double> f) => Enumerable.Range(0, M + 1).Select(j => f((double)j / M)).ToArray();

    // Fourier coefficient c_k of the endpoint-corrected function g = f − line: g'' is a slope jump of −3 at 0.3 and
    // +3 at the wrap-around (g' is 2.1 before the kink and −0.9 after), so (2πik)² c_k = 3 − 3e^{−2πik·0.3}.
    static Complex Coefficient(int k) => -(3 - 3 * Complex.Exp(new Complex(0, -2 * Math.PI * k * 0.3))) / (4 * Math.PI * Math.PI * k * k);

    [Fact]
    public void Endpoint_corrected_dft_of_a_kinked_line_is_the_analytic_coefficient_and_its_aliases()
    {
        var spectrum = PiecewiseLinearSpectrum.EndpointCorrected(Samples(Kinked));
        Assert.Equal(M / 2, spectrum.Length);
        for (int k = 1; k < M / 2; k++)
        {
            // The DFT of M samples of a continuous periodic function is Σ_m c_{k+mM} exactly (Poisson summation);
            // |m| ≤ 1000 leaves a tail below 2·Σ_{m>1000} 6/(4π²m²M²) ≈ 2·0.152/(1000·M²) ≈ 1.8e-11.
            var aliased = Coefficient(k);
            for (int m = 1; m <= 1000; m++) aliased += Coefficient(k + m * M) + Coefficient(k - m * M);
            Check.Close(aliased.Magnitude, spectrum[k], 3e-11, $"|F({k})|");
        }
        // Far below Nyquist the aliases are negligible and |F(k)| is the analytic 6|sin(0.3πk)|/(4π²k²) itself:
        // the aliases add at most ≈ 3.3·(k/M)² of the largest nearby coefficient (k = 64: 8e-4 relative).
        for (int k = 1; k <= 64; k++)
        {
            double analytic = 6 * Math.Abs(Math.Sin(0.3 * Math.PI * k)) / (4 * Math.PI * Math.PI * k * k);
            Check.Close(analytic, spectrum[k], 1e-3 * 6 / (4 * Math.PI * Math.PI * k * k), $"|F({k})| against 6|sin(0.3πk)|/(4π²k²)");
        }
    }

    [Fact]
    public void The_fitted_exponent_is_minus_two_with_the_correction_and_minus_one_without()
    {
        var samples = Samples(Kinked);
        var corrected = PiecewiseLinearSpectrum.FitPowerLaw(PiecewiseLinearSpectrum.EndpointCorrected(samples), 32, 512, 12);
        var uncorrected = PiecewiseLinearSpectrum.FitPowerLaw(PiecewiseLinearSpectrum.Uncorrected(samples), 32, 512, 12);
        // |sin(0.3πk)| has period 10 in k: the band RMS averages it out, so the fit is close to exact.
        Check.Close(-2, corrected.Exponent, 0.03, "exponent of the endpoint-corrected spectrum");
        Check.Close(-1, uncorrected.Exponent, 0.03, "exponent without the correction (the jump f(1) − f(0) = −0.1 adds ~0.1/(2πk))");
        Assert.Equal(12, corrected.BandK.Length);
    }

    [Fact]
    public void The_band_fit_recovers_a_pure_power_law()
    {
        foreach (var p in new[] { -1.0, -1.7, -2.0, -3.0 })
        {
            var spectrum = Enumerable.Range(0, 8192).Select(k => k == 0 ? 1 : 0.3 * Math.Pow(k, p)).ToArray();
            var fit = PiecewiseLinearSpectrum.FitPowerLaw(spectrum, 256, 4096, 12);
            Check.Close(p, fit.Exponent, 0.01, $"fitted exponent of 0.3·k^{p}");
            Check.Close(Math.Log10(0.3), fit.Intercept, 0.05, $"fitted log10 constant of 0.3·k^{p}");
        }
        Assert.Throws<ArgumentException>(() => PiecewiseLinearSpectrum.FitPowerLaw(new double[100], 10, 200, 4));
    }

    [Fact]
    public void Linear_pieces_count_the_kinks_on_the_grid()
    {
        Assert.Equal(1, PiecewiseLinearSpectrum.LinearPieces(Samples(x => 0.5 - 3 * x)));
        Assert.Equal(2, PiecewiseLinearSpectrum.LinearPieces(Samples(Kinked)));
        // Three kinks between grid points, one exactly on a grid point (0.5 = 2048/4096), and one bend of 1e-12 in slope (not resolved).
        double ThreeKinks(double x) => Math.Abs(x - 0.2101) - 2 * Math.Max(0, x - 0.5) + 0.7 * Math.Max(0, x - 0.77) + 1e-12 * Math.Max(0, x - 0.9);
        Assert.Equal(4, PiecewiseLinearSpectrum.LinearPieces(Samples(ThreeKinks)));
        // A smooth function bends everywhere: every interior point is one long run, so it counts as 2 "pieces" —
        // the count is meaningful only because a ReLU network's second differences vanish between kinks.
        Assert.Equal(2, PiecewiseLinearSpectrum.LinearPieces(Samples(x => Math.Sin(3 * x))));
    }

    [Fact]
    public void A_relu_network_evaluated_in_float64_matches_its_float32_forward_and_is_piecewise_linear()
    {
        using var scope = torch.NewDisposeScope();
        using var model = new Mlp(new MlpShape(1, 64, 4, 1), MlpInit.TorchDefault, [Rng.Derive(5, "init")], CPU);
        var x = Enumerable.Range(0, M + 1).Select(j => (double)j / M).ToArray();
        var f64 = ReluSpectrumDecayExperiment.EvaluateFloat64(model, x, CPU);
        var f32 = model.Forward(torch.tensor(x.Select(v => (float)v).ToArray(), [x.Length, 1L])).to(ScalarType.Float64).data<double>().ToArray();
        double scale = f64.Max(Math.Abs);
        for (int j = 0; j < x.Length; j += 111) Check.Close(f64[j], f32[j], 1e-5 * (scale + 1), $"f({x[j]:F4}) float64 against float32");
        int pieces = PiecewiseLinearSpectrum.LinearPieces(f64);
        // A 4×64 network has at most a few hundred kinks on [0, 1], far fewer than the 4097 grid points.
        Assert.InRange(pieces, 2, 400);
        var fit = PiecewiseLinearSpectrum.FitPowerLaw(PiecewiseLinearSpectrum.EndpointCorrected(f64), 64, 512, 9);
        Check.Close(-2, fit.Exponent, 0.35, "fitted exponent of an initialised 4×64 network (the claim's per-network tolerance)");
    }

    [Fact]
    public void The_grid_is_one_run_per_depth_and_width_and_bad_fit_ranges_are_rejected()
    {
        var e = new ReluSpectrumDecayExperiment();
        var plan = e.Plan(Scale.Standard, new Dictionary<string, string>());
        var c = e.Defaults(Scale.Standard);
        Assert.Equal(c.Depths.Length * c.Widths.Length, plan.Count);
        Assert.Contains(plan, p => p.Label == "depth=6 width=256");
        Assert.Throws<ConfigException>(() => e.Plan(Scale.Smoke, new Dictionary<string, string> { ["FitHigh"] = "20000" }));
        Assert.Throws<ConfigException>(() => e.Plan(Scale.Smoke, new Dictionary<string, string> { ["Depths"] = "1,6" }));
    }
}

[Collection(SmokeSuiteCollection.Name)]
// DECAY-1 is an identity: it holds for every ReLU network, so its check counts only if the same fit gives something
// else on a function that is not continuous piecewise linear. A real small run, then the records tampered with.
public sealed class SpectrumDecayControlTests
{
    [Fact]
    public async Task The_identity_holds_on_a_small_network_and_fails_when_the_fit_cannot_tell_a_jump_from_a_kink()
    {
        using var dir = new TempDir();
        string db = dir.File("decay.db");
        Assert.Equal(0, await Hosts.Experiments("run", ReluSpectrumDecayExperiment.Name, "--scale", "smoke", "--db", db, "--threads", "1",
            "--set", "relu-spectrum-decay.Depths=2", "--set", "relu-spectrum-decay.Widths=32", "--set", "relu-spectrum-decay.Iterations=20",
            "--set", "relu-spectrum-decay.GridPoints=4096", "--set", "relu-spectrum-decay.FitLow=64", "--set", "relu-spectrum-decay.FitHigh=512"));
        var claim = AnalysisCatalog.All.SelectMany(m => m.Claims).Single(c => c.Id == "DECAY-1");
        Assert.Equal(ClaimKind.Identity, claim.Kind);
        ClaimResult Evaluate()
        {
            using var context = new AnalysisContext(ResultsDatabase.OpenExisting(db), "smoke", dir.Path);
            return claim.Evaluate(context)!;
        }

        var result = Evaluate();
        Assert.True(ClaimEvaluator.Decide(claim, result).Holds, $"DECAY-1 on a 2x32 network: {result.Details}");
        Assert.NotNull(result.Control);
        Assert.False(result.Control.EffectHolds, $"the jump control gives -2: {result.Control.Details}");
        Check.Close(-1, result.Control.Measured, 0.2, "exponent of the uncorrected spectrum (a jump: 1/k)");

        // Had the fit found -2 on the jump as well, the identity would prove nothing: it must then not hold.
        using (var tamper = ResultsDatabase.OpenExisting(db))
        {
            foreach (var m in tamper.Metrics.Where(m => m.Name == "exponent_uncorrected")) m.Value = -2;
            tamper.SaveChanges();
        }
        var blind = Evaluate();
        Assert.True(blind.Control!.EffectHolds);
        Assert.False(ClaimEvaluator.Decide(claim, blind).Holds, "DECAY-1 holds with a control that shows -2 too");

        // A spectrum that decays like 1/k (a jump) on the network itself fails it.
        using (var tamper = ResultsDatabase.OpenExisting(db))
        {
            foreach (var m in tamper.Metrics.Where(m => m.Name == "exponent_uncorrected")) m.Value = -1;
            foreach (var m in tamper.Metrics.Where(m => m.Name == "exponent")) m.Value = -1;
            tamper.SaveChanges();
        }
        Assert.False(ClaimEvaluator.Decide(claim, Evaluate()).Holds, "DECAY-1 holds on 1/k spectra");
    }
}

[Collection(SmokeSuiteCollection.Name)]
public sealed class SpectrumDecayEndToEndTests(SmokeSuite suite)
{
    [Fact]
    public void Figure_is_three_panels_wide_with_every_panel_drawn()
    {
        var png = suite.Figure("theorem1-spectrum-decay");
        Assert.Equal((1920, 480), Files.DecodePng(png));
        for (int panel = 0; panel < 3; panel++)
            Assert.True(Files.InkFraction(png, 60, 420, panel * 640 + 80, panel * 640 + 600) > 0.01, $"panel {panel + 1} is empty");
    }

    [Fact]
    public void Spectra_decay_like_k_to_the_minus_two_at_smoke_scale()
    {
        using var db = suite.Open();
        var check = db.ClaimChecks.AsNoTracking().Where(c => c.ClaimId == "DECAY-1" && c.Scale == "smoke").OrderByDescending(c => c.Id).First();
        Assert.True(check.Passed, $"DECAY-1: measured {check.Measured}, expected {check.Expectation}; {check.Details}");
        Assert.Equal("identity", check.Kind);
        Assert.False(check.ControlHeld ?? true, $"DECAY-1's jump control gives -2: {check.Details}");
        Check.Close(-1, check.ControlMeasured ?? double.NaN, 0.2, "mean exponent of the uncorrected spectra");
    }

    [Fact]
    public void Every_run_records_both_states()
    {
        using var db = suite.Open();
        var e = new ReluSpectrumDecayExperiment();
        var c = e.Defaults(Scale.Smoke);
        var runs = db.CompletedRuns(ReluSpectrumDecayExperiment.Name, "smoke");
        Assert.Equal(c.Depths.Length * c.Widths.Length * e.DefaultSeeds(Scale.Smoke), runs.Count);
        foreach (var r in runs)
        {
            Assert.Equal([2, c.GridPoints / 2], db.RequireArray(r.Id, "spectrum").Shape);
            Assert.Equal([0L, c.Iterations], db.MetricSeries(r.Id, "exponent").Steps);
            Assert.All(db.MetricSeries(r.Id, "linear_pieces").Values, p => Assert.InRange(p, 2, c.GridPoints / 4));
        }
    }
}
