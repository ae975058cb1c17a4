using System.Security.Cryptography;
using System.Text.Json;
using FourierRepro.Analysis.Claims;
using FourierRepro.Storage;

namespace FourierRepro.Analysis;

// Draws every figure that has data, evaluates the claims, and writes REPORT.md and REPORT.html.
public static class ReportWriter
{
    public sealed record Outcome(List<FigureResult> Figures, List<ClaimCheck> Claims, string MarkdownPath, string HtmlPath);

    public static Outcome Write(AnalysisContext context, IReadOnlyList<IAnalysisModule> modules, TextWriter log)
    {
        Directory.CreateDirectory(context.OutDir);
        var figures = new List<FigureResult>();
        var blocks = new List<ReportBlock>
        {
            new ReportHeading(1, $"FourierRepro report — scale `{context.Scale}`"),
            new ReportParagraph($"Generated {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC from the results database alone. " +
                          "Figures are drawn from recorded runs; claims are evaluated on the same runs. " +
                          "The papers' figures are not reproduced here (copyright); each of ours names the figure it reproduces and says what the paper shows."),
        };

        var claims = ClaimEvaluator.Evaluate(context, modules);
        blocks.AddRange(ClaimBlocks(claims, context.Scale));
        blocks.AddRange(ReplicationBlocks(context, modules));

        blocks.Add(new ReportHeading(2, "Runs"));
        var runRows = new List<string[]>();
        foreach (var module in modules)
        {
            var runs = context.CompletedRuns(module.Experiment);
            if (runs.Count == 0) continue;
            runRows.Add([module.Experiment, runs.Count.ToString(), string.Join(", ", runs.Select(r => r.CodeVersion).Distinct()),
                string.Join(", ", runs.Select(r => r.Device).Distinct()), $"{runs.Sum(r => r.DurationSeconds ?? 0) / 60:F1} min"]);
        }
        blocks.Add(runRows.Count == 0 ? new ReportParagraph("No completed runs at this scale.") :
            new ReportTable(["experiment", "completed runs", "code version", "device", "training time"], runRows));
        blocks.Add(new ReportParagraph("Which runs are used: every completed run at this scale" + (context.Seeds is { } range ? $" with seeds {range.First}..{range.Last}" : "") +
                                       ". " + RunSelection.Rule));

        foreach (var module in modules)
        {
            var drawn = module.DrawFigures(context).ToList();
            var extra = module.ReportBlocks(context).ToList();
            if (drawn.Count == 0 && extra.Count == 0) continue;
            blocks.Add(new ReportHeading(2, module.Title));
            foreach (var f in drawn)
            {
                log.WriteLine($"  figure {Path.GetFileName(f.PngPath)}");
                figures.Add(f);
                RecordArtifact(context, f.PngPath, "figure-png", module.Experiment, f.RunIds);
                RecordArtifact(context, f.SvgPath, "figure-svg", module.Experiment, f.RunIds);
                blocks.Add(new ReportHeading(3, $"{f.Title} — reproduces {f.PaperFigure}"));
                blocks.Add(new ReportImage(Path.GetFileName(f.PngPath), f.Title));
                blocks.Add(new ReportParagraph(f.Caption + $" Data: {f.RunIds.Length} runs. SVG: [{Path.GetFileName(f.SvgPath)}]({Path.GetFileName(f.SvgPath)})."));
            }
            blocks.AddRange(extra);
            blocks.AddRange(PaperDifferences.Blocks(context, module.Experiment));
            if (module.DataSubstitutions.Count > 0)
                blocks.Add(new ReportParagraph("Data that differ from the paper's: " + string.Join(" ", module.DataSubstitutions)));
        }

        var md = Path.Combine(context.OutDir, "REPORT.md");
        var html = Path.Combine(context.OutDir, "REPORT.html");
        File.WriteAllText(md, ReportDocument.ToMarkdown(blocks));
        File.WriteAllText(html, ReportDocument.ToHtml($"FourierRepro report — {context.Scale}", blocks));

        var allRuns = figures.SelectMany(f => f.RunIds).Distinct().ToArray();
        RecordArtifact(context, md, "report-md", "*", allRuns);
        RecordArtifact(context, html, "report-html", "*", allRuns);
        context.Db.SaveChanges();
        return new Outcome(figures, claims, md, html);
    }

