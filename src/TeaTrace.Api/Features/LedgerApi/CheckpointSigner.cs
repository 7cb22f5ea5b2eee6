using Dapper;
using TeaTrace.Api.Data;
using TeaTrace.Api.Ledger;
using TeaTrace.Ledger;

namespace TeaTrace.Api.Features.LedgerApi;

/// <summary>
/// Signs a checkpoint of the committed tree when it has grown. Signing runs on the ledger writer between commits,
/// so the entries it covers are already durable and no two signings overlap. The signer's own record of what it last
/// signed (beside the key, outside the database) is the reference: a new checkpoint is signed only when a consistency
/// proof shows the tree extends that record, and the record is on disk before the checkpoint is published.
/// </summary>
internal sealed class CheckpointSigner(ILedgerWriter writer, LedgerSigningKey key, LedgerTree tree, ILogger<CheckpointSigner> logger)
{
    private const string InsertCheckpoint = """
        INSERT INTO checkpoints (size, root_hash, note, verifier_key, signed_at)
        VALUES (@Size, @RootHash, @Note, @VerifierKey, @SignedAt)
        """;

    private const string SelectCheckpointBefore = "SELECT size, root_hash, note, verifier_key, signed_at FROM checkpoints WHERE size < @Size ORDER BY size DESC LIMIT 1";

    /// <summary>The latest checkpoint after signing; null while the ledger is empty.</summary>
    public async Task<CheckpointRow?> SignIfGrownAsync(CancellationToken cancellationToken = default)
    {
        var latest = await writer.RunExclusiveAsync(SignIfGrown, cancellationToken);
        tree.CheckpointSigned();
        return latest;
    }

