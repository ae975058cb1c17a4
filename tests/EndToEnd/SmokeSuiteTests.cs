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

    // Every claim of the catalog, one test each: evaluated on the smoke run, its kind as the catalog says, required
    // ones reproduced; an empirical claim records its test and its control, and none is reproduced on a control that
    // shows the effect or without p < 0.05 (such a claim could not have failed).
    public static TheoryData<string> ClaimIds => new(FourierRepro.Analysis.AnalysisCatalog.All.SelectMany(m => m.Claims).Select(c => c.Id));

    [Theory]
    [MemberData(nameof(ClaimIds))]
    public void Claim_is_evaluated_at_smoke_scale_and_passes_where_required_and_never_on_its_control(string claimId)
    {
        var claim = FourierRepro.Analysis.AnalysisCatalog.All.SelectMany(m => m.Claims).Single(c => c.Id == claimId);
        using var db = suite.Open();
        var check = db.ClaimChecks.AsNoTracking().Where(c => c.ClaimId == claimId && c.Scale == "smoke").OrderByDescending(c => c.Id).FirstOrDefault();
        Assert.True(check is not null, $"{claimId} was not evaluated at smoke");
        Assert.Equal(claim.Kind == FourierRepro.Analysis.ClaimKind.Identity ? "identity" : "empirical", check.Kind);
        if (claim.RequiredAt.Contains("smoke"))
            Assert.True(check.Passed, $"{claimId}: {check.Verdict}, measured {check.Measured}, expected {check.Expectation}; {check.Details}");
        if (check.Kind == "identity") return;
        Assert.True(check.PValue is not null && check.N is not null, $"{claimId}: no p-value or n recorded");
        Assert.True(check.ControlHeld is not null && check.ControlMeasured is not null, $"{claimId}: no negative control recorded");
        if (check.Passed)
        {
            Assert.False(check.ControlHeld, $"{claimId} reproduced although its control shows the effect: {check.Details}");
            Assert.True(check.PValue < 0.05, $"{claimId} reproduced with p = {check.PValue}");
        }
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
