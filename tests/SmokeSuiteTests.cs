using FourierRepro.Storage;
using Microsoft.EntityFrameworkCore;

namespace FourierRepro.Tests;

// Whole-suite checks on the smoke run; each family adds its own figure and claim tests in its own file.
[Collection(SmokeSuiteCollection.Name)]
public sealed class SmokeSuiteTests(SmokeSuite suite)
{
    [Fact]
    public void Every_run_completes_and_the_report_passes_its_claims()
    {
        Assert.Equal(0, suite.RunExitCode);
        using var db = suite.Open();
        var runs = db.Runs.AsNoTracking().ToList();
        Assert.NotEmpty(runs);
        Assert.All(runs, r => Assert.Equal(RunStatus.Completed, r.Status));
        Assert.Equal(0, suite.ReportExitCode);
        Assert.True(File.Exists(Path.Combine(suite.ReportDir, "REPORT.md")));
        Assert.True(File.Exists(Path.Combine(suite.ReportDir, "REPORT.html")));
    }

    [Fact]
    public void Every_run_records_its_provenance()
    {
        using var db = suite.Open();
        foreach (var r in db.Runs.AsNoTracking())
        {
            Assert.False(string.IsNullOrWhiteSpace(r.CodeVersion));
            Assert.Contains("TorchSharp", r.LibraryVersions);
            Assert.Contains("libtorch", r.LibraryVersions);
            Assert.Equal(TorchSharp.torch.cuda.is_available() ? "cuda" : "cpu", r.Device); // the smoke suite runs with --device auto
            Assert.True(r.Threads >= 1);
            Assert.NotNull(r.FinishedAt);
            Assert.Equal(64, r.ConfigHash.Length);
        }
    }

    [Fact]
    public void Every_claim_of_every_experiment_with_runs_is_evaluated_and_required_claims_pass()
    {
        using var db = suite.Open();
        var checks = db.ClaimChecks.AsNoTracking().Where(c => c.Scale == "smoke").ToList();
        var experimentsWithRuns = db.Runs.Select(r => r.Experiment).Distinct().ToList();
        foreach (var module in FourierRepro.Analysis.AnalysisCatalog.All.Where(m => experimentsWithRuns.Contains(m.Experiment)))
            foreach (var claim in module.Claims)
            {
                var check = checks.FirstOrDefault(c => c.ClaimId == claim.Id);
                Assert.True(check is not null, $"claim {claim.Id} was not evaluated");
                if (claim.RequiredAt.Contains("smoke"))
                    Assert.True(check!.Passed, $"claim {claim.Id} failed at smoke: measured {check.Measured}, expected {check.Expectation}; {check.Details}");
            }
    }

    // A claim that passes on its own negative control, or without a test, could not have failed: none may be reproduced so.
    [Fact]
    public void Every_evaluated_empirical_claim_records_its_test_and_control_and_none_is_reproduced_on_its_control()
    {
        using var db = suite.Open();
        var checks = db.ClaimChecks.AsNoTracking().Where(c => c.Scale == "smoke").ToList();
        Assert.NotEmpty(checks);
        foreach (var c in checks.Where(c => c.Kind == "empirical"))
        {
            Assert.True(c.PValue is not null && c.N is not null, $"{c.ClaimId}: no p-value or n recorded");
            Assert.True(c.ControlHeld is not null, $"{c.ClaimId}: no negative control recorded");
            if (c.Passed)
            {
                Assert.False(c.ControlHeld, $"{c.ClaimId} reproduced although its control shows the effect: {c.Details}");
                Assert.True(c.PValue < 0.05, $"{c.ClaimId} reproduced with p = {c.PValue}");
            }
        }
        Assert.Contains(checks, c => c.Kind == "identity");
    }

    [Fact]
    public void Every_figure_is_a_decodable_png_with_text_and_has_an_svg_twin_and_an_artifact_row()
    {
        using var db = suite.Open();
        var figures = db.Artifacts.AsNoTracking().Where(a => a.Kind == "figure-png").ToList();
        Assert.NotEmpty(figures);
        foreach (var a in figures)
        {
            var png = Path.IsPathRooted(a.Path) ? a.Path : Path.GetFullPath(a.Path);
            var (w, h) = Files.DecodePng(png);
            Assert.True(w >= 640 && h >= 480, $"{a.Path}: {w}x{h} is smaller than one panel");
            // Titles are drawn in the top 30 px of each panel: without a loaded font ScottPlot draws no text at all.
            Assert.True(Files.InkFraction(png, 0, 30) > 0.005, $"{a.Path}: no title text drawn (fonts not loaded?)");
            var svg = Path.ChangeExtension(png, ".svg");
            Assert.True(File.Exists(svg), $"{svg} is missing");
            Assert.StartsWith("<svg", File.ReadAllText(svg));
            Assert.Equal(a.ContentHash, Files.Sha256(png));
        }
    }
}
