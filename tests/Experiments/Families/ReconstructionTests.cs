using FourierRepro.Analysis;
using FourierRepro.Analysis.Claims;
using FourierRepro.Analysis.Reconstruction;
using FourierRepro.Experiments.Core;
using FourierRepro.Experiments.Reconstruction;
using FourierRepro.Storage;
using TorchSharp;

namespace FourierRepro.Tests;

// The forward models of ct-reconstruction and mri-reconstruction against independent computations (a closed form, a
// direct DFT), the phantoms against their table, and the claims on networks that learned nothing.
public sealed class ReconstructionForwardModelTests
{
    // The unperturbed modified Shepp–Logan table: every summed intensity lies in [0, 1], so clipping changes nothing
    // and the closed form (a sum over ellipses) applies to the rendered image.
    static double MeanError(int r, int angles, double[,] ellipses, double thetaShift = 0)
    {
        var beam = new ParallelBeam(r, angles);
        var projected = beam.Project(SheppLogan.Render2D(ellipses, r));
        var exact = new double[beam.Values];
        for (int a = 0; a < angles; a++)
            for (int i = 0; i < r; i++)
            {
                double theta = Math.PI * a / angles + thetaShift, s = SheppLogan.Centre(i, r), sum = 0;
                for (int k = 0; k < ellipses.GetLength(0); k++)
                    sum += ParallelBeam.EllipseLineIntegral(ellipses[k, 0], ellipses[k, 1], ellipses[k, 2], ellipses[k, 3], ellipses[k, 4], ellipses[k, 5], theta, s);
                exact[a * r + i] = sum / 2;
            }
        return projected.Zip(exact, (p, e) => Math.Abs(p - e)).Average();
    }

    [Fact]
    public void Projections_of_the_phantom_match_the_chord_length_closed_form_and_converge_with_the_grid()
    {
        // Off-centre, rotated ellipses at 20 angles: the pixelated boundary's error is O(1/R) on average.
        double e64 = MeanError(64, 20, SheppLogan.Modified2D), e256 = MeanError(256, 20, SheppLogan.Modified2D);
        Assert.True(e64 <= 1.0 / 64, $"mean error {e64:G3} at 64² above 1/R");
        Assert.True(e256 <= 1.0 / 256, $"mean error {e256:G3} at 256² above 1/R");
        Assert.True(e256 < e64 / 2, $"error does not shrink with the grid: {e64:G3} at 64², {e256:G3} at 256²");
        // The check can fail: the same comparison with the angles a quarter turn off, or the image upside down.
        double quarterTurn = MeanError(64, 20, SheppLogan.Modified2D, Math.PI / 2);
        Assert.True(quarterTurn > 1.0 / 64 && quarterTurn > 3 * e64, $"a wrong angle convention passes: {quarterTurn:G3} (right: {e64:G3})");
        var flipped = (double[,])SheppLogan.Modified2D.Clone();
        for (int k = 0; k < flipped.GetLength(0); k++) { flipped[k, 4] = -flipped[k, 4]; flipped[k, 5] = -flipped[k, 5]; }
        var beam = new ParallelBeam(64, 20);
        double upsideDown = beam.Project(SheppLogan.Render2D(SheppLogan.Modified2D, 64)).Zip(beam.ClosedForm(flipped), (p, e) => Math.Abs(p - e)).Average();
        Assert.True(upsideDown > 1.0 / 64 && upsideDown > 3 * e64, $"an upside-down image passes: {upsideDown:G3} (right: {e64:G3})");
    }

    [Fact]
    public void The_tensor_projection_equals_the_float64_one_and_a_run_checks_its_own_disc()
    {
        var beam = new ParallelBeam(24, 7);
        var image = CtReconstructionExperiment.Phantom(3, 2020, 0.05, 24);
        using var scope = torch.NewDisposeScope();
        var viaTensor = ParallelBeam.Project(torch.tensor(image), beam.ToDevice(torch.CPU)).to(torch.float64).data<double>().ToArray();
        var reference = beam.Project(image);
        for (int v = 0; v < reference.Length; v++) Check.Close(reference[v], viaTensor[v], 1e-5, $"projection value {v}");
        double disc = beam.DiscError(beam.ToDevice(torch.CPU), torch.CPU);
        Assert.True(disc <= 1.0 / 24, $"disc error {disc:G3} above 1/R");
    }

