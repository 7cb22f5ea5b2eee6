using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using TeaTrace.Api.Data;
using TeaTrace.Api.Features.LedgerApi;
using TeaTrace.Ledger;

namespace TeaTrace.Benchmarks;

/// <summary>
/// Proofs from the stored tree of a 1,000,000-entry ledger, and their verification, against one point read of a
/// ledger row by primary key on the same database, opened the way a store opens it.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class ProofBenchmarks
{
    private const long TreeSize = MillionLedger.Size;
    private const int Samples = 1024; // a power of two: the next sample is (n + 1) & (Samples - 1)

    private const string SelectBody = "SELECT body FROM ledger_entries WHERE idx = @Idx";

    private SqliteConnectionFactory _connections = null!;
    private LedgerTree _tree = null!;
    private SqliteConnection _held = null!;
    private SqliteCommand _heldRead = null!;
    private long[] _indexes = [];
    private long[] _fromSizes = [];
    private Inclusion[] _inclusions = [];
    private Consistency[] _consistencies = [];
    private int _next;

    private sealed record Inclusion(long Index, byte[] LeafHash, byte[][] Proof, byte[] Root);

    private sealed record Consistency(long From, byte[][] Proof, byte[] FromRoot, byte[] ToRoot);

    [GlobalSetup]
    public void Setup()
    {
        var db = MillionLedger.Open();
        _connections = db.Connections;
        _tree = new LedgerTree(_connections);
        if (_tree.Size() != TreeSize)
        {
            throw new InvalidOperationException($"The ledger has {_tree.Size()} entries, not {TreeSize}.");
        }

        var random = new Random(9162);
        _indexes = [.. Enumerable.Range(0, Samples).Select(_ => random.NextInt64(0, TreeSize))];
        _fromSizes = [.. Enumerable.Range(0, Samples).Select(_ => random.NextInt64(1, TreeSize))];

        // The proofs a client would hold, checked once here so that the timed verifications are of valid proofs.
        _inclusions = [.. _indexes.Select(index => _tree.Inclusion(index, TreeSize)!).Select(p =>
            new Inclusion(p.Index, Convert.FromHexString(p.LeafHash), [.. p.AuditPath.Select(Convert.FromHexString)], Convert.FromHexString(p.RootHash)))];
        _consistencies = [.. _fromSizes.Select(from => _tree.Consistency(from, TreeSize)!).Select(p =>
            new Consistency(p.From, [.. p.Proof.Select(Convert.FromHexString)], Convert.FromHexString(p.FromRoot), Convert.FromHexString(p.ToRoot)))];
        if (!_inclusions.All(p => ProofVerifier.VerifyInclusion(p.Index, TreeSize, p.LeafHash, p.Proof, p.Root).IsValid)
            || !_consistencies.All(p => ProofVerifier.VerifyConsistency(p.From, TreeSize, p.Proof, p.FromRoot, p.ToRoot).IsValid))
        {
            throw new InvalidOperationException("A proof from the stored tree does not verify.");
        }

        _held = _connections.Open();
        _heldRead = _held.CreateCommand();
        _heldRead.CommandText = SelectBody;
        _heldRead.Parameters.Add("@Idx", SqliteType.Integer);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _heldRead.Dispose();
        _held.Dispose();
        SqliteConnection.ClearAllPools();
    }

    private int Next() => _next = (_next + 1) & (Samples - 1);

    /// <summary>What one store read costs: a pooled connection from the factory and one row by primary key.</summary>
    [Benchmark(Baseline = true)]
    public int PointRead()
    {
        using var connection = _connections.Open();
        using var command = connection.CreateCommand();
        command.CommandText = SelectBody;
        command.Parameters.AddWithValue("@Idx", _indexes[Next()]);
        return ((byte[])command.ExecuteScalar()!).Length;
    }

    /// <summary>The same read on a connection held open with a prepared command: the floor of a point read.</summary>
    [Benchmark]
    public int PointRead_HeldConnection()
    {
        _heldRead.Parameters[0].Value = _indexes[Next()];
        return ((byte[])_heldRead.ExecuteScalar()!).Length;
    }

    [Benchmark]
    public int InclusionProof() => _tree.Inclusion(_indexes[Next()], TreeSize)!.AuditPath.Count;

    [Benchmark]
    public int ConsistencyProof() => _tree.Consistency(_fromSizes[Next()], TreeSize)!.Proof.Count;

    [Benchmark]
    public bool VerifyInclusion()
    {
        var p = _inclusions[Next()];
        return ProofVerifier.VerifyInclusion(p.Index, TreeSize, p.LeafHash, p.Proof, p.Root).IsValid;
    }

    [Benchmark]
    public bool VerifyConsistency()
    {
        var p = _consistencies[Next()];
        return ProofVerifier.VerifyConsistency(p.From, TreeSize, p.Proof, p.FromRoot, p.ToRoot).IsValid;
    }
}
