using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Data.Sqlite;
using TeaTrace.Api.Features.LedgerApi;
using TeaTrace.Ledger;

namespace TeaTrace.Benchmarks;

/// <summary>
/// The full audit of a 1,000,000-entry ledger against a plain scan of the same bodies. The other rows take the audit
/// apart: hashing the bodies and rebuilding the tree in memory (no database at all), and reading the stored nodes in
/// the order the audit reads them.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class AuditBenchmarks
{
    // LedgerAuditor's node query (private there): nodes in the order appends complete them.
    private const string SelectNodesInAuditOrder = "SELECT level, idx, CAST(hash AS BLOB) FROM merkle_nodes ORDER BY ((idx + 1) << level), level";

    private const string SelectNodesInKeyOrder = "SELECT level, idx, CAST(hash AS BLOB) FROM merkle_nodes";

    private BenchDatabase _db = null!;
    private LedgerAuditor _auditor = null!;
    private byte[][] _bodies = [];
    private byte[][] _leafHashes = [];

    [GlobalSetup(Targets = [nameof(FullScan), nameof(Audit), nameof(NodeScan_InAuditOrder), nameof(NodeScan_InKeyOrder)])]
    public void Setup()
    {
        _db = MillionLedger.Open();
        _auditor = new LedgerAuditor(_db.Connections, _db.Key);
    }

    [GlobalSetup(Targets = [nameof(Sha256_EveryBody_NoDatabase), nameof(LeafHash_EveryBody_NoDatabase), nameof(TreeRebuild_NoDatabase)])]
    public void LoadBodies()
    {
        Setup();
        using var connection = _db.Connections.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT body FROM ledger_entries ORDER BY idx";
        var bodies = new List<byte[]>((int)MillionLedger.Size);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                bodies.Add((byte[])reader.GetValue(0));
            }
        }

        _bodies = [.. bodies];
        _leafHashes = [.. bodies.Select(body => Rfc9162.HashLeaf(body))];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _bodies = [];
        _leafHashes = [];
        SqliteConnection.ClearAllPools();
    }

    [Benchmark(Baseline = true)]
    public long FullScan()
    {
        using var connection = _db.Connections.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT body FROM ledger_entries";
        using var reader = command.ExecuteReader();
        var bytes = 0L;
        while (reader.Read())
        {
            bytes += ((byte[])reader.GetValue(0)).Length;
        }

        return bytes;
    }

    [Benchmark]
    public long Audit()
    {
        var result = _auditor.Audit(CancellationToken.None);
        // A failing audit stops at the first bad entry, so only a clean one measures the whole walk.
        if (!result.Ok || result.Entries != MillionLedger.Size || result.Checkpoints != 2)
        {
            throw new InvalidOperationException($"The audit did not pass over the whole ledger: {result}");
        }

        return result.Entries;
    }

    [Benchmark]
    public int Sha256_EveryBody_NoDatabase()
    {
        Span<byte> hash = stackalloc byte[32];
        var fold = 0;
        foreach (var body in _bodies)
        {
            SHA256.HashData(body, hash);
            fold ^= hash[0];
        }

        return fold;
    }

    /// <summary>The leaf hash as the audit computes it (SHA-256 of 0x00 ‖ body, through Rfc9162.HashLeaf).</summary>
    [Benchmark]
    public int LeafHash_EveryBody_NoDatabase()
    {
        Span<byte> hash = stackalloc byte[32];
        var fold = 0;
        foreach (var body in _bodies)
        {
            Rfc9162.HashLeaf(body, hash);
            fold ^= hash[0];
        }

        return fold;
    }

    /// <summary>The RFC 9162 tree of every leaf, rebuilt with CompactRange as the audit rebuilds it, in memory.</summary>
    [Benchmark]
    public long TreeRebuild_NoDatabase()
    {
        var edge = new CompactRange();
        var nodes = 0L;
        foreach (var leaf in _leafHashes)
        {
            nodes += edge.Append(leaf).Count;
        }

        return nodes;
    }

    [Benchmark]
    public long NodeScan_InAuditOrder() => ScanNodes(SelectNodesInAuditOrder);

    [Benchmark]
    public long NodeScan_InKeyOrder() => ScanNodes(SelectNodesInKeyOrder);

    private long ScanNodes(string sql)
    {
        using var connection = _db.Connections.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var bytes = 0L;
        while (reader.Read())
        {
            bytes += reader.GetInt32(0) + reader.GetInt64(1) + ((byte[])reader.GetValue(2)).Length;
        }

        return bytes;
    }
}
