using System.Text.Json;
using FourierRepro.Storage;

namespace FourierRepro.Analysis.Claims;

// Passed / Failed: a required claim reproduced (an identity held) or not. NotRequired*: the same at a scale where the
// claim is not required (reported, never a failure). NotEvaluated: no data, or only part of it.
public enum ClaimState { Passed, Failed, NotRequiredPassed, NotRequiredFailed, NotEvaluated }

public sealed record ClaimCheck(Claim Claim, ClaimState State, ClaimResult? Result, string Reason)
{
    public bool Holds => State is ClaimState.Passed or ClaimState.NotRequiredPassed;
    public bool Required => State is ClaimState.Passed or ClaimState.Failed;

    public string Verdict => State switch
    {
        ClaimState.NotEvaluated => "not evaluated",
        _ when Claim.Kind == ClaimKind.Identity => Holds ? "holds" : "DOES NOT HOLD",
        ClaimState.Passed => "reproduced",
        ClaimState.Failed => "NOT REPRODUCED",
        ClaimState.NotRequiredPassed => "reproduced (not required here)",
        _ => "not reproduced (not required here)",
    };
}

public static class ClaimEvaluator
{
    // An empirical claim is reproduced when its effect is beyond the bound, its test gives p < 0.05, and the same
    // measure on its negative control does not hold. A missing test or control is a failure of the claim, not a pass.
    public static (bool Holds, string Reason) Decide(Claim claim, ClaimResult result)
    {
        if (claim.Kind == ClaimKind.Identity)
            return result.EffectHolds ? (true, "") : (false, "the identity does not hold");
        var reasons = new List<string>();
        if (!result.EffectHolds) reasons.Add("effect not beyond its bound");
        if (result.Test is null) reasons.Add("no statistical test");
        else if (!result.Test.Significant) reasons.Add($"p = {result.Test.PValue:G3} >= {Significance.Alpha}");
        if (result.Control is null) reasons.Add("no negative control");
        else if (result.Control.EffectHolds) reasons.Add($"the control ({result.Control.Name}) shows the effect too");
        return (reasons.Count == 0, string.Join("; ", reasons));
    }

    // Evaluates the claims of experiments that have completed runs at the scale and writes one claim_checks row
    // per evaluated claim (record: false evaluates without writing, for the per-seed-block replication). A claim
    // without data is "not evaluated", which is not a failure.
    public static List<ClaimCheck> Evaluate(AnalysisContext context, IEnumerable<IAnalysisModule> modules, bool record = true)
    {
        var checks = new List<ClaimCheck>();
        var now = DateTime.UtcNow;
        foreach (var module in modules)
        {
            bool hasRuns = context.CompletedRuns(module.Experiment).Count > 0;
            foreach (var claim in module.Claims)
            {
                var result = hasRuns ? claim.Evaluate(context) : null;
                if (result is null || result.NotEvaluatedReason is not null)
                {
                    checks.Add(new ClaimCheck(claim, ClaimState.NotEvaluated, result, result?.NotEvaluatedReason ?? "no completed runs at this scale"));
                    continue;
                }
                bool required = claim.RequiredAt.Contains(context.Scale);
                var (holds, reason) = Decide(claim, result);
                var state = (required, holds) switch
                {
                    (true, true) => ClaimState.Passed,
                    (true, false) => ClaimState.Failed,
                    (false, true) => ClaimState.NotRequiredPassed,
                    _ => ClaimState.NotRequiredFailed,
                };
                var check = new ClaimCheck(claim, state, result, reason);
                checks.Add(check);
                if (!record) continue;
                context.Db.ClaimChecks.Add(new ClaimCheckRecord
                {
                    ClaimId = claim.Id, Experiment = claim.Experiment, Scale = context.Scale,
                    Kind = claim.Kind == ClaimKind.Identity ? "identity" : "empirical",
                    Measured = Finite(result.Measured),
                    Expectation = claim.Expectation + (required ? "" : $" (required at {(claim.RequiredAt.Length == 0 ? "no scale" : string.Join(", ", claim.RequiredAt))} only)"),
                    Passed = holds, Verdict = check.Verdict,
                    ControlMeasured = result.Control is null ? null : Finite(result.Control.Measured),
                    ControlHeld = result.Control?.EffectHolds,
                    PValue = result.Test is null ? null : Finite(result.Test.PValue),
                    CiLow = result.Test is null ? null : Finite(result.Test.CiLow),
                    CiHigh = result.Test is null ? null : Finite(result.Test.CiHigh),
                    N = result.Test?.N,
                    Details = (reason.Length > 0 ? $"not reproduced: {reason}. " : "") + result.Details +
                              (result.Test is null ? "" : $" Test: {result.Test.Summary}; values [{string.Join(", ", result.Test.Values.Select(v => v.ToString("G4")))}].") +
                              (result.Control is null ? "" : $" Control ({result.Control.Name}): {result.Control.Measured:G4}, {(result.Control.EffectHolds ? "effect holds" : "effect absent")}; {result.Control.Details}"),
                    RunIds = JsonSerializer.Serialize(result.RunIds), EvaluatedAt = now,
                });
            }
        }
        if (record) context.Db.SaveChanges();
        return checks;
    }

