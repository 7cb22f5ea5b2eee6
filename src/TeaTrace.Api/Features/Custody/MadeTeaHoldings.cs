using System.Data;
using Dapper;

namespace TeaTrace.Api.Features.Custody;

/// <summary>
/// Who holds how much of a batch's made tea. The factory holds what its batch made; a distributor holds what it received
/// by made-tea shipments (the weight received) and what it packed before shipments were recorded. Each stops holding
/// what it packed into lots and what it shipped away (the weight shipped: what is lost on the way is lost to both).
/// </summary>
internal static class MadeTeaHoldings
{
    private const string Held = """
        SELECT
            (SELECT CASE WHEN b.factory_org_id = @OrgId AND b.status = 'completed' THEN COALESCE(b.made_tea_g, 0) ELSE 0 END
               FROM batches b WHERE b.id = @BatchId) AS made_g,
            COALESCE((SELECT SUM(r.received_g) FROM shipment_receipts r JOIN shipments s ON s.id = r.shipment_id
                       WHERE s.batch_id = @BatchId AND s.lot_id IS NULL AND s.to_org_id = @OrgId), 0) AS received_g,
            COALESCE((SELECT SUM(m.tea_g) FROM made_tea_handed_over_before_shipments m WHERE m.batch_id = @BatchId AND m.to_org_id = @OrgId), 0) AS taken_before_g,
            COALESCE((SELECT SUM(m.tea_g) FROM made_tea_handed_over_before_shipments m WHERE m.batch_id = @BatchId AND m.from_org_id = @OrgId), 0) AS given_before_g,
            COALESCE((SELECT SUM(s.tea_g) FROM shipments s WHERE s.batch_id = @BatchId AND s.lot_id IS NULL AND s.from_org_id = @OrgId), 0) AS shipped_g,
            COALESCE((SELECT SUM(l.net_weight_g * l.unit_count) FROM lots l WHERE l.batch_id = @BatchId AND l.org_id = @OrgId), 0) AS packed_g
        """;

    /// <summary>An organisation's made tea of one batch: what came to it and what it has left.</summary>
    internal sealed record Holding(long MadeG, long ReceivedG, long TakenBeforeG, long GivenBeforeG, long ShippedG, long PackedG)
    {
        public long CameG => MadeG + ReceivedG + TakenBeforeG;

        public long LeftG => CameG - GivenBeforeG - ShippedG - PackedG;
    }

    private sealed class Row
    {
        public long? MadeG { get; init; }
        public long ReceivedG { get; init; }
        public long TakenBeforeG { get; init; }
        public long GivenBeforeG { get; init; }
        public long ShippedG { get; init; }
        public long PackedG { get; init; }
    }

    public static Holding Of(IDbConnection connection, IDbTransaction? transaction, string orgId, string batchId)
    {
        var row = connection.QuerySingle<Row>(Held, new { OrgId = orgId, BatchId = batchId }, transaction);
        return new Holding(row.MadeG ?? 0, row.ReceivedG, row.TakenBeforeG, row.GivenBeforeG, row.ShippedG, row.PackedG);
    }
}
