using System.Security.Cryptography;
using System.Text.Json;
using TeaTrace.Api.Data;
using TeaTrace.Ledger;

namespace TeaTrace.Api.Features.LedgerApi;

internal sealed record AuditResult(bool Ok, long Entries, long? FirstBadIndex, string? Detail);

/// <summary>
/// Walks the whole ledger from entry 0: re-hashes every stored body, checks that indexes have no gaps, that each
/// body names its own index, type and subject, and that it links to the hash of the entry before it.
/// </summary>
internal sealed class LedgerAuditor(SqliteConnectionFactory connections)
{
    private const string SelectEntries = "SELECT idx, type, subject_id, body, leaf_hash FROM ledger_entries ORDER BY idx";

    public AuditResult Audit(CancellationToken cancellationToken)
    {
        using var connection = connections.Open();
        using var command = connection.CreateCommand();
        command.CommandText = SelectEntries;
        using var reader = command.ExecuteReader();

        var expected = 0L;
        Span<byte> previous = stackalloc byte[Rfc9162.HashSize];
        Span<byte> computed = stackalloc byte[Rfc9162.HashSize];
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var index = reader.GetInt64(0);
            if (index != expected)
            {
                return Bad(expected, expected, $"Entry {expected} is missing; the next stored entry is {index}.");
            }

            var body = (byte[])reader.GetValue(3);
            Rfc9162.HashLeaf(body, computed);
            var storedHash = (byte[])reader.GetValue(4);
            if (!CryptographicOperations.FixedTimeEquals(computed, storedHash))
            {
                return Bad(expected, index, "The entry's bytes do not hash to its stored leaf hash: the entry was changed.");
            }

            if (CheckBody(body, index, reader.GetString(1), reader.GetString(2), previous) is { } problem)
            {
                return Bad(expected, index, problem);
            }

            computed.CopyTo(previous);
            expected++;
        }

        return new AuditResult(true, expected, null, null);
    }

    private static AuditResult Bad(long entries, long index, string detail) => new(false, entries, index, $"Entry {index}: {detail}");

    /// <summary>The body must be JSON naming this index, type and subject, and linking to the previous leaf hash.</summary>
    private static string? CheckBody(byte[] body, long index, string type, string subjectId, ReadOnlySpan<byte> previousLeafHash)
    {
        long? bodyIndex = null;
        string? bodyType = null, bodySubject = null, link = null;
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

        var expectedLink = Convert.ToHexStringLower(previousLeafHash);
        return link == expectedLink ? null : $"previousLeafHash is {link ?? "(none)"}, but the entry before hashes to {expectedLink}.";
    }
}