    private CheckpointRow? SignIfGrown(CommittedTree tree)
    {
        var record = key.LastSigned ?? throw new LedgerIntegrityException("The signer has no record of what it last signed; the start check did not run.");
        var last = LedgerTree.LatestCheckpoint(tree.Connection);
        if (tree.Size == 0 || tree.Size <= record.Size)
        {
            return last;
        }

        if (record.Size > 0)
        {
            var proof = LedgerTree.ConsistencyProof(tree.Connection, record.Size, tree.Size);
            var check = ProofVerifier.VerifyConsistency(record.Size, tree.Size, proof, record.RootHash, tree.RootHash);
            if (!check.IsValid)
            {
                // Never sign a view that contradicts one already signed; this needs a person, not a retry.
                throw new LedgerIntegrityException(
                    $"Refusing to sign: the tree of size {tree.Size} does not extend the checkpoint of size {record.Size} this key last signed ({check.Failure}).");
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
        key.Remember(record.Next(row.Size, row.RootHash, row.Note, row.SignedAt));
        Publish(tree.Connection, row);
        logger.LogInformation("Signed checkpoint {Size} {Root}", row.Size, Convert.ToHexStringLower(row.RootHash));
        return row;
    }

    private static void Publish(System.Data.IDbConnection connection, CheckpointRow row) =>
        connection.Execute(InsertCheckpoint, new { row.Size, row.RootHash, row.Note, row.VerifierKey, SignedAt = TypeHandlers.Format(row.SignedAt) });

    /// <summary>
    /// At start, before anything is signed: the database's tree must extend what the key last signed, its checkpoints
    /// must reach that far, and the last of them must be this key's and match the tree. Otherwise the service refuses
    /// to start rather than sign a second, different history. Returns what was repaired or adopted, for the log.
    /// </summary>
    public static string? VerifyAtStart(SqliteConnectionFactory connections, LedgerSigningKey key)
    {
        using var connection = connections.Open();
        var size = connection.ExecuteScalar<long>(MerkleNodes.SelectTreeSize);
        var last = LedgerTree.LatestCheckpoint(connection);
        if (last is not null)
        {
            VerifyCheckpoint(connection, connections.DatabasePath, key, last, size);
        }

        if (key.LastSigned is not { } record)
        {
            // A key from before the signer kept a record: its last checkpoint in the database, verified above, becomes it.
            var before = connection.QuerySingleOrDefault<CheckpointRow>(SelectCheckpointBefore, new { last?.Size });
            var adopted = before is null ? SignerRecord.Empty : SignerRecord.Empty.Next(before.Size, before.RootHash, before.Note, before.SignedAt);
            key.Remember(last is null ? SignerRecord.Empty : adopted.Next(last.Size, last.RootHash, last.Note, last.SignedAt));
            return last is null ? null : $"the signer's record starts from checkpoint {last.Size} in the database";
        }

        if (record.Size > 0)
        {
            if (size < record.Size)
            {
                throw new LedgerIntegrityException(
                    $"The signing key at {key.KeyPath} has signed checkpoint {record.Size} of this log, but the database {connections.DatabasePath} holds a tree of {size} entries: it was truncated, or it is not this log's database. Refusing to start; restore the database from a backup taken with this key.");
            }

            var root = MerkleNodes.RootAt(connection, record.Size);
            if (!root.AsSpan().SequenceEqual(record.RootHash))
            {
                throw new LedgerIntegrityException(
                    $"The database's tree at size {record.Size} has root {Convert.ToHexStringLower(root)}, but the signing key signed {Convert.ToHexStringLower(record.RootHash)} for that size: the ledger was altered. Refusing to start; run an audit and restore from a backup.");
            }
        }

        if (record.Size > 0 && (last is null || last.Size < record.Size))
        {
            var previousMatches = last is null
                ? record.PreviousSize == 0
                : last.Size == record.PreviousSize && record.PreviousRootHash is not null && last.RootHash.AsSpan().SequenceEqual(record.PreviousRootHash);
            if (!previousMatches)
            {
                throw new LedgerIntegrityException(
                    $"The signing key last signed checkpoint {record.Size}, but the database's checkpoints end at {last?.Size ?? 0}: signed checkpoints were deleted from {connections.DatabasePath}. Refusing to start; restore the database from a backup.");
            }

            // The record was made durable and the process stopped before the checkpoint was stored: store it now.
            Publish(connection, new CheckpointRow
            {
                Size = record.Size,
                RootHash = record.RootHash,
                Note = record.Note,
                VerifierKey = key.Verifier.VerifierKey,
                SignedAt = record.SignedAt ?? DateTimeOffset.UnixEpoch,
            });
            return $"checkpoint {record.Size}, signed before the last stop, is stored from the signer's record";
        }

        if (last is not null && last.Size > record.Size)
        {
            // A checkpoint this key signed (verified above) that extends the record: a backup's copies were taken a moment apart.
            key.Remember(record.Next(last.Size, last.RootHash, last.Note, last.SignedAt));
            return $"the signer's record moves from checkpoint {record.Size} to {last.Size}, signed by this key and stored in the database";
        }

        return null;
    }

    /// <summary>The stored checkpoint must be signed by this key and reproduced by the stored tree.</summary>
    private static void VerifyCheckpoint(System.Data.IDbConnection connection, string databasePath, LedgerSigningKey key, CheckpointRow last, long size)
    {
        var opened = SignedNote.Open(last.Note, [key.Verifier]);
        if (last.VerifierKey != key.Verifier.VerifierKey || !opened.IsValid)
        {
            throw new LedgerIntegrityException(
                $"The last checkpoint was signed by {last.VerifierKey}, but the signing key at {key.KeyPath} is {key.Verifier.VerifierKey}. Refusing to start with a different key; restore the original key file.");
        }

        if (!Checkpoint.TryParse(opened.Note!.Text, out var signed) || signed.Size != last.Size || !signed.RootHash.SequenceEqual(last.RootHash))
        {
            throw new LedgerIntegrityException(
                $"The last checkpoint row (size {last.Size}) does not match the note signed for it: the checkpoints were altered. Refusing to start; restore the database from a backup.");
        }

        if (size < last.Size)
        {
            throw new LedgerIntegrityException(
                $"The ledger has {size} entries but checkpoint {last.Size} was signed: entries are missing from {databasePath}. Refusing to start; restore the database from a backup.");
        }

        var root = MerkleNodes.RootAt(connection, last.Size);
        if (!root.AsSpan().SequenceEqual(last.RootHash))
        {
            throw new LedgerIntegrityException(
                $"The stored tree's root at size {last.Size} is {Convert.ToHexStringLower(root)}, but the signed checkpoint says {Convert.ToHexStringLower(last.RootHash)}: the ledger was altered. Refusing to start; run an audit and restore from a backup.");
        }
    }
}
