using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace FourierRepro.Storage;

// What a run recorded, as one hash per run: its metric rows (name, step, value or NaN) and its arrays (name, step,
// shape, dtype, bytes) as a multiset. Each row is hashed and the row hashes sorted, so the order in which rows were
// written (and their ids) does not matter, and no blob is ever sorted by SQLite. Two copies of one run have the same
// digest exactly when they hold the same results; a retrained run may differ (bit-for-bit only with the same thread count).
public static class RunContent
{
    public static Dictionary<long, string> Digests(SqliteConnection connection)
    {
        var rows = new Dictionary<long, List<byte[]>>();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT run_id, name, step, value, is_nan FROM metrics";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                hash.AppendData("m"u8);
                Add(hash, r.GetString(1));
                Add(hash, r.GetInt64(2));
                // NULL and is_nan both read back as NaN (ResultsQueries), so they are one value here.
                bool nan = r.IsDBNull(3) || r.GetInt64(4) != 0;
                Add(hash, nan ? 1 : 0);
                Add(hash, nan ? 0 : BitConverter.DoubleToInt64Bits(r.GetDouble(3)));
                RowsOf(rows, r.GetInt64(0)).Add(hash.GetHashAndReset());
            }
        }
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT run_id, name, step, shape, dtype, data FROM arrays";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                hash.AppendData("a"u8);
                Add(hash, r.GetString(1));
                Add(hash, r.GetInt64(2));
                Add(hash, r.GetString(3));
                Add(hash, r.GetString(4));
                var data = r.GetFieldValue<byte[]>(5);
                Add(hash, data.Length);
                hash.AppendData(data);
                RowsOf(rows, r.GetInt64(0)).Add(hash.GetHashAndReset());
            }
        }

        var digests = new Dictionary<long, string>();
        foreach (var (run, list) in rows)
        {
            list.Sort((a, b) => a.AsSpan().SequenceCompareTo(b));
            foreach (var row in list) hash.AppendData(row);
            digests[run] = Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        return digests;
    }

    // The digest of a run without metric or array rows.
    public static readonly string Empty = Convert.ToHexStringLower(SHA256.HashData([]));

    static List<byte[]> RowsOf(Dictionary<long, List<byte[]>> rows, long run)
    {
        if (!rows.TryGetValue(run, out var list)) rows[run] = list = [];
        return list;
    }

    static void Add(IncrementalHash hash, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Add(hash, bytes.Length); // length-prefixed, so ("ab", "c") and ("a", "bc") differ
        hash.AppendData(bytes);
    }

    static void Add(IncrementalHash hash, long value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(b, value);
        hash.AppendData(b);
    }
}
