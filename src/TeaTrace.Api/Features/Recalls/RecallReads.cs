using System.Data;
using Dapper;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Recalls;

/// <summary>A recall as other features show it.</summary>
internal sealed record RecallNotice(string Id, string Reason, DateTimeOffset RecalledAt);

/// <summary>Named reads of recalls: which recall, if any, reaches a harvest, a batch or a lot (directly or through what it was made from).</summary>
internal static class RecallReads
{
    private const string ReachingLotIds = """
        SELECT r.id FROM recalls r JOIN recall_lots rl ON rl.recall_id = r.id WHERE rl.lot_id = @LotId
        UNION SELECT r.id FROM recalls r JOIN lots l ON l.id = @LotId
              WHERE (r.scope = 'batch' AND r.subject_id = l.batch_id)
                 OR (r.scope = 'harvest' AND r.subject_id IN (SELECT harvest_id FROM batch_inputs WHERE batch_id = l.batch_id))
        """;

    private const string ReachingLotNotices = $"""
        SELECT r.id, r.reason, r.recalled_at FROM recalls r WHERE r.id IN ({ReachingLotIds}) ORDER BY r.recalled_at
        """;

    private const string ReachingBatchIds = """
        SELECT id FROM recalls WHERE (scope = 'batch' AND subject_id = @BatchId)
           OR (scope = 'harvest' AND subject_id IN (SELECT harvest_id FROM batch_inputs WHERE batch_id = @BatchId))
        """;

    private const string OfHarvestIds = "SELECT id FROM recalls WHERE scope = 'harvest' AND subject_id = @HarvestId";

    private sealed class NoticeRow
    {
        public string Id { get; init; } = "";
        public string Reason { get; init; } = "";
        public DateTimeOffset RecalledAt { get; init; }
    }

    /// <summary>A recall of this harvest itself; null when there is none.</summary>
    public static string? OfHarvest(LedgerTransaction tx, string harvestId) => tx.ExecuteScalar<string>(OfHarvestIds, new { HarvestId = harvestId });

    /// <summary>A recall reaching this batch (of it, or of leaf in it); null when there is none.</summary>
    public static string? ReachingBatch(LedgerTransaction tx, string batchId) => tx.ExecuteScalar<string>(ReachingBatchIds, new { BatchId = batchId });

    /// <summary>A recall reaching this lot; null when there is none.</summary>
    public static string? ReachingLot(LedgerTransaction tx, string lotId) => tx.ExecuteScalar<string>(ReachingLotIds, new { LotId = lotId });

    public static IReadOnlyList<string> AllOfHarvest(IDbConnection connection, string harvestId) =>
        [.. connection.Query<string>(OfHarvestIds, new { HarvestId = harvestId })];

    public static IReadOnlyList<string> AllReachingLot(IDbConnection connection, string lotId) =>
        [.. connection.Query<string>(ReachingLotIds, new { LotId = lotId })];

    /// <summary>Every recall reaching this lot, oldest first.</summary>
    public static IReadOnlyList<RecallNotice> NoticesForLot(IDbConnection connection, string lotId) =>
        [.. connection.Query<NoticeRow>(ReachingLotNotices, new { LotId = lotId }).Select(r => new RecallNotice(r.Id, r.Reason, r.RecalledAt))];
}
