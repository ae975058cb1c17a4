using FourierRepro.Storage;

namespace FourierRepro.Analysis;

// What the analysis of one experiment family offers: its figures and its claims, from database rows alone.
public interface IAnalysisModule
{
    string Experiment { get; }
    string Title { get; }                    // section heading in the report
    IReadOnlyList<Claim> Claims { get; }
    IEnumerable<FigureResult> DrawFigures(AnalysisContext context);

    // Extra report content after the figures (e.g. a table of our numbers beside the paper's).
    IEnumerable<ReportBlock> ReportBlocks(AnalysisContext context) => [];
}

// Owns the database context it is given.
public sealed record AnalysisContext(ResultsDbContext Db, string Scale, string OutDir) : IDisposable
{
    public void Dispose() => Db.Dispose();

    public List<RunRecord> CompletedRuns(string experiment) => Db.CompletedRuns(experiment, Scale);
}

// PaperFigure says what the paper shows in the figure we reproduce, so the report can set ours beside it.
public sealed record FigureResult(string Id, string Title, string PaperFigure, string Caption, string PngPath, string SvgPath, long[] RunIds);

// Scales at which the claim must hold; at other scales it is evaluated and reported, but does not fail.
public sealed record Claim(
    string Id,
    string Experiment,
    string Statement,          // the sentence of the paper it checks
    string Method,             // how it is measured, with the number of runs and why
    string Expectation,        // the tolerance, e.g. "mean Spearman rho >= 0.8"
    string[] RequiredAt,
    Func<AnalysisContext, ClaimResult?> Evaluate); // null when there is nothing to evaluate

public sealed record ClaimResult(double Measured, bool Passed, string Details, long[] RunIds);

public static class Scales
{
    public static readonly string[] All = ["smoke", "standard", "paper"];
    public static readonly string[] StandardAndPaper = ["standard", "paper"];
}
