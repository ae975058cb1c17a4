using System.CommandLine;
using FourierRepro.Analysis.Claims;
using FourierRepro.Storage;

namespace FourierRepro.Analysis;

// The analysis command line. Exit codes: 0 ok, 1 a required claim failed, 2 bad input.
public static class Cli
{
    public const int Ok = 0, ClaimFailed = 1, BadInput = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null)
    {
        output ??= Console.Out;
        var db = new Option<string>("--db") { Description = $"Results database file (default: {ResultsDatabase.DefaultPath})", DefaultValueFactory = _ => ResultsDatabase.DefaultPath };
        var scale = new Option<string>("--scale") { Description = "smoke | standard | paper (default: standard)", DefaultValueFactory = _ => "standard" };
        var outDir = new Option<string?>("--out") { Description = "Output folder (default: reports/<scale>)" };
        var experiment = new Option<string?>("--experiment") { Description = "Only this experiment" };
        var seeds = new Option<string?>("--seeds") { Description = "Only runs with seeds in FIRST-LAST, e.g. 101-103 (a replication on fresh seeds; default: every completed run)" };
        var bySeedBlock = new Option<bool>("--by-seed-block") { Description = "Also evaluate each contiguous block of recorded seeds on its own (e.g. 1-5 and 101-105) and print the verdicts side by side" };

        var report = new Command("report", "Draw every figure from the database, evaluate the claims, write REPORT.md and REPORT.html; exits 1 when a required claim fails")
        {
            db, scale, outDir, seeds,
        };
        report.SetAction(r => Guard(output, () =>
        {
            var s = CheckScale(r.GetValue(scale)!);
            var range = SeedRange(r.GetValue(seeds));
            var dir = r.GetValue(outDir) ?? Path.Combine("reports", s);
            ResultsDatabase.Validate(r.GetValue(db)!, mustExist: true); // before the folder is made for a report that cannot be written
            CreateOutDir(dir);
            using var context = Open(r.GetValue(db)!, s, dir) with { Seeds = range };
            output.WriteLine($"Writing the {s} report to {context.OutDir}");
            var outcome = ReportWriter.Write(context, AnalysisCatalog.All, output);
            output.WriteLine($"Wrote {outcome.MarkdownPath}, {outcome.HtmlPath} and {outcome.Figures.Count} figures");
            ClaimEvaluator.PrintTable(output, outcome.Claims, s);
            return outcome.Claims.Any(c => c.State == ClaimState.Failed) ? ClaimFailed : Ok;
        }));

        var claims = new Command("claims", "Evaluate the claim catalog against the database, record the checks, print a table; exits 1 when a required claim fails")
        {
            db, scale, experiment, seeds, bySeedBlock,
        };
        claims.SetAction(r => Guard(output, () =>
        {
            var s = CheckScale(r.GetValue(scale)!);
            var modules = Modules(r.GetValue(experiment));
            var range = SeedRange(r.GetValue(seeds));
            using var context = Open(r.GetValue(db)!, s, Path.Combine("reports", s)) with { Seeds = range };
            if (range is { } block) output.WriteLine($"Runs with seeds {block.First}..{block.Last} only");
            var checks = ClaimEvaluator.Evaluate(context, modules);
            ClaimEvaluator.PrintTable(output, checks, s);
            if (r.GetValue(bySeedBlock))
            {
                var blocks = SeedBlock.InRuns(context, modules);
                if (blocks.Count == 0) output.WriteLine("No runs: no seed blocks to compare.");
                else ClaimEvaluator.PrintByBlock(output, ClaimEvaluator.EvaluateByBlock(context, modules, blocks), s);
            }
            return checks.Any(c => c.State == ClaimState.Failed) ? ClaimFailed : Ok;
        }));

        var runs = new Command("runs", "List the runs in the database with status and final metrics")
        {
            db, experiment,
        };
        runs.SetAction(r => Guard(output, () =>
        {
            var name = r.GetValue(experiment);
            if (name is not null) Modules(name);
            using var context = Open(r.GetValue(db)!, "standard", ".");
            RunTable.Print(output, context.Db, name);
            return Ok;
        }));

        // Here and not in Experiments: a cluster's merge-and-report job then needs one executable, and merging is a pure
        // storage operation (Storage's DatabaseMerge); Analysis never trains and references only Contracts and Storage.
        var into = new Option<string>("--into") { Description = "The merged database: created when absent; when it exists, its runs count as one more input", Required = true };
        var inputs = new Argument<string[]>("inputs") { Arity = ArgumentArity.ZeroOrMore, Description = "Shard databases (never modified)" };
        var merge = new Command("merge", "Merge shard databases into one: every run (keyed by experiment, scale, seed, config hash; a completed copy wins) " +
            "with its metrics and arrays, and the experiments and metric definitions. claim_checks and artifacts are not copied: run `claims` or " +
            "`report` on the merged file. Exits 2, leaving --into unchanged, when two inputs hold different completed results for one run")
        {
            into, inputs,
        };
        merge.SetAction(r => Guard(output, () =>
        {
            DatabaseMerge.Merge(r.GetValue(into)!, r.GetValue(inputs) ?? []).Print(output);
            return Ok;
        }));

        var root = new RootCommand("FourierRepro analysis: figures, claims and reports from the results database (never trains); merges shard databases")
        {
            report, claims, runs, merge,
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            Console.Error.WriteLine($"error: {parsed.Errors[0].Message} (see --help)");
            return BadInput;
        }
        return await parsed.InvokeAsync();
    }

    sealed class UsageException(string message) : Exception(message);

    static int Guard(TextWriter output, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is UsageException or ResultsDatabaseException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
    }

    static string CheckScale(string scale) =>
        Scales.All.Contains(scale) ? scale : throw new UsageException($"unknown scale '{scale}' (known: {string.Join(", ", Scales.All)})");

    static (int First, int Last)? SeedRange(string? text)
    {
        if (text is null) return null;
        var parts = text.Split('-');
        if (parts.Length == 2 && int.TryParse(parts[0], out int first) && int.TryParse(parts[1], out int last) && first >= 1 && last >= first)
            return (first, last);
        if (parts.Length == 1 && int.TryParse(parts[0], out int only) && only >= 1) return (only, only);
        throw new UsageException($"--seeds '{text}': expected FIRST-LAST with 1 <= FIRST <= LAST, e.g. 101-103");
    }

    // The report folder is made before the database is opened: an --out that names a file, or a folder that cannot
    // be made, is bad input before any claim row is written, not an IOException after.
    static void CreateOutDir(string dir)
    {
        if (File.Exists(dir)) throw new UsageException($"--out {dir}: is a file, not a folder");
        try { Directory.CreateDirectory(dir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--out {dir}: cannot create the folder ({e.Message})");
        }
    }

    static IReadOnlyList<IAnalysisModule> Modules(string? experiment)
    {
        if (experiment is null) return AnalysisCatalog.All;
        var module = AnalysisCatalog.All.FirstOrDefault(m => m.Experiment == experiment)
            ?? throw new UsageException($"unknown experiment '{experiment}' (known: {string.Join(", ", AnalysisCatalog.All.Select(m => m.Experiment))})");
        return [module];
    }

    static AnalysisContext Open(string db, string scale, string outDir) => new(ResultsDatabase.OpenExisting(db), scale, outDir);
}
