using FourierRepro.Storage;
using FourierRepro.Analysis.Claims;

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

    // Where the data differ from the paper's (a substitute dataset, a generated target), listed by the report beside
    // the settings that differ, which are computed from the recorded configurations.
    IReadOnlyList<string> DataSubstitutions => [];
}

// Owns the database context it is given. Seeds, when set, keeps only the runs whose seed is in that range (a
// replication on fresh seeds: `claims --seeds 101-103`); otherwise every completed run is used, whatever its seed.
public sealed record AnalysisContext(ResultsDbContext Db, string Scale, string OutDir) : IDisposable
{
    public (int First, int Last)? Seeds { get; init; }

    // Loaded data, by (kind, seed filter): a module loads its typed data once per report and hands it to every claim
    // and figure. Shared by the copies `with { Seeds = … }` makes, hence the seed filter in the key.
    // A null result ("no run") is cached too.
    readonly Dictionary<(string, (int, int)?), object?> cache = [];

    public T Cached<T>(string key, Func<AnalysisContext, T> load)
    {
        if (cache.TryGetValue((key, Seeds), out var hit)) return (T)hit!;
        var value = load(this);
        cache[(key, Seeds)] = value;
        return value;
    }

    public void Dispose() => Db.Dispose();

    public List<RunRecord> CompletedRuns(string experiment) =>
        Db.CompletedRuns(experiment, Scale).Where(r => Seeds is not { } s || (r.Seed >= s.First && r.Seed <= s.Last)).ToList();
}

// PaperFigure says what the paper shows in the figure we reproduce, so the report can set ours beside it.
public sealed record FigureResult(string Id, string Title, string PaperFigure, string Caption, string PngPath, string SvgPath, long[] RunIds);

// An empirical claim is a finding of the paper, tested (statistic, p-value, negative control); an identity holds by
// construction (an implementation check) and is listed apart, never counted as a reproduced finding.
public enum ClaimKind { Empirical, Identity }

// Scales at which the claim must hold; at other scales it is evaluated and reported, but does not fail.
public sealed record Claim(
    string Id,
    string Experiment,
    string Statement,          // the sentence of the paper it checks
    string Method,             // how it is measured, with the number of runs and why
    string Expectation,        // the bound and its reason, e.g. "mean Spearman rho >= 0.8"
    string[] RequiredAt,
    Func<AnalysisContext, ClaimResult?> Evaluate) // null when there is nothing to evaluate
{
    public ClaimKind Kind { get; init; } = ClaimKind.Empirical;
    public string NullHypothesis { get; init; } = "";   // what the p-value is computed under
    public string ControlText { get; init; } = "";      // the negative control: runs in which the effect is absent by construction
    public string Power { get; init; } = "";            // why it is required at RequiredAt only, worked out from the test in advance
}

// Measured: the effect. EffectHolds: the effect is beyond its bound. For an empirical claim, Test and Control must be
// set: it is reproduced only when the effect holds, p < 0.05, and the same measure on the control does not hold.
public sealed record ClaimResult(double Measured, bool EffectHolds, string Details, long[] RunIds)
{
    public Significance? Test { get; init; }
    public ControlResult? Control { get; init; }
    public string? NotEvaluatedReason { get; init; }  // data only partly there: "not evaluated", never a failure

    public static ClaimResult NotEvaluated(string reason) => new(double.NaN, false, reason, []) { NotEvaluatedReason = reason };
}

// The claim's measure on its negative control. EffectHolds must be false for the claim to be reproduced.
public sealed record ControlResult(string Name, double Measured, bool EffectHolds, string Details);

public static class Scales
{
    public static readonly string[] All = ScaleNames.All;
    public static readonly string[] StandardAndPaper = [Scale.Standard.Name(), Scale.Paper.Name()];
}
