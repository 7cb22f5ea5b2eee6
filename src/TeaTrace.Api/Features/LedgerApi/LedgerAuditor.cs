using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using TeaTrace.Api.Data;
using TeaTrace.Api.Ledger;
using TeaTrace.Ledger;

namespace TeaTrace.Api.Features.LedgerApi;

internal sealed record AuditResult(bool Ok, long Entries, long Checkpoints, long? FirstBadIndex, string? Detail, long SealedChecked = 0, long Erased = 0);

/// <summary>
/// Walks the whole ledger from entry 0 in one snapshot: re-hashes every stored body; checks that indexes have no
/// gaps, that each body names its own index, type and subject and links to the hash of the entry before it; rebuilds
/// the RFC 9162 tree and compares every stored node with it; checks every checkpoint's root and signature; and opens
/// every sealed part it holds against the commitment in its entry's body (an erased one is counted, not opened).
/// </summary>
internal sealed class LedgerAuditor(SqliteConnectionFactory connections, LedgerSigningKey key)
{
    private const string SelectEntries = "SELECT idx, type, subject_id, CAST(body AS BLOB), CAST(leaf_hash AS BLOB) FROM ledger_entries ORDER BY idx";

    // Nodes in the order appends complete them: by the leaf they end at, then upwards.
    private const string SelectNodes = "SELECT level, idx, CAST(hash AS BLOB) FROM merkle_nodes ORDER BY ((idx + 1) << level), level";

    private const string SelectCheckpoints = "SELECT size, CAST(root_hash AS BLOB), note FROM checkpoints ORDER BY size";

    private const string SelectSealed = "SELECT entry_idx, CAST(salt AS BLOB), CAST(fields AS BLOB), erased_by FROM sealed_parts ORDER BY entry_idx";

    public AuditResult Audit(CancellationToken cancellationToken)
    {
        using var connection = connections.Open();
        using var snapshot = connection.BeginTransaction(deferred: true);
        using var entries = Reader(connection, snapshot, SelectEntries);
        using var nodes = Reader(connection, snapshot, SelectNodes);
        using var checkpoints = Reader(connection, snapshot, SelectCheckpoints);
        using var sealedParts = Reader(connection, snapshot, SelectSealed);
        var pendingCheckpoint = checkpoints.Read();
        var pendingSealed = sealedParts.Read();
        var (sealedChecked, erased) = (0L, 0L);
        var edge = new CompactRange();
        var checkedCheckpoints = 0L;

        var expected = 0L;
        Span<byte> previous = stackalloc byte[Rfc9162.HashSize];
        Span<byte> computed = stackalloc byte[Rfc9162.HashSize];
        while (entries.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var index = entries.GetInt64(0);
            if (index != expected)
            {
                return Bad(expected, checkedCheckpoints, expected, $"Entry {expected} is missing; the next stored entry is {index}.");
            }

            var body = (byte[])entries.GetValue(3);
            Rfc9162.HashLeaf(body, computed);
            if (!CryptographicOperations.FixedTimeEquals(computed, (byte[])entries.GetValue(4)))
            {
                return Bad(expected, checkedCheckpoints, index, "The entry's bytes do not hash to its stored leaf hash: the entry was changed.");
            }

            if (CheckBody(body, index, entries.GetString(1), entries.GetString(2), previous, out var commitment) is { } problem)
            {
                return Bad(expected, checkedCheckpoints, index, problem);
            }

            var hasPart = pendingSealed && sealedParts.GetInt64(0) == index;
            if ((commitment is null) == hasPart)
            {
                return Bad(expected, checkedCheckpoints, index, commitment is null
                    ? "A sealed part is stored for this entry, but its body commits to none."
                    : "The entry's body commits to private fields, but no sealed part is stored for it.");
            }

            if (hasPart)
            {
                if (sealedParts.IsDBNull(1))
                {
                    erased += sealedParts.IsDBNull(3) ? 0 : 1;
                }
                else if (!CryptographicOperations.FixedTimeEquals(SealedPart.Commitment((byte[])sealedParts.GetValue(1), (byte[])sealedParts.GetValue(2)), commitment))
                {
                    return Bad(expected, checkedCheckpoints, index, "The stored salt and private fields do not open the commitment in the entry's body: the sealed part was changed.");
                }
                else
                {
                    sealedChecked++;
                }

                pendingSealed = sealedParts.Read();
            }

            foreach (var node in edge.Append(computed))
            {
                if (!nodes.Read())
                {
                    return Bad(expected, checkedCheckpoints, index, $"The stored tree is missing node (level {node.Id.Level}, index {node.Id.Index}).");
                }

                if (nodes.GetInt32(0) != node.Id.Level || nodes.GetInt64(1) != node.Id.Index || !((byte[])nodes.GetValue(2)).AsSpan().SequenceEqual(node.Hash))
                {
                    return Bad(expected, checkedCheckpoints, index,
                        $"The stored tree node (level {nodes.GetInt32(0)}, index {nodes.GetInt64(1)}) differs from the one the entries give (level {node.Id.Level}, index {node.Id.Index}).");
                }
            }

            while (pendingCheckpoint && checkpoints.GetInt64(0) == edge.Size)
            {
                if (CheckCheckpoint(edge.Size, edge.RootHash(), (byte[])checkpoints.GetValue(1), checkpoints.GetString(2)) is { } wrong)
                {
                    return Bad(expected + 1, checkedCheckpoints, null, wrong);
                }

                checkedCheckpoints++;
                pendingCheckpoint = checkpoints.Read();
            }

            computed.CopyTo(previous);
            expected++;
        }

        if (nodes.Read())
        {
            return Bad(expected, checkedCheckpoints, null, $"The stored tree has node (level {nodes.GetInt32(0)}, index {nodes.GetInt64(1)}) beyond the {expected} entries of the ledger.");
        }

        if (pendingCheckpoint)
        {
            return Bad(expected, checkedCheckpoints, null, $"Checkpoint {checkpoints.GetInt64(0)} was signed, but the ledger has only {expected} entries: entries are missing.");
        }

        if (pendingSealed)
        {
            return Bad(expected, checkedCheckpoints, null, $"A sealed part is stored for entry {sealedParts.GetInt64(0)}, which the ledger does not have.");
        }

        return new AuditResult(true, expected, checkedCheckpoints, null, null, sealedChecked, erased);
    }

