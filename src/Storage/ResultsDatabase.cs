using System.Collections.Concurrent;
using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace FourierRepro.Storage;

// A database problem a user can fix (wrong path, not a SQLite file, not ours). The message is one line.
public sealed class ResultsDatabaseException(string message) : Exception(message);

public static class ResultsDatabase
{
    public const string DefaultPath = "results/fourier.db";
    static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();

    // Checks a path without changing a byte of any existing file. Throws ResultsDatabaseException.
    // mustExist: for readers (Analysis), which have nothing to do without a database.
    public static string Validate(string path, bool mustExist = false)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ResultsDatabaseException("--db: the path is empty");
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new ResultsDatabaseException($"--db {path}: is a directory, not a database file");
        if (!File.Exists(full))
        {
            if (mustExist) throw new ResultsDatabaseException($"--db {path}: no such database file");
            var dir = Path.GetDirectoryName(full)!;
            var existing = dir;
            while (!Directory.Exists(existing)) existing = Path.GetDirectoryName(existing) ?? throw new ResultsDatabaseException($"--db {path}: no existing parent folder");
            if (File.Exists(dir)) throw new ResultsDatabaseException($"--db {path}: {dir} is a file, not a folder");
            if (!CanWriteInto(existing)) throw new ResultsDatabaseException($"--db {path}: folder {existing} is not writable");
            return full;
        }

        // Never open the database file outside SQLite while this process holds a connection to it: POSIX releases every
        // fcntl lock a process holds on a file when it closes any descriptor of that file, so reading the header here
        // would drop the shared lock of this process's open connections (a heartbeat's, a runner's). Another process
        // closing its last connection could then take the exclusive lock, checkpoint and delete the write-ahead log
        // under them: measured with two workers on one database, a committed completion was lost and the next write
        // failed with 'database disk image is malformed'. A path this process has opened was validated then.
        if (OpenedHere.ContainsKey(full)) return full;

        var header = new byte[SqliteHeader.Length];
        int read;
        try
        {
            using var f = new FileStream(full, FileMode.Open, mustExist ? FileAccess.Read : FileAccess.ReadWrite, FileShare.ReadWrite);
            read = f.Read(header, 0, header.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ResultsDatabaseException($"--db {path}: cannot open for {(mustExist ? "reading" : "writing")} ({e.Message})");
        }
        if (read == 0) return full; // an empty file is an empty SQLite database
        if (read < header.Length || !header.AsSpan().SequenceEqual(SqliteHeader))
            throw new ResultsDatabaseException($"--db {path}: not a SQLite database file");

        CheckSchemaIsOurs(path, full);
        return full;
    }

    static readonly ConcurrentDictionary<string, bool> OpenedHere = new(); // full paths Open has opened in this process

    static void CheckSchemaIsOurs(string path, string full)
    {
        var tables = new List<string>();
        var applied = new List<string>();
        try
        {
            using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            c.Open();
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
                using var r = cmd.ExecuteReader();
                while (r.Read()) tables.Add(r.GetString(0));
            }
            if (tables.Contains("__EFMigrationsHistory"))
            {
                using var cmd = c.CreateCommand();
                cmd.CommandText = "SELECT MigrationId FROM __EFMigrationsHistory";
                using var r = cmd.ExecuteReader();
                while (r.Read()) applied.Add(r.GetString(0));
            }
        }
        catch (SqliteException e)
        {
            throw new ResultsDatabaseException($"--db {path}: unreadable SQLite file ({e.Message.Split('\n')[0]})");
        }
        // Only EF's own tables: a database another process is creating right now (its Migrate holds the lock row and has
        // not committed the schema yet); our Migrate waits for that lock.
        if (tables.All(t => t is "__EFMigrationsLock" or "__EFMigrationsHistory")) return;
        if (!tables.Contains("__EFMigrationsHistory") || !tables.Contains("runs"))
            throw new ResultsDatabaseException($"--db {path}: a SQLite file, but not a FourierRepro results database (tables: {string.Join(", ", tables.Take(5))})");
        using var db = CreateContext(full);
        var known = db.Database.GetMigrations().ToHashSet();
        var unknown = applied.Where(m => !known.Contains(m)).ToList();
        if (unknown.Count > 0)
            throw new ResultsDatabaseException($"--db {path}: written by a newer FourierRepro (unknown migration {unknown[0]}); update the code");
    }

    static bool CanWriteInto(string dir)
    {
        var probe = Path.Combine(dir, $".write-probe-{Guid.NewGuid():N}");
        try { using (File.Create(probe)) { } File.Delete(probe); return true; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    static ResultsDbContext CreateContext(string fullPath)
    {
        var cs = new SqliteConnectionStringBuilder { DataSource = fullPath, Pooling = false, DefaultTimeout = 60 }.ToString();
        var options = new DbContextOptionsBuilder<ResultsDbContext>().UseSqlite(cs).Options;
        return new ResultsDbContext(options);
    }

    // Opens (creating if needed) a results database for writing: validates it, applies pending migrations,
    // and keeps one open connection in WAL mode with a busy timeout. One context per unit of work.
    public static ResultsDbContext Open(string path)
    {
        var full = Validate(path);
        bool existed = File.Exists(full);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var db = CreateContext(full);
        try
        {
            db.Database.OpenConnection();
            db.Database.ExecuteSqlRaw("PRAGMA busy_timeout = 30000;");
            db.Database.ExecuteSqlRaw("PRAGMA journal_mode = WAL;");
            db.Database.ExecuteSqlRaw("PRAGMA foreign_keys = ON;");
            db.Database.Migrate();
            OpenedHere.TryAdd(full, true);
            return db;
        }
        catch
        {
            db.Dispose();
            if (!existed) DeleteDatabaseFiles(full);
            throw;
        }
    }

    // A write transaction that holds SQLite's write lock from its first statement on: Microsoft.Data.Sqlite begins a
    // non-deferred Serializable transaction with BEGIN IMMEDIATE. A read-decide-write (is this run free? take it) in a
    // deferred transaction would let two processes both read "free" before either writes. Waits for the lock up to the
    // busy timeout. (LeaseTests checks that a second one waits.)
    public static IDbContextTransaction BeginWriteTransaction(this ResultsDbContext db) =>
        db.Database.BeginTransaction(IsolationLevel.Serializable);

    // Opens an existing results database for reading and for Analysis's own rows (claim checks, artifacts).
    public static ResultsDbContext OpenExisting(string path)
    {
        Validate(path, mustExist: true);
        return Open(path);
    }

    static void DeleteDatabaseFiles(string full)
    {
        foreach (var f in new[] { full, full + "-wal", full + "-shm" })
            if (File.Exists(f)) File.Delete(f);
    }
}
