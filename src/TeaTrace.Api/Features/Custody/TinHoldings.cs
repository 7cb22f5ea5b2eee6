using System.Data;
using Dapper;

namespace TeaTrace.Api.Features.Custody;

/// <summary>
/// Who holds a lot's tins. The packer holds every tin it has not shipped; a shop holds the tins its receipts of tin
/// shipments counted in. A tin shipped and not (or not yet) counted in is held by no one. Only issued tins (not sold,
/// recalled or destroyed) can be sold or shipped; they go in packing order.
/// </summary>
internal static class TinHoldings
{
    private const string HeldByPacker = """
        SELECT u.serial FROM units u
        WHERE u.lot_id = @LotId AND u.status = 'issued' AND NOT EXISTS (SELECT 1 FROM shipment_units su WHERE su.serial = u.serial)
        ORDER BY u.seq LIMIT @Limit
        """;

    private const string HeldByReceiver = """
        SELECT u.serial FROM units u
        JOIN shipment_received_units ru ON ru.serial = u.serial
        JOIN shipment_receipts r ON r.id = ru.receipt_id
        WHERE u.lot_id = @LotId AND u.status = 'issued' AND r.org_id = @OrgId
        ORDER BY u.seq LIMIT @Limit
        """;

    private const string CountHeldByPacker = """
        SELECT count(*) FROM units u
        WHERE u.lot_id = @LotId AND u.status = 'issued' AND NOT EXISTS (SELECT 1 FROM shipment_units su WHERE su.serial = u.serial)
        """;

    private const string CountHeldByReceiver = """
        SELECT count(*) FROM units u
        JOIN shipment_received_units ru ON ru.serial = u.serial
        JOIN shipment_receipts r ON r.id = ru.receipt_id
        WHERE u.lot_id = @LotId AND u.status = 'issued' AND r.org_id = @OrgId
        """;

    private const string EverReceived = """
        SELECT EXISTS (SELECT 1 FROM shipments s JOIN shipment_receipts r ON r.shipment_id = s.id WHERE s.lot_id = @LotId AND r.org_id = @OrgId)
        """;

    /// <summary>The serials of up to <paramref name="limit"/> tins of the lot that the organisation holds unsold, in packing order.</summary>
    public static IReadOnlyList<string> Unsold(IDbConnection connection, IDbTransaction? transaction, string lotId, string orgId, string packerOrgId, int limit) =>
        connection.Query<string>(orgId == packerOrgId ? HeldByPacker : HeldByReceiver, new { LotId = lotId, OrgId = orgId, Limit = limit }, transaction).ToList();

    /// <summary>How many tins of the lot the organisation holds unsold.</summary>
    public static int UnsoldCount(IDbConnection connection, IDbTransaction? transaction, string lotId, string orgId, string packerOrgId) =>
        (int)connection.ExecuteScalar<long>(orgId == packerOrgId ? CountHeldByPacker : CountHeldByReceiver, new { LotId = lotId, OrgId = orgId }, transaction);

    /// <summary>Whether the organisation holds, or ever held, tins of the lot: its packer, or a shop that received some.</summary>
    public static bool IsHolder(IDbConnection connection, IDbTransaction? transaction, string lotId, string orgId, string packerOrgId) =>
        orgId == packerOrgId || connection.ExecuteScalar<bool>(EverReceived, new { LotId = lotId, OrgId = orgId }, transaction);
}
