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
        blocks.Add(new ReportHeading(2, "Claims"));
        blocks.Add(new ReportTable(["id", "claim (paper)", "measured", "expectation", "result", "how it is measured"],
            claims.Select(c => new[]
            {
                c.Claim.Id, c.Claim.Statement, c.Result is null ? "—" : c.Result.Measured.ToString("G4"),
                c.Claim.Expectation, c.StateText, c.Claim.Method,
            }).ToList()));

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
