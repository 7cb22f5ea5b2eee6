using Dapper;
using TeaTrace.Api.Data;
using TeaTrace.Api.Ledger;
using TeaTrace.Ledger;

namespace TeaTrace.Api.Features.LedgerApi;

/// <summary>
/// Signs a checkpoint of the committed tree when it has grown. Signing runs on the ledger writer between commits,
/// so the entries it covers are already durable and no two signings overlap; before signing, the new root is
/// proved consistent with the last checkpoint from the stored tree, so the log never signs two views that disagree.
/// </summary>
internal sealed class CheckpointSigner(ILedgerWriter writer, LedgerSigningKey key, LedgerTree tree, ILogger<CheckpointSigner> logger)
{
    private const string InsertCheckpoint = """
        INSERT INTO checkpoints (size, root_hash, note, verifier_key, signed_at)
        VALUES (@Size, @RootHash, @Note, @VerifierKey, @SignedAt)
        """;

    /// <summary>The latest checkpoint after signing; null while the ledger is empty.</summary>
    public async Task<CheckpointRow?> SignIfGrownAsync(CancellationToken cancellationToken = default)
    {
        var latest = await writer.RunExclusiveAsync(SignIfGrown, cancellationToken);
        tree.CheckpointSigned();
        return latest;
    }

    private CheckpointRow? SignIfGrown(CommittedTree tree)
    {
        var last = LedgerTree.LatestCheckpoint(tree.Connection);
        if (tree.Size == 0 || (last is not null && tree.Size <= last.Size))
        {
            return last;
        }

        if (last is not null)
        {
            var proof = LedgerTree.ConsistencyProof(tree.Connection, last.Size, tree.Size);
            var check = ProofVerifier.VerifyConsistency(last.Size, tree.Size, proof, last.RootHash, tree.RootHash);
            if (!check.IsValid)
            {
                // Never sign a view that contradicts one already signed; this needs a person, not a retry.
                throw new LedgerIntegrityException(
                    $"Refusing to sign: the tree of size {tree.Size} is not consistent with the checkpoint of size {last.Size} ({check.Failure}).");
            }
        }

        var row = new CheckpointRow
        {
            Size = tree.Size,
            RootHash = tree.RootHash,
            Note = key.Sign(new Checkpoint(key.Origin, tree.Size, tree.RootHash)),
            VerifierKey = key.Verifier.VerifierKey,
            SignedAt = tree.Now,
        };
        tree.Connection.Execute(InsertCheckpoint, new { row.Size, row.RootHash, row.Note, row.VerifierKey, SignedAt = TypeHandlers.Format(row.SignedAt) });
        logger.LogInformation("Signed checkpoint {Size} {Root}", row.Size, Convert.ToHexStringLower(row.RootHash));
        return row;
    }

    /// <summary>
    /// At start: the stored tree must reproduce the last checkpoint's root, and the key must be the one that signed it.
    /// Otherwise the service refuses to start rather than sign a second, different history.
    /// </summary>
    public static void VerifyStoredTree(SqliteConnectionFactory connections, LedgerSigningKey key)
    {
        using var connection = connections.Open();
        var last = LedgerTree.LatestCheckpoint(connection);
        if (last is null)
        {
            return;
        }

        var size = connection.ExecuteScalar<long>(MerkleNodes.SelectTreeSize);
        if (size < last.Size)
        {
            throw new LedgerIntegrityException(
                $"The ledger has {size} entries but checkpoint {last.Size} was signed: entries are missing from {connections.DatabasePath}. Refusing to start; restore the database from a backup.");
        }

        var root = MerkleNodes.RootAt(connection, last.Size);
        if (!root.AsSpan().SequenceEqual(last.RootHash))
        {
            throw new LedgerIntegrityException(
                $"The stored tree's root at size {last.Size} is {Convert.ToHexStringLower(root)}, but the signed checkpoint says {Convert.ToHexStringLower(last.RootHash)}: the ledger was altered. Refusing to start; run an audit and restore from a backup.");
        }

        if (last.VerifierKey != key.Verifier.VerifierKey)
        {
            throw new LedgerIntegrityException(
                $"The last checkpoint was signed by {last.VerifierKey}, but the signing key at {key.KeyPath} is {key.Verifier.VerifierKey}. Refusing to start with a different key; restore the original key file.");
        }
    }
}
