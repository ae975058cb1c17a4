using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace FourierRepro.Storage;

// Shard databases of one plan (one per cluster node) merged into one file (issue 14). Runs are keyed by their
// identity (experiment, scale, seed, config hash: the unique index on runs) and renumbered in the output; a completed
// copy beats any other, two different completed copies are refused. The output's own runs count as one more input.
// claim_checks and artifacts are not copied: they describe evaluations and files of one database, and `claims` /
// `report` regenerate them on the merged file.
//
// Every refusal (ResultsDatabaseException) comes before the output is touched, and the result is written into a temp
// file next to the output and moved over it at the end, so a half-written output never exists.
public static class DatabaseMerge
{
    public static MergeSummary Merge(string into, IReadOnlyList<string> inputs)
    {
        var clock = Stopwatch.StartNew();
        if (inputs.Count == 0) throw new ResultsDatabaseException("merge: no input databases given");
        var outFull = CheckedPath(into, "--into", mustExist: false);
        foreach (var input in inputs.Where(i => SameFile(outFull, i)))
            throw new ResultsDatabaseException($"--into {into}: is also an input ({input}); merge into another file");
        var inputFulls = inputs.Select(i => CheckedPath(i, "input", mustExist: true)).ToList();
        bool outExists = File.Exists(outFull);
        if (outExists) CheckWritableBeside(outFull, into);
        else if (File.Exists(outFull + "-wal")) // it would be replayed onto the new file
            throw new ResultsDatabaseException($"--into {into}: no database, but a write-ahead log {into}-wal is there; remove it first");

        var work = Directory.CreateTempSubdirectory("fourier-merge-");
        var sources = new List<MergeInput>();
        try
        {
            if (outExists) sources.Add(MergeInput.Open(into, outFull, work.FullName, "--into", isOutput: true));
            for (int i = 0; i < inputs.Count; i++) sources.Add(MergeInput.Open(inputs[i], inputFulls[i], work.FullName, "input", isOutput: false));
            var plan = MergePlan.Make(sources); // throws on conflicting completed results, before the output is touched
            var (runs, completed) = Write(into, outFull, outExists, sources, plan);
            return new MergeSummary(into, [.. sources.Select(s => s.Summary())], runs, completed, plan.NotCompleted, plan.Notes, clock.Elapsed);
        }
        finally
        {
            foreach (var s in sources) s.Dispose();
            try { work.Delete(recursive: true); }
            catch (IOException) { } // a leftover temp folder must not hide the error that got us here
        }
    }

    // An existing file is checked on its private copy (MergeInput.Open): Validate's read-only SQLite connection on the
    // file itself would leave -wal and -shm files beside a WAL database. Here only what needs no SQLite: a missing
    // file, a directory, a folder that cannot be written (Validate opens nothing for a path that is not a file).
    static string CheckedPath(string path, string role, bool mustExist) =>
        File.Exists(path) ? Path.GetFullPath(path) : Checked(path, role, mustExist);

    // Validate's one-line errors, named after the argument they are about (and after it, not its copy).
    internal static string Checked(string path, string role, bool mustExist, string? copy = null)
    {
        var validated = copy ?? path;
        try { return ResultsDatabase.Validate(validated, mustExist); }
        catch (ResultsDatabaseException e) when (e.Message.StartsWith("--db"))
        {
            var prefix = e.Message.StartsWith($"--db {validated}") ? $"--db {validated}" : "--db";
            throw new ResultsDatabaseException($"{role} {path}{e.Message[prefix.Length..]}");
        }
    }

    static void CheckWritableBeside(string outFull, string into)
    {
        var probe = $"{outFull}.probe-{Guid.NewGuid():N}";
        try { using (File.Create(probe)) { } File.Delete(probe); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ResultsDatabaseException($"--into {into}: cannot write a file beside it ({e.Message})");
        }
    }

    static bool SameFile(string outFull, string input)
    {
        static string Resolve(string p) =>
            (File.Exists(p) ? new FileInfo(p).ResolveLinkTarget(returnFinalTarget: true)?.FullName : null) ?? Path.GetFullPath(p);
        return Resolve(outFull) == Resolve(input);
    }

    static (int Runs, int Completed) Write(string into, string outFull, bool outExists, IReadOnlyList<MergeInput> sources, MergePlan plan)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(outFull)!);
        var temp = $"{outFull}.merging-{Guid.NewGuid():N}";
        try
        {
            if (outExists)
            {
                // The output's write-ahead log is folded into the file first: a log left beside the moved-in file
                // would be replayed onto it. With the log gone, the file alone is the database and can be copied.
                Checkpoint(outFull);
                if (File.Exists(outFull + "-wal"))
                    throw new ResultsDatabaseException($"--into {into}: is open in another process (its write-ahead log stays); close it and merge again");
                File.Copy(outFull, temp);
            }
            int runs, completed;
            using (var db = ResultsDatabase.Open(temp)) // migrates an output of an older schema: it is the result
            {
                using (var tx = db.Database.BeginTransaction()) // one transaction: ~100k metric rows in a second
                {
                    CopyDeclarations(db, sources);
                    foreach (var pick in plan.Copies)
                    {
                        if (pick.Replaces is { } old) db.Runs.Where(r => r.Id == old).ExecuteDelete(); // its metrics and arrays cascade
                        pick.From.CopyRun(db, pick.Run);
                    }
                    tx.Commit();
                }
                runs = db.Runs.Count();
                completed = db.Runs.Count(r => r.Status == RunStatus.Completed);
            }
            if (File.Exists(temp + "-wal")) throw new IOException($"{temp}: still has a write-ahead log after closing");
            File.Move(temp, outFull, overwrite: true);
            return (runs, completed);
        }
        finally
        {
            foreach (var f in new[] { temp, temp + "-wal", temp + "-shm", temp + "-journal" })
                if (File.Exists(f)) File.Delete(f);
        }
    }

    static void Checkpoint(string full)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Pooling = false, DefaultTimeout = 60 }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        cmd.ExecuteNonQuery();
    } // closing the last connection deletes the -wal and -shm files

    // experiments and metric_definitions rows: the first source that has a key wins (the output, then the inputs in
    // order); rows only differ between shards run by different code versions, and MergePlan notes where they do.
    static void CopyDeclarations(ResultsDbContext db, IReadOnlyList<MergeInput> sources)
    {
        var experiments = db.Experiments.Select(e => e.Name).ToHashSet();
        var definitions = db.MetricDefinitions.Select(d => d.Experiment + "\n" + d.Name).ToHashSet();
        foreach (var s in sources.Where(s => !s.IsOutput))
            db.Experiments.AddRange(s.Experiments.Where(e => experiments.Add(e.Name)));
        db.SaveChanges(); // before the definitions and runs that refer to them
        foreach (var s in sources.Where(s => !s.IsOutput))
            db.MetricDefinitions.AddRange(s.Definitions.Where(d => definitions.Add(d.Experiment + "\n" + d.Name)));
        db.SaveChanges();
        db.ChangeTracker.Clear();
    }
}
