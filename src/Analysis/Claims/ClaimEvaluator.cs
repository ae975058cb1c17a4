using System.Text.Json;
using FourierRepro.Storage;

namespace FourierRepro.Analysis.Claims;

public enum ClaimState { Passed, Failed, Informational, NotEvaluated }

public sealed record ClaimCheck(Claim Claim, ClaimState State, ClaimResult? Result)
{
    public string StateText => State switch
    {
        ClaimState.Passed => "pass",
        ClaimState.Failed => "FAIL",
        ClaimState.Informational => Result!.Passed ? "pass (not required at this scale)" : "fail (not required at this scale)",
        _ => "not evaluated",
    };
}

public static class ClaimEvaluator
{
    // Evaluates the claims of experiments that have completed runs at the scale and writes one claim_checks row
    // per evaluated claim. A claim without data is "not evaluated", which is not a failure.
    public static List<ClaimCheck> Evaluate(AnalysisContext context, IEnumerable<IAnalysisModule> modules)
    {
        var checks = new List<ClaimCheck>();
        var now = DateTime.UtcNow;
        foreach (var module in modules)
        {
            bool hasRuns = context.CompletedRuns(module.Experiment).Count > 0;
            foreach (var claim in module.Claims)
            {
                var result = hasRuns ? claim.Evaluate(context) : null;
                if (result is null)
                {
                    checks.Add(new ClaimCheck(claim, ClaimState.NotEvaluated, null));
                    continue;
                }
                bool required = claim.RequiredAt.Contains(context.Scale);
                var state = !required ? ClaimState.Informational : result.Passed ? ClaimState.Passed : ClaimState.Failed;
                checks.Add(new ClaimCheck(claim, state, result));
                context.Db.ClaimChecks.Add(new ClaimCheckRecord
                {
                    ClaimId = claim.Id, Experiment = claim.Experiment, Scale = context.Scale,
                    Measured = double.IsFinite(result.Measured) ? result.Measured : null,
                    Expectation = claim.Expectation + (required ? "" : $" (required at {string.Join(", ", claim.RequiredAt)} only)"),
                    Passed = result.Passed, Details = result.Details,
                    RunIds = JsonSerializer.Serialize(result.RunIds), EvaluatedAt = now,
                });
            }
        }
        context.Db.SaveChanges();
        return checks;
    }

    public static void PrintTable(TextWriter output, IReadOnlyList<ClaimCheck> checks, string scale)
    {
        output.WriteLine($"Claims at scale {scale}:");
        output.WriteLine($"  {"id",-12} {"state",-8} {"measured",-12} {"expectation",-44} statement");
        foreach (var c in checks)
        {
            var measured = c.Result is null ? "-" : c.Result.Measured.ToString("G4");
            var state = c.State switch { ClaimState.Passed => "pass", ClaimState.Failed => "FAIL", ClaimState.Informational => "info", _ => "n/a" };
            output.WriteLine($"  {c.Claim.Id,-12} {state,-8} {measured,-12} {Truncate(c.Claim.Expectation, 44),-44} {Truncate(c.Claim.Statement, 70)}");
        }
        int passed = checks.Count(c => c.State == ClaimState.Passed), failed = checks.Count(c => c.State == ClaimState.Failed);
        int info = checks.Count(c => c.State == ClaimState.Informational), none = checks.Count(c => c.State == ClaimState.NotEvaluated);
        output.WriteLine($"{passed} passed, {failed} failed, {info} informational (not required at {scale}), {none} not evaluated (no completed runs)");
    }

    static string Truncate(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}
