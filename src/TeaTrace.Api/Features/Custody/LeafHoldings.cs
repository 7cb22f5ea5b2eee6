using System.Data;
using Dapper;

namespace TeaTrace.Api.Features.Custody;

/// <summary>
/// Who holds how much of a harvest's leaf. An organisation holds a harvest's leaf when it grew it, received it
/// (the receipt that no other corrects), or drew it into a batch before hand-overs were recorded; it stops holding
/// what it sold (unless the sale was voided or rejected) and what its batches drew.
/// </summary>
internal static class LeafHoldings
{
    private const string Held = """
        SELECT
            (SELECT CASE WHEN p.org_id = @OrgId THEN h.fresh_leaf_g ELSE 0 END
               FROM harvests h JOIN plots p ON p.id = h.plot_id WHERE h.id = @HarvestId) AS grown_g,
            COALESCE((SELECT SUM(rl.leaf_g) FROM leaf_receipt_lines rl
                        JOIN leaf_receipts r ON r.id = rl.receipt_id
                        JOIN leaf_sales s ON s.id = r.sale_id
                       WHERE rl.harvest_id = @HarvestId AND s.buyer_org_id = @OrgId
                         AND NOT EXISTS (SELECT 1 FROM leaf_receipts c WHERE c.corrects_receipt_id = r.id)), 0) AS received_g,
            COALESCE((SELECT SUM(m.leaf_g) FROM leaf_handed_over_before_receipts m WHERE m.harvest_id = @HarvestId AND m.to_org_id = @OrgId), 0) AS taken_before_g,
            COALESCE((SELECT SUM(m.leaf_g) FROM leaf_handed_over_before_receipts m WHERE m.harvest_id = @HarvestId AND m.from_org_id = @OrgId), 0) AS given_before_g,
            COALESCE((SELECT SUM(l.leaf_g) FROM leaf_sale_lines l
                        JOIN leaf_sales s ON s.id = l.sale_id
                       WHERE l.harvest_id = @HarvestId AND s.seller_org_id = @OrgId
                         AND NOT EXISTS (SELECT 1 FROM leaf_sale_ends e WHERE e.sale_id = s.id)), 0) AS sold_g,
            COALESCE((SELECT SUM(bi.leaf_g) FROM batch_inputs bi
                        JOIN batches b ON b.id = bi.batch_id
                       WHERE bi.harvest_id = @HarvestId AND b.factory_org_id = @OrgId), 0) AS drawn_g
        """;

    /// <summary>An organisation's leaf of one harvest: what came to it and what it has left.</summary>
    internal sealed record Holding(long GrownG, long ReceivedG, long TakenBeforeG, long GivenBeforeG, long SoldG, long DrawnG)
    {
        public long CameG => GrownG + ReceivedG + TakenBeforeG;

        public long LeftG => CameG - GivenBeforeG - SoldG - DrawnG;
    }

    private sealed class Row
    {
        public long? GrownG { get; init; }
        public long ReceivedG { get; init; }
        public long TakenBeforeG { get; init; }
        public long GivenBeforeG { get; init; }
        public long SoldG { get; init; }
        public long DrawnG { get; init; }
    }

    public static Holding Of(IDbConnection connection, IDbTransaction? transaction, string orgId, string harvestId)
    {
        var row = connection.QuerySingle<Row>(Held, new { OrgId = orgId, HarvestId = harvestId }, transaction);
        return new Holding(row.GrownG ?? 0, row.ReceivedG, row.TakenBeforeG, row.GivenBeforeG, row.SoldG, row.DrawnG);
    }
}
