using System.Text.Json;
using Dapper;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Idempotency;
using TeaTrace.Api.Ledger;
using TeaTrace.Ledger;

namespace TeaTrace.Api.Features.Privacy;

/// <summary>
/// The private fields of ledger entries: read by those entitled, and erased when a person asks to be forgotten
/// (PIPL art. 47). Erasing removes the salt with the fields, so the commitment in the entry's body can be neither
/// opened nor guessed; the body, the tree, every proof and every checkpoint stay as they were.
/// </summary>
internal sealed class ErasureStore(SqliteConnectionFactory connections, ILedgerWriter writer, ILogger<ErasureStore> logger)
{
    private const string SelectPart = """
        SELECT s.entry_idx, s.owner_org_id, s.writer_org_id, s.counterparty_org_id, CAST(s.salt AS BLOB) AS salt, CAST(s.fields AS BLOB) AS fields, s.erased_by, CAST(e.body AS BLOB) AS body
        FROM sealed_parts s JOIN ledger_entries e ON e.idx = s.entry_idx WHERE s.entry_idx = @Index
        """;

    private const string SelectNamed = """
        SELECT s.entry_idx, s.keep_until, CAST(s.fields AS BLOB) AS fields FROM sealed_names n JOIN sealed_parts s ON s.entry_idx = n.entry_idx
        WHERE n.subject = @Subject AND s.fields IS NOT NULL ORDER BY s.entry_idx
        """;

    private const string ErasePart = "UPDATE sealed_parts SET salt = NULL, fields = NULL, erased_by = @ErasedBy WHERE entry_idx = @EntryIdx";

    // A replay stored for a retried request may repeat what the person sent; it goes too.
    private const string ForgetReplays = "DELETE FROM idempotency_keys WHERE instr(CAST(body AS TEXT), @Text) > 0";

    private sealed class PartRow
    {
        public long EntryIdx { get; init; }
        public string OwnerOrgId { get; init; } = "";
        public string WriterOrgId { get; init; } = "";
        public string? CounterpartyOrgId { get; init; }
        public byte[]? Salt { get; init; }
        public byte[]? Fields { get; init; }
        public long? ErasedBy { get; init; }
        public byte[] Body { get; init; } = [];
    }

    private sealed class NamedRow
    {
        public long EntryIdx { get; init; }
        public DateTimeOffset? KeepUntil { get; init; }
        public byte[] Fields { get; init; } = [];
    }

    /// <summary>The organisations on either side of the record (its owner, its writer, a counterparty), regulators and admins.</summary>
    public WriteResult<SealedPartResponse> Read(Caller caller, long index)
    {
        using var connection = connections.Open();
        var part = connection.QuerySingleOrDefault<PartRow>(SelectPart, new { Index = index });
        if (part is null)
        {
            return PrivacyRefusals.NoSealedPart(index);
        }

        var entitled = caller.IsAdmin || caller.IsRegulator || caller.OrgId == part.OwnerOrgId || caller.OrgId == part.WriterOrgId || caller.OrgId == part.CounterpartyOrgId;
        if (!entitled)
        {
            return PrivacyRefusals.NotEntitled();
        }

        if (part.Salt is null)
        {
            return PrivacyRefusals.Erased(index, part.ErasedBy ?? -1);
        }

        var commitment = JsonDocument.Parse(part.Body).RootElement.GetProperty("sealed").GetString()!;
        return new SealedPartResponse(index, Convert.ToHexStringLower(part.Salt), JsonDocument.Parse(part.Fields!).RootElement.Clone(), commitment);
    }

    public async Task<WriteResult<ErasureResponse>> EraseAsync(Caller caller, ErasureRequest request, Reply<ErasureResponse>? reply, CancellationToken cancellationToken)
    {
        var result = await writer.WriteAsync(tx => Erase(tx, caller, request), reply, cancellationToken);
        if (!result.IsRefused)
        {
            await ScrubAsync(cancellationToken);
        }

        return result;
    }

    private static WriteResult<ErasureResponse> Erase(LedgerTransaction tx, Caller caller, ErasureRequest request)
    {
        var subject = request.Subject.Trim();
        var named = tx.Query<NamedRow>(SelectNamed, new { Subject = subject }).ToList();
        if (named.Count == 0)
        {
            return PrivacyRefusals.NothingToErase(subject);
        }

        var kept = named.Where(n => n.KeepUntil > tx.Now).ToList();
        if (kept.Count > 0)
        {
            return PrivacyRefusals.KeptByLaw(subject, kept.Max(n => n.KeepUntil!.Value), [.. kept.Select(n => n.EntryIdx)]);
        }

        var erasure = new ErasureResponse(Ids.New("era"), subject, named.Count, [.. named.Select(n => n.EntryIdx)], tx.NextIndex, tx.Now);
        tx.Append(EntryTypes.ErasureRecorded, erasure.Id, caller, new { erasure.Id, erasure.Subject, erasure.Entries, Reason = request.Reason.Trim(), erasure.ErasedAt });
        foreach (var part in named)
        {
            tx.Execute(ErasePart, new { ErasedBy = erasure.EntryIndex, part.EntryIdx });
            foreach (var text in Values(JsonDocument.Parse(part.Fields).RootElement))
            {
                tx.Execute(ForgetReplays, new { Text = text });
            }
        }

        return erasure;
    }

    /// <summary>The texts and the longer numbers (exact coordinates, prices) a sealed part holds.</summary>
    private static IEnumerable<string> Values(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String when value.GetString()!.Length >= 2 => [value.GetString()!],
        JsonValueKind.Number when value.GetRawText().Length >= 6 => [value.GetRawText()],
        JsonValueKind.Object => value.EnumerateObject().SelectMany(p => Values(p.Value)),
        JsonValueKind.Array => value.EnumerateArray().SelectMany(Values),
        _ => [],
    };

    /// <summary>
    /// The erased bytes are zeroed in the database file as they are freed (secure_delete on the writer); the WAL,
    /// which may still hold earlier copies of the pages, is checkpointed and truncated.
    /// </summary>
    private async Task ScrubAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var busy = await writer.RunExclusiveAsync(tree => tree.Connection.QuerySingle<(long Busy, long Log, long Checkpointed)>("PRAGMA wal_checkpoint(TRUNCATE);").Busy, cancellationToken);
            if (busy == 0)
            {
                return;
            }

            await Task.Delay(100, cancellationToken);
        }

        logger.LogWarning("The WAL could not be truncated after an erasure: readers kept it busy. The next truncation removes what is left.");
    }
}
