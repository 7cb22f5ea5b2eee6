using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using TeaTrace.Api.Data;
using TeaTrace.Api.Features.LedgerApi;
using TeaTrace.Api.Ledger;
using TeaTrace.Ledger;

namespace TeaTrace.Benchmarks;

/// <summary>
/// A ledger of 1,000,000 harvest entries in the service's schema, with its tree nodes and two signed checkpoints.
/// Built once into the temp folder and reused by later runs; the file name carries a build version and the
/// migrations' hash, so a change to either builds a new one.
/// </summary>
internal static class MillionLedger
{
    public const long Size = 1_000_000;

    // Bump when the way the ledger is built changes.
    private const string Version = "1";

    private const int Batch = 50_000;

    private const string InsertEntry = """
        INSERT INTO ledger_entries (idx, type, subject_id, recorded_at, body, leaf_hash)
        VALUES (@Index, @Type, @SubjectId, @RecordedAt, @Body, @LeafHash)
        """;

    public static BenchDatabase Open()
    {
        var folder = Path.Combine(Path.GetTempPath(), "teatrace-bench");
        Directory.CreateDirectory(folder);
        var name = $"ledger-{Size}-v{Version}-{SchemaHash()}";
        var database = Path.Combine(folder, name + ".db");
        var key = Path.Combine(folder, name + ".key");
        if (!File.Exists(database))
        {
            Build(Path.Combine(folder, name + ".building.db"), database, key);
        }

        return new BenchDatabase(database, key);
    }

    private static string SchemaHash()
    {
        var hashes = string.Join(",", MigrationRunner.LoadEmbedded().Select(m => m.Sha256));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hashes)))[..12];
    }

    private static void Build(string building, string database, string key)
    {
        foreach (var leftover in new[] { building, building + "-wal", building + "-shm", key })
        {
            File.Delete(leftover);
        }

        Console.WriteLine($"// Building a ledger of {Size:N0} entries in {building}; later runs reuse {database}.");
        var stopwatch = Stopwatch.StartNew();
        var db = new BenchDatabase(building, key);
        var edge = new CompactRange();
        var last = new byte[Rfc9162.HashSize];

        // Checkpoints as the service's job leaves them: the second is proved consistent with the first before it is signed.
        last = AppendDirect(db, edge, last, Size / 2);
        Sign(db, Size / 2);
        AppendDirect(db, edge, last, Size);
        Sign(db, Size);

        using (var connection = db.Connections.Open())
        {
            connection.Execute("PRAGMA wal_checkpoint(TRUNCATE);");
        }

        SqliteConnection.ClearAllPools();
        if (new FileInfo(building + "-wal") is { Exists: true, Length: > 0 })
        {
            throw new InvalidOperationException($"{building}-wal still holds pages after the checkpoint.");
        }

        File.Delete(building + "-wal");
        File.Delete(building + "-shm");
        File.Move(building, database);
        Console.WriteLine($"// Built in {stopwatch.Elapsed.TotalSeconds:F0} s: {new FileInfo(database).Length / 1_000_000:N0} MB.");
    }

    /// <summary>
    /// Writes what the writer's Append writes (the entry row and the nodes it completes) in big transactions without
    /// fsync: a build that fails is thrown away, and only the finished file is kept.
    /// </summary>
    private static byte[] AppendDirect(BenchDatabase db, CompactRange edge, byte[] last, long until)
    {
        using var connection = db.Connections.Open();
        connection.Execute("PRAGMA synchronous = OFF;");
        using var entry = connection.CreateCommand();
        entry.CommandText = InsertEntry;
        var index = entry.Parameters.Add("@Index", SqliteType.Integer);
        entry.Parameters.AddWithValue("@Type", SampleEntry.Type);
        var subject = entry.Parameters.Add("@SubjectId", SqliteType.Text);
        var recordedAt = entry.Parameters.Add("@RecordedAt", SqliteType.Text);
        var body = entry.Parameters.Add("@Body", SqliteType.Blob);
        var leafHash = entry.Parameters.Add("@LeafHash", SqliteType.Blob);
        using var node = connection.CreateCommand();
        node.CommandText = MerkleNodes.Insert;
        var level = node.Parameters.Add("@Level", SqliteType.Integer);
        var idx = node.Parameters.Add("@Idx", SqliteType.Integer);
        var hash = node.Parameters.Add("@Hash", SqliteType.Blob);

        while (edge.Size < until)
        {
            using var transaction = connection.BeginTransaction();
            entry.Transaction = transaction;
            node.Transaction = transaction;
            var end = Math.Min(until, edge.Size + Batch);
            while (edge.Size < end)
            {
                var time = SampleEntry.Start.AddSeconds(edge.Size * 10);
                var built = SampleEntry.Build(edge.Size, last, time);
                index.Value = edge.Size;
                subject.Value = built.SubjectId;
                recordedAt.Value = TypeHandlers.Format(time);
                body.Value = built.Body;
                leafHash.Value = built.LeafHash;
                entry.ExecuteNonQuery();
                foreach (var completed in edge.Append(built.LeafHash))
                {
                    level.Value = completed.Id.Level;
                    idx.Value = completed.Id.Index;
                    hash.Value = completed.Hash;
                    node.ExecuteNonQuery();
                }

                last = built.LeafHash;
            }

            transaction.Commit();
        }

        return last;
    }

    private static void Sign(BenchDatabase db, long size)
    {
        using var writer = db.StartWriter();
        var signer = new CheckpointSigner(writer, db.Key, new LedgerTree(db.Connections), NullLogger<CheckpointSigner>.Instance);
        var checkpoint = signer.SignIfGrownAsync().GetAwaiter().GetResult();
        if (checkpoint?.Size != size)
        {
            throw new InvalidOperationException($"Expected a checkpoint of size {size}, got {checkpoint?.Size}.");
        }
    }
}