    private string? CheckCheckpoint(long size, byte[] root, byte[] storedRoot, string note)
    {
        if (!root.AsSpan().SequenceEqual(storedRoot))
        {
            return $"Checkpoint {size}: the stored root differs from the root of the first {size} entries.";
        }

        var opened = SignedNote.Open(note, [key.Verifier]);
        if (!opened.IsValid)
        {
            return $"Checkpoint {size}: the signed note does not verify with the log's key ({opened.Reason}).";
        }

        return Checkpoint.TryParse(opened.Note.Text, out var checkpoint) && checkpoint.Size == size && checkpoint.RootHash.SequenceEqual(root)
            ? null
            : $"Checkpoint {size}: the signed note is for another tree.";
    }

    private static SqliteDataReader Reader(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        // The command stays alive with its reader; the connection's disposal ends both.
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteReader();
    }

    private static AuditResult Bad(long entries, long checkpoints, long? index, string detail) =>
        new(false, entries, checkpoints, index, index is null ? detail : $"Entry {index}: {detail}");

    /// <summary>The body must be JSON naming this index, type and subject, and linking to the previous leaf hash.</summary>
    private static string? CheckBody(byte[] body, long index, string type, string subjectId, ReadOnlySpan<byte> previousLeafHash, out byte[]? commitment)
    {
        long? bodyIndex = null;
        string? bodyType = null, bodySubject = null, link = null, sealedHex = null;
        commitment = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return "The entry is not a JSON object.";
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("index"u8))
                {
                    reader.Read();
                    bodyIndex = reader.GetInt64();
                }
                else if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    bodyType = reader.GetString();
                }
                else if (reader.ValueTextEquals("subjectId"u8))
                {
                    reader.Read();
                    bodySubject = reader.GetString();
                }
                else if (reader.ValueTextEquals("previousLeafHash"u8))
                {
                    reader.Read();
                    link = reader.GetString();
                }
                else if (reader.ValueTextEquals("sealed"u8))
                {
                    reader.Read();
                    sealedHex = reader.GetString();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return "The entry is not valid JSON.";
        }

        if (bodyIndex != index)
        {
            return $"The entry says it is index {bodyIndex?.ToString() ?? "(none)"}.";
        }

        if (bodyType != type || bodySubject != subjectId)
        {
            return "The entry's type or subject differs from the row it is stored in.";
        }

        if (sealedHex is not null)
        {
            if (sealedHex.Length != 2 * Rfc9162.HashSize || !sealedHex.All(char.IsAsciiHexDigitLower))
            {
                return "The entry's sealed commitment is not a SHA-256 in lower-case hex.";
            }

            commitment = Convert.FromHexString(sealedHex);
        }

        var expectedLink = Convert.ToHexStringLower(previousLeafHash);
        return link == expectedLink ? null : $"previousLeafHash is {link ?? "(none)"}, but the entry before hashes to {expectedLink}.";
    }
}