    [Fact]
    public void The_masked_fft_loss_equals_a_direct_dft_and_the_mask_samples_the_notebooks_fraction()
    {
        var rng = Rng.Derive(7, "fft-test");
        const int r = 6;
        var f = Enumerable.Range(0, r * r * r).Select(_ => (float)rng.NextDouble()).ToArray();
        var y = Enumerable.Range(0, r * r * r).Select(_ => (float)rng.NextDouble()).ToArray();
        var mask = KSpace.Mask(r, 200_000, 192, Rng.Derive(1, "mask"));
        Assert.NotEmpty(mask);
        using var scope = torch.NewDisposeScope();
        var maskIndex = torch.tensor(mask);
        double viaFft = KSpace.Loss(torch.tensor(f), r, maskIndex, KSpace.Observe(torch.tensor(y), r, maskIndex)).item<float>();
        Check.RelClose(KSpace.DirectLoss(f, y, r, mask), viaFft, 1e-5, "masked FFT loss against the direct DFT");
        // The loss sees only the mask: changing y off the mask changes nothing, on it changes the loss.
        var full = Enumerable.Range(0, r * r * r).Select(i => (long)i).ToArray();
        Assert.True(KSpace.DirectLoss(f, y, r, full) > KSpace.DirectLoss(f, y, r, mask), "the mask drops no frequency");

        // At the notebook's 96³: ~12.6 % of k-space, zero frequency among it (the draws are dense there).
        var paper = KSpace.Mask(96, 200_000, 192, Rng.Derive(2020, "mri-mask"));
        double fraction = paper.Length / (96.0 * 96 * 96);
        Assert.True(fraction > 0.12 && fraction < 0.13, $"sampled fraction {fraction:P2}, the notebook's ~12.6 %");
        Assert.Equal(0L, paper[0]);
        Assert.True(KSpace.LossError(torch.CPU, Rng.Derive(3, "check")) <= 1e-4);
    }

    [Fact]
    public void Phantoms_render_the_table_and_differ_by_index_not_by_run_seed()
    {
        var p = SheppLogan.Render2D(SheppLogan.Modified2D, 100);
        double At(double x, double y) => p[(int)((1 - y) * 50) * 100 + (int)((x + 1) * 50)];
        Check.Close(0.2, At(0.01, 0.01), 1e-6, "centre: ellipses 1 and 2 (1 − 0.8)");
        Check.Close(0.3, At(0.01, 0.35), 1e-6, "ellipse 5 at (0, 0.35), drawn above the centre");
        Check.Close(0.0, At(0.95, 0.95), 1e-6, "outside");
        Check.Close(1.0, At(0.0, 0.9), 1e-6, "the skull between ellipses 1 and 2 at the top");
        var a = CtReconstructionExperiment.Phantom(0, 2020, 0.05, 32);
        Assert.Equal(a, CtReconstructionExperiment.Phantom(0, 2020, 0.05, 32));
        Assert.NotEqual(a, CtReconstructionExperiment.Phantom(1, 2020, 0.05, 32));
        var v = MriReconstructionExperiment.Phantom(0, 2020, 0.05, 8);
        Assert.Equal(512, v.Length);
        Assert.All(v, x => Assert.InRange(x, 0f, 1f));
    }
}

public sealed class ReconstructionUntrainedTests
{
    // 5 phantoms (the sign-flip test's power), tiny networks, learning rates 1e-12: nothing is learned, so no
    // empirical claim may be reproduced, while the identities hold.
    [Theory]
    [InlineData("ct-reconstruction", "Resolution=16", "LrRaw=1e-12", "LrFeatures=1e-12", "LrGridOpt=1e-12")]
    [InlineData("mri-reconstruction", "Resolution=8", "LrMlp=1e-12", "LrGridOpt=1e-12")]
    public async Task Untrained_networks_reproduce_no_reconstruction_claim(string experiment, params string[] sets)
    {
        using var dir = new TempDir();
        string db = dir.File("untrained.db");
        var args = new List<string> { "run", experiment, "--scale", "smoke", "--db", db, "--threads", "1" };
        foreach (var s in sets.Concat(["Iterations=2", "RecordEvery=1", "Width=16", "PosEncPerAxis=4", "GaussianFeatures=8", "Phantoms=0,1,2,3,4", "Methods=none,basic,posenc,gaussian"]))
            args.AddRange(["--set", $"{experiment}.{s}"]);
        Assert.Equal(0, await Hosts.Experiments(args.ToArray()));
        using var context = new AnalysisContext(ResultsDatabase.OpenExisting(db), "smoke", dir.Path);
        var module = AnalysisCatalog.All.Single(m => m.Experiment == experiment);
        foreach (var claim in module.Claims)
        {
            var result = claim.Evaluate(context);
            if (claim.Kind == ClaimKind.Identity) Assert.True(result!.EffectHolds, $"{claim.Id}: {result.Details}");
            else Check.NotReproducedByUntrained(claim, result);
        }
    }
}