    // The replication: the claims evaluated on each block of seeds on its own (nothing recorded), e.g. the default
    // seeds 1.. beside a fresh block 101.. that nobody tuned on.
    public static List<(SeedBlock Block, List<ClaimCheck> Checks)> EvaluateByBlock(AnalysisContext context, IReadOnlyList<IAnalysisModule> modules, IReadOnlyList<SeedBlock> blocks) =>
        blocks.Select(b => (b, Evaluate(context with { Seeds = (b.First, b.Last) }, modules, record: false))).ToList();

    public static void PrintByBlock(TextWriter output, IReadOnlyList<(SeedBlock Block, List<ClaimCheck> Checks)> byBlock, string scale)
    {
        output.WriteLine($"Claims at scale {scale} per block of seeds (each block evaluated on its own):");
        output.WriteLine($"  {"id",-8} " + string.Join(" ", byBlock.Select(b => $"{"seeds " + b.Block,-34}")));
        foreach (var claim in byBlock[0].Checks.Select(c => c.Claim))
            output.WriteLine($"  {claim.Id,-8} " + string.Join(" ", byBlock.Select(b => $"{Truncate(BlockCell(b.Checks.First(c => c.Claim.Id == claim.Id)), 34),-34}")));
        foreach (var (block, checks) in byBlock) output.WriteLine($"  seeds {block}: {Summary(checks, scale)}");
    }

    // "reproduced (p 0.004)" or "NOT REPRODUCED (p 0.27)": the verdict with the p-value it rests on.
    public static string BlockCell(ClaimCheck c) =>
        c.Verdict + (c.State != ClaimState.NotEvaluated && c.Result?.Test is { } t ? $" (p {t.PValue:G2})" : "");

    static double? Finite(double v) => double.IsFinite(v) ? v : null;

    public static void PrintTable(TextWriter output, IReadOnlyList<ClaimCheck> checks, string scale)
    {
        output.WriteLine($"Claims at scale {scale}:");
        output.WriteLine($"  {"id",-8} {"kind",-9} {"verdict",-36} {"measured",-10} {"control",-10} {"p",-9} {"n",-4} expectation");
        foreach (var c in checks)
        {
            var r = c.Result;
            string measured = r is null || c.State == ClaimState.NotEvaluated ? "-" : r.Measured.ToString("G4");
            string control = r?.Control is null ? "-" : r.Control.Measured.ToString("G4");
            string p = r?.Test is null ? "-" : r.Test.PValue.ToString("G3");
            string n = r?.Test is null ? "-" : r.Test.N.ToString();
            output.WriteLine($"  {c.Claim.Id,-8} {(c.Claim.Kind == ClaimKind.Identity ? "identity" : "empirical"),-9} {Truncate(c.Verdict, 36),-36} {measured,-10} {control,-10} {p,-9} {n,-4} {Truncate(c.Claim.Expectation, 60)}");
            if (c.Reason.Length > 0) output.WriteLine($"  {"",-8} {"",-9} why: {c.Reason}");
        }
        output.WriteLine(Summary(checks, scale));
    }

    public static string Summary(IReadOnlyList<ClaimCheck> checks, string scale)
    {
        var empirical = checks.Where(c => c.Claim.Kind == ClaimKind.Empirical).ToList();
        var identities = checks.Where(c => c.Claim.Kind == ClaimKind.Identity).ToList();
        int reproduced = empirical.Count(c => c.Holds), notEvaluated = empirical.Count(c => c.State == ClaimState.NotEvaluated);
        int failed = empirical.Count(c => c.State == ClaimState.Failed), notRequired = empirical.Count(c => c.State == ClaimState.NotRequiredFailed);
        return $"{empirical.Count} empirical claims at {scale}: {reproduced} reproduced, {failed} not reproduced (required here), " +
               $"{notRequired} not reproduced (not required here), {notEvaluated} not evaluated; " +
               $"{identities.Count} identity checks: {identities.Count(c => c.Holds)} hold, {identities.Count(c => c.State is ClaimState.Failed or ClaimState.NotRequiredFailed)} do not, " +
               $"{identities.Count(c => c.State == ClaimState.NotEvaluated)} not evaluated";
    }

    static string Truncate(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}

// A contiguous range of seeds: the runs of one `run --first-seed S` invocation (S .. S+N−1 for every experiment).
public sealed record SeedBlock(int First, int Last)
{
    public override string ToString() => First == Last ? $"{First}" : $"{First}-{Last}";

    // The recorded seeds grouped into maximal contiguous ranges: seeds 1-5 and 101-105 are two blocks.
    public static List<SeedBlock> FromSeeds(IEnumerable<int> seeds)
    {
        var blocks = new List<SeedBlock>();
        foreach (int s in seeds.Distinct().Order())
        {
            if (blocks.Count > 0 && blocks[^1].Last == s - 1) blocks[^1] = blocks[^1] with { Last = s };
            else blocks.Add(new SeedBlock(s, s));
        }
        return blocks;
    }

    // The blocks of the seeds of every completed run of the modules' experiments (within the context's seed filter).
    public static List<SeedBlock> InRuns(AnalysisContext context, IEnumerable<IAnalysisModule> modules) =>
        FromSeeds(modules.SelectMany(m => context.CompletedRuns(m.Experiment)).Select(r => r.Seed));
}
