using FourierRepro.Storage;

namespace FourierRepro.Tests;

// Runs every registered experiment at the smoke scale once into a temp database, then the analysis report.
// The end-to-end tests of every family read from this one run (it is the most expensive part of the suite).
public sealed class SmokeSuite : IDisposable
{
    readonly TempDir dir = new();
    public string Db => dir.File("smoke.db");
    public string ReportDir => dir.File("reports");
    public int RunExitCode { get; }
    public int ReportExitCode { get; }

    public SmokeSuite()
    {
        RunExitCode = Hosts.Experiments("run", "all", "--scale", "smoke", "--db", Db).GetAwaiter().GetResult();
        ReportExitCode = Hosts.Analysis("report", "--db", Db, "--scale", "smoke", "--out", ReportDir).GetAwaiter().GetResult();
    }

    public ResultsDbContext Open() => ResultsDatabase.OpenExisting(Db);

    public string Figure(string id) => Path.Combine(ReportDir, id + ".png");

    public void Dispose() => dir.Dispose();
}

[CollectionDefinition(Name)]
public sealed class SmokeSuiteCollection : ICollectionFixture<SmokeSuite>
{
    public const string Name = "smoke suite";
}
