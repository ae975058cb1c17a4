using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace FourierRepro.Storage;

// One source of a merge, read from a private copy. An input is never opened itself: ResultsDatabase.Open migrates
// and switches to WAL, which would change a shard of an older schema and leave -wal/-shm files beside it, while a
// read-only connection would need raw SQL for every column an older schema lacks. The copy is migrated instead, so
// every input reads as today's entities (columns added later come along with their defaults) and stays byte-identical.
sealed class MergeInput : IDisposable
{
    const int ArrayBatchRows = 500;
    const long ArrayBatchBytes = 64L << 20; // images' arrays are megabytes each: bound the change tracker's memory

    public string Path { get; }
    public bool IsOutput { get; }
    public List<RunRecord> Runs { get; }
    public List<ExperimentRecord> Experiments { get; }
    public List<MetricDefinition> Definitions { get; }
    public int Copied, AlreadyPresent, Superseded;

    readonly ResultsDbContext db;
    readonly Dictionary<long, string> digests;

    MergeInput(string path, bool isOutput, ResultsDbContext db)
    {
        Path = path;
        IsOutput = isOutput;
        this.db = db;
        Runs = db.Runs.AsNoTracking().OrderBy(r => r.Id).ToList();
        Experiments = db.Experiments.AsNoTracking().OrderBy(e => e.Name).ToList();
        Definitions = db.MetricDefinitions.AsNoTracking().OrderBy(d => d.Experiment).ThenBy(d => d.Name).ToList();
        digests = RunContent.Digests(Connection);
    }

    // role: the argument the file came from (--into or input), for the one-line errors.
    public static MergeInput Open(string path, string full, string workDir, string role, bool isOutput)
    {
        var copy = System.IO.Path.Combine(workDir, $"{Guid.NewGuid():N}.db");
        try
        {
            File.Copy(full, copy);
            // A log beside the file holds committed transactions not yet folded in (a node stopped mid-plan): keep them.
            if (File.Exists(full + "-wal")) File.Copy(full + "-wal", copy + "-wal");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ResultsDatabaseException($"{role} {path}: cannot read ({e.Message})");
        }
        DatabaseMerge.Checked(path, role, mustExist: true, copy); // not SQLite, not ours, or of a newer schema
        var db = ResultsDatabase.Open(copy);
        try { return new MergeInput(path, isOutput, db); }
        catch { db.Dispose(); throw; }
    }

    public string Digest(RunRecord run) => digests.GetValueOrDefault(run.Id, RunContent.Empty);

    public MergeSource Summary() => new(Path, IsOutput, Runs.Count, Copied, AlreadyPresent, Superseded);

    SqliteConnection Connection => (SqliteConnection)db.Database.GetDbConnection();

    // The run as an entity (every property, including columns added by later migrations), renumbered in the output;
    // its metrics through MetricWriter's prepared insert, its arrays in batches.
    public void CopyRun(ResultsDbContext into, RunRecord run)
    {
        long sourceId = run.Id;
        run.Id = 0;
        into.Runs.Add(run);
        into.SaveChanges();
        into.ChangeTracker.Clear();
        MetricWriter.Insert(into, Metrics(sourceId, run.Id));

        var batch = new List<ArrayRecord>();
        long bytes = 0;
        foreach (var a in db.Arrays.AsNoTracking().Where(a => a.RunId == sourceId).OrderBy(a => a.Id).AsEnumerable())
        {
            a.Id = 0;
            a.RunId = run.Id;
            batch.Add(a);
            bytes += a.Data.Length;
            if (batch.Count >= ArrayBatchRows || bytes >= ArrayBatchBytes) Flush();
        }
        Flush();

        void Flush()
        {
            into.Arrays.AddRange(batch);
            into.SaveChanges();
            into.ChangeTracker.Clear();
            batch.Clear();
            bytes = 0;
        }
    }

    List<MetricRow> Metrics(long sourceId, long targetId)
    {
        var rows = new List<MetricRow>();
        using var cmd = Connection.CreateCommand();
        cmd.CommandText = "SELECT name, step, value, is_nan FROM metrics WHERE run_id = $run ORDER BY id";
        cmd.Parameters.AddWithValue("$run", sourceId);
        using var r = cmd.ExecuteReader();
        while (r.Read())
            rows.Add(new MetricRow(targetId, r.GetString(0), r.GetInt64(1), r.IsDBNull(2) || r.GetInt64(3) != 0 ? double.NaN : r.GetDouble(2)));
        return rows;
    }

    public void Dispose() => db.Dispose();
}
