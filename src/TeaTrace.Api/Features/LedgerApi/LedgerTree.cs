using System.Data;
using Dapper;
using TeaTrace.Api.Data;
using TeaTrace.Api.Ledger;
using TeaTrace.Ledger;

namespace TeaTrace.Api.Features.LedgerApi;

internal sealed record InclusionProofResponse(long Index, long TreeSize, string LeafHash, IReadOnlyList<string> AuditPath, string RootHash);

internal sealed record ConsistencyProofResponse(long From, long To, string FromRoot, string ToRoot, IReadOnlyList<string> Proof);

internal sealed record PublicKeyResponse(string Origin, string VerifierKey);

internal sealed class CheckpointRow
{
    public long Size { get; init; }
    public byte[] RootHash { get; init; } = [];
    public string Note { get; init; } = "";
    public string VerifierKey { get; init; } = "";
    public DateTimeOffset SignedAt { get; init; }
}

/// <summary>Reads of the committed tree: sizes, roots, proofs and checkpoints, each from O(log n) stored nodes.</summary>
internal sealed class LedgerTree(SqliteConnectionFactory connections)
{
    private const string SelectLatestCheckpoint = "SELECT size, root_hash, note, verifier_key, signed_at FROM checkpoints ORDER BY size DESC LIMIT 1";

    private const string SelectCheckpoints = "SELECT size, root_hash, note, verifier_key, signed_at FROM checkpoints ORDER BY size";

    public long Size()
    {
        using var connection = connections.Open();
        return connection.ExecuteScalar<long>(MerkleNodes.SelectTreeSize);
    }

    private volatile Tuple<CheckpointRow?, long>? _latest;

    /// <summary>The latest checkpoint, read at most once a second (a scan needs it; it changes once a minute at most).</summary>
    public CheckpointRow? LatestCheckpoint()
    {
        var now = Environment.TickCount64;
        if (_latest is { } cached && now - cached.Item2 < 1000)
        {
            return cached.Item1;
        }

        using var connection = connections.Open();
        var latest = LatestCheckpoint(connection);
        _latest = Tuple.Create(latest, now);
        return latest;
    }

    /// <summary>Called when this process signed a checkpoint, so its readers see it at once.</summary>
    public void CheckpointSigned() => _latest = null;

    public static CheckpointRow? LatestCheckpoint(IDbConnection connection) => connection.QuerySingleOrDefault<CheckpointRow>(SelectLatestCheckpoint);

    public static IEnumerable<CheckpointRow> Checkpoints(IDbConnection connection, IDbTransaction? transaction = null) =>
        connection.Query<CheckpointRow>(SelectCheckpoints, transaction: transaction, buffered: false);

    /// <summary>Proof that entry index is in the tree of treeSize entries; null when either is out of range.</summary>
    public InclusionProofResponse? Inclusion(long index, long treeSize)
    {
        using var connection = connections.Open();
        using var snapshot = connection.BeginTransaction(deferred: true); // one read snapshot for every query below; deferred, so no write lock
        var size = connection.ExecuteScalar<long>(MerkleNodes.SelectTreeSize, transaction: snapshot);
        if (index < 0 || treeSize <= index || treeSize > size)
        {
            return null;
        }

        var plan = ProofPlanner.Inclusion(index, treeSize);
        var proof = plan.BuildProof(MerkleNodes.Read(connection, plan.Nodes, snapshot));
        var leaf = MerkleNodes.Read(connection, [new NodeId(0, index)], snapshot)[0];
        var root = MerkleNodes.RootAt(connection, treeSize, snapshot);
        return new InclusionProofResponse(index, treeSize, Hex(leaf), proof.Select(Hex).ToList(), Hex(root));
    }

    /// <summary>Proof that the tree of size from is a prefix of the tree of size to; null when the sizes are out of range.</summary>
    public ConsistencyProofResponse? Consistency(long from, long to)
    {
        using var connection = connections.Open();
        using var snapshot = connection.BeginTransaction(deferred: true);
        var size = connection.ExecuteScalar<long>(MerkleNodes.SelectTreeSize, transaction: snapshot);
        if (from < 1 || to < from || to > size)
        {
            return null;
        }

        var proof = ConsistencyProof(connection, from, to, snapshot);
        return new ConsistencyProofResponse(from, to, Hex(MerkleNodes.RootAt(connection, from, snapshot)),
            Hex(MerkleNodes.RootAt(connection, to, snapshot)), proof.Select(Hex).ToList());
    }

    public static IReadOnlyList<byte[]> ConsistencyProof(IDbConnection connection, long from, long to, IDbTransaction? transaction = null)
    {
        var plan = ProofPlanner.Consistency(from, to);
        return plan.BuildProof(MerkleNodes.Read(connection, plan.Nodes, transaction));
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
