using System.Reflection;
using FourierRepro.Storage;
using Microsoft.EntityFrameworkCore;

namespace FourierRepro.Tests;

// The contract between the stages, checked: the two catalogs name the same experiments, each family's contract
// (src/Contracts/*Contract.cs) names them too, every metric a run records is declared, and every name a contract
// gives for a family is recorded by that family's smoke runs (so a name the analysis reads is one the experiment
// writes: the analysis reads names only through the contracts).
[Collection(SmokeSuiteCollection.Name)]
public sealed class CatalogAgreementTests(SmokeSuite suite)
{
    static readonly Assembly Contracts = typeof(ConfigJson).Assembly;

    // Contract type → experiment name, for every contract with an `Experiment` constant.
    static Dictionary<Type, string> FamilyContracts() =>
        Contracts.GetTypes().Where(t => t.Name.EndsWith("Contract", StringComparison.Ordinal))
            .Select(t => (Type: t, Field: t.GetField("Experiment", BindingFlags.Public | BindingFlags.Static)))
            .Where(x => x.Field is { IsLiteral: true })
            .ToDictionary(x => x.Type, x => (string)x.Field!.GetRawConstantValue()!);

    // Names recorded only with a setting the smoke plan leaves off.
    static readonly HashSet<string> OptionalAtSmoke =
    [
        "NtkConvergenceContract.ReanchoredTrainMse", "NtkConvergenceContract.ReanchoredTestMse", // RecordReanchoredTheory
    ];

    // The recorded names a contract declares: its public string constants other than the experiment's name.
    static List<(string Const, string Value)> DeclaredNames(Type contract) => StringConstants(contract).Where(c => c.Const != "Experiment").ToList();

    // A type's public string constants, (name, value).
    internal static IEnumerable<(string Const, string Value)> StringConstants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (f.Name, (string)f.GetRawConstantValue()!));

    [Fact]
    public void The_experiment_catalog_the_analysis_catalog_and_the_contracts_name_the_same_experiments()
    {
        var experiments = FourierRepro.Experiments.Hosting.ExperimentCatalog.All.Select(e => e.Info.Name).Order().ToList();
        var analysed = FourierRepro.Analysis.AnalysisCatalog.All.Select(m => m.Experiment).Order().ToList();
        var contracts = FamilyContracts().Values.Order().ToList();
        Assert.Equal(experiments, analysed);
        Assert.Equal(experiments, contracts);
        Assert.Equal(experiments.Count, experiments.Distinct().Count());
        foreach (var module in FourierRepro.Analysis.AnalysisCatalog.All)
            Assert.All(module.Claims, c => Assert.Equal(module.Experiment, c.Experiment));
    }

    [Fact]
    public void Every_metric_a_smoke_run_records_is_declared_with_its_definition()
    {
        using var db = suite.Open();
        var recorded = db.Metrics.AsNoTracking().Join(db.Runs.AsNoTracking(), m => m.RunId, r => r.Id, (m, r) => new { r.Experiment, m.Name })
            .Distinct().ToList();
        var declared = db.MetricDefinitions.AsNoTracking().ToList();
        Assert.NotEmpty(recorded);
        foreach (var m in recorded)
        {
            var definition = declared.FirstOrDefault(d => d.Experiment == m.Experiment && d.Name == m.Name);
            Assert.True(definition is not null, $"{m.Experiment} records metric '{m.Name}' without declaring it");
            Assert.Contains(definition!.Goal, new[] { MetricGoal.Minimize, MetricGoal.Maximize, MetricGoal.None });
            Assert.False(string.IsNullOrWhiteSpace(definition.Description), $"{m.Experiment}/{m.Name} has no description");
        }
    }

    [Fact]
    public void Every_name_a_family_contract_declares_is_recorded_by_its_smoke_runs()
    {
        using var db = suite.Open();
        foreach (var (contract, experiment) in FamilyContracts())
        {
            var runIds = db.Runs.AsNoTracking().Where(r => r.Experiment == experiment).Select(r => r.Id).ToList();
            Assert.True(runIds.Count > 0, $"{experiment}: no smoke runs");
            var names = db.Arrays.AsNoTracking().Where(a => runIds.Contains(a.RunId)).Select(a => a.Name).Distinct()
                .Concat(db.Metrics.AsNoTracking().Where(m => runIds.Contains(m.RunId)).Select(m => m.Name).Distinct()).ToHashSet();
            foreach (var (constant, value) in DeclaredNames(contract))
            {
                if (OptionalAtSmoke.Contains($"{contract.Name}.{constant}")) continue;
                // A name part (a band of residual/{band}, a prefix of {prefix}_train_mse) must be part of a recorded name.
                bool recorded = names.Contains(value) || names.Any(n => n.EndsWith("/" + value, StringComparison.Ordinal) || n.StartsWith(value + "_", StringComparison.Ordinal));
                Assert.True(recorded, $"{contract.Name}.{constant} = '{value}' is not recorded by any {experiment} smoke run");
            }
        }
    }
}

// The analysis and the experiments spell no recorded name themselves: every experiment name, and every recorded name
// distinctive enough to search for (containing '_' or '/'), appears as a string literal only in src/Contracts.
public sealed class ContractLiteralTests
{
    static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FourierRepro.sln"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void Recorded_names_are_written_only_in_the_contracts()
    {
        var root = RepoRoot();
        var names = typeof(ConfigJson).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Contract", StringComparison.Ordinal) || t.Name == nameof(CommonNames))
            .SelectMany(CatalogAgreementTests.StringConstants)
            .Where(x => x.Const == "Experiment" || x.Value.Contains('_') || x.Value.Contains('/'))
            .Select(x => x.Value).Distinct().ToList();
        Assert.True(names.Count > 40, $"only {names.Count} names found: the contracts' naming changed?");
        var sources = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                        && !p.Contains($"{Path.DirectorySeparatorChar}Contracts{Path.DirectorySeparatorChar}") && !p.Contains("Migrations"))
            .ToList();
        Assert.NotEmpty(sources);
        var offenders = sources.Select(p => (Path: p, Text: File.ReadAllText(p)))
            .SelectMany(f => names.Where(n => f.Text.Contains($"\"{n}\"")).Select(n => $"{Path.GetRelativePath(root, f.Path)}: \"{n}\"")).ToList();
        Assert.True(offenders.Count == 0, "recorded names written outside src/Contracts: " + string.Join("; ", offenders));
    }
}