    // The claims at a glance: a summary line, one row per empirical claim (verdict, effect, control, p, n), the
    // identity checks in a table of their own, then each claim's statement, method, null hypothesis and control.
    static IEnumerable<ReportBlock> ClaimBlocks(IReadOnlyList<ClaimCheck> claims, string scale)
    {
        yield return new ReportHeading(2, "Claims");
        yield return new ReportParagraph("**" + ClaimEvaluator.Summary(claims, scale) + ".**");
        yield return new ReportParagraph("An empirical claim is reproduced when its effect is " +
            $"beyond the bound fixed in advance, its test gives p < {Significance.Alpha}, and the same measure on its negative control " +
            "(runs in which the effect is absent by construction) does not hold. Identity checks hold by construction: they test the " +
            "implementation and are not counted as reproduced findings.");
        var empirical = claims.Where(c => c.Claim.Kind == ClaimKind.Empirical).ToList();
        yield return new ReportTable(["id", "verdict", "effect", "bound", "control", "p", "95% CI", "n", "claim (paper)"],
            empirical.Select(c => new[]
            {
                c.Claim.Id, Verdict(c, c.Verdict, c.Reason),
                Effect(c), c.Claim.Expectation,
                c.Result?.Control is { } k ? $"{k.Measured:G4} ({(k.EffectHolds ? "effect holds!" : "absent")})" : "—",
                c.Result?.Test is { } t ? t.PValue.ToString("G3") : "—",
                c.Result?.Test is { } u ? $"[{u.CiLow:G3}, {u.CiHigh:G3}]" : "—",
                c.Result?.Test is { } v ? $"{v.N} {v.Unit}" : "—",
                c.Claim.Statement,
            }).ToList());
        var identities = claims.Where(c => c.Claim.Kind == ClaimKind.Identity).ToList();
        if (identities.Count > 0)
        {
            yield return new ReportHeading(3, "Identity checks (implementation, true by construction)");
            yield return new ReportTable(["id", "verdict", "measured", "bound", "what it checks"],
                identities.Select(c => new[] { c.Claim.Id, Verdict(c, c.Verdict, c.Reason), Effect(c), c.Claim.Expectation, c.Claim.Statement }).ToList());
        }
        yield return new ReportHeading(3, "How each claim is measured");
        foreach (var c in claims)
        {
            var text = $"**{c.Claim.Id}** ({c.Verdict}{(c.Reason.Length > 0 ? ": " + c.Reason : "")}). {c.Claim.Method}";
            if (c.Claim.NullHypothesis.Length > 0) text += $" Null hypothesis: {c.Claim.NullHypothesis}";
            if (c.Claim.ControlText.Length > 0) text += $" Negative control: {c.Claim.ControlText}";
            if (c.Claim.Power.Length > 0) text += $" Where required: {c.Claim.Power}";
            if (c.Result?.Test is { } t) text += $" Test: {t.Summary}.";
            if (c.State == ClaimState.NotEvaluated) text += $" Not evaluated: {c.Reason}.";
            yield return new ReportParagraph(text);
        }
    }

    // When the runs hold more than one block of seeds (e.g. run-all twice, -FirstSeed 1 and -FirstSeed 101), each
    // claim's verdict on each block on its own: a claim reproduced on one block only is not robust at this scale.
    static IEnumerable<ReportBlock> ReplicationBlocks(AnalysisContext context, IReadOnlyList<IAnalysisModule> modules)
    {
        var blocks = SeedBlock.InRuns(context, modules);
        yield return new ReportHeading(3, "Replication on fresh seeds");
        if (blocks.Count < 2)
        {
            yield return new ReportParagraph(blocks.Count == 0 ? "No runs." :
                $"The runs hold one block of seeds ({blocks[0]}). To replicate every claim on seeds nobody tuned on, add a second block to the same " +
                "database (`run-all.ps1 -FirstSeed 101`, or `run --first-seed 101`); the report then shows each claim's verdict per block here.");
            yield break;
        }
        var byBlock = ClaimEvaluator.EvaluateByBlock(context, modules, blocks);
        yield return new ReportParagraph($"The runs hold {blocks.Count} blocks of seeds; each block is evaluated on its own with the same measures, " +
            "tests and controls (the table above uses every run). A claim reproduced on one block and not on another is not robust at this scale.");
        yield return new ReportTable(["id", .. byBlock.Select(b => $"seeds {b.Block}")],
            byBlock[0].Checks.Select(c => new[] { c.Claim.Id }.Concat(byBlock.Select(b =>
            {
                var k = b.Checks.First(x => x.Claim.Id == c.Claim.Id);
                return Verdict(k, ClaimEvaluator.BlockCell(k), "");
            })).ToArray()).ToList());
        foreach (var (block, checks) in byBlock)
            yield return new ReportParagraph($"Seeds {block}: {ClaimEvaluator.Summary(checks, context.Scale)}.");
    }

    // A claim's verdict as a table cell: green where it holds, red where a required claim does not, amber where a claim
    // not required at this scale does not, grey where it was not evaluated.
    static string Verdict(ClaimCheck c, string text, string reason) =>
        new ReportVerdict(text, c.Holds, c.State == ClaimState.NotEvaluated, reason, c.State != ClaimState.NotRequiredFailed).ToString();

    static string Effect(ClaimCheck c) => c.Result is null || c.State == ClaimState.NotEvaluated ? "—" : c.Result.Measured.ToString("G4");

    static void RecordArtifact(AnalysisContext context, string path, string kind, string experiment, long[] runIds)
    {
        context.Db.Artifacts.Add(new ArtifactRecord
        {
            Path = Path.GetRelativePath(Environment.CurrentDirectory, path), Kind = kind, Scale = context.Scale, Experiment = experiment,
            RunIds = JsonSerializer.Serialize(runIds), ContentHash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))),
            CreatedAt = DateTime.UtcNow,
        });
    }
}
