using System.Data;
using Dapper;
using TeaTrace.Api.Common;

namespace TeaTrace.Api.Features.Custody;

/// <summary>Named reads of shipments and their delivery notes.</summary>
internal static class ShipmentReads
{
    private const string SelectShipment = """
        SELECT s.id, s.note_no, s.from_org_id, s.to_org_id, s.batch_id, b.code AS batch_code, s.lot_id, l.code AS lot_code, l.gtin,
               l.net_weight_g, s.tea_g, s.units, s.shipped_at,
               fo.name AS from_name, fo.kind AS from_kind, fo.town AS from_town,
               tor.name AS to_name, tor.kind AS to_kind, tor.town AS to_town
        FROM shipments s
        JOIN batches b ON b.id = s.batch_id
        LEFT JOIN lots l ON l.id = s.lot_id
        JOIN orgs fo ON fo.id = s.from_org_id
        JOIN orgs tor ON tor.id = s.to_org_id
        """;

    private const string ById = SelectShipment + " WHERE s.id = @Key";

    private const string ByNumber = SelectShipment + " WHERE s.note_no = @Key";

    private const string SelectReceipt = """
        SELECT r.id, o.name AS received_by, r.received_at, r.received_g, r.received_units, r.note
        FROM shipment_receipts r JOIN orgs o ON o.id = r.org_id WHERE r.shipment_id = @Id
        """;

    internal sealed class ShipmentRow
    {
        public string Id { get; init; } = "";
        public string NoteNo { get; init; } = "";
        public string FromOrgId { get; init; } = "";
        public string ToOrgId { get; init; } = "";
        public string BatchId { get; init; } = "";
        public string BatchCode { get; init; } = "";
        public string? LotId { get; init; }
        public string? LotCode { get; init; }
        public string? Gtin { get; init; }
        public long? NetWeightG { get; init; }
        public long TeaG { get; init; }
        public long? Units { get; init; }
        public DateTimeOffset ShippedAt { get; init; }
        public string FromName { get; init; } = "";
        public string FromKind { get; init; } = "";
        public string FromTown { get; init; } = "";
        public string ToName { get; init; } = "";
        public string ToKind { get; init; } = "";
        public string ToTown { get; init; } = "";

        public bool IsTins => LotId is not null;
    }

    private sealed class ReceiptRow
    {
        public string Id { get; init; } = "";
        public string ReceivedBy { get; init; } = "";
        public DateTimeOffset ReceivedAt { get; init; }
        public long ReceivedG { get; init; }
        public long? ReceivedUnits { get; init; }
        public string? Note { get; init; }
    }

    public static ShipmentRow? Row(IDbConnection connection, IDbTransaction? transaction, string id) =>
        connection.QuerySingleOrDefault<ShipmentRow>(ById, new { Key = id }, transaction);

    public static bool IsReceived(IDbConnection connection, IDbTransaction? transaction, string id) =>
        connection.QuerySingleOrDefault<ReceiptRow>(SelectReceipt, new { Id = id }, transaction) is not null;

    /// <summary>The delivery note by its id, or by its number as printed; null when there is none.</summary>
    public static ShipmentResponse? Shipment(IDbConnection connection, IDbTransaction? transaction, string idOrNumber, string baseUrl)
    {
        var row = Row(connection, transaction, idOrNumber)
            ?? (CertificateNumbers.Normalize(idOrNumber) is { } number ? connection.QuerySingleOrDefault<ShipmentRow>(ByNumber, new { Key = number }, transaction) : null);
        if (row is null)
        {
            return null;
        }

        var receipt = connection.QuerySingleOrDefault<ReceiptRow>(SelectReceipt, new { Id = row.Id }, transaction);
        return new ShipmentResponse(
            row.Id,
            row.NoteNo,
            CertificateNumbers.Display(row.NoteNo),
            row.IsTins ? "tins" : "made-tea",
            receipt is null ? "shipped" : "received",
            new CertificateParty(row.FromOrgId, row.FromName, row.FromKind, row.FromTown),
            new CertificateParty(row.ToOrgId, row.ToName, row.ToKind, row.ToTown),
            row.BatchId,
            row.BatchCode,
            row.LotId,
            row.LotCode,
            row.Gtin,
            row.IsTins ? (int?)row.NetWeightG : null,
            Weight.ToKg(row.TeaG),
            (int?)row.Units,
            row.ShippedAt,
            receipt is null ? null : new ShipmentReceipt(receipt.Id, receipt.ReceivedBy, receipt.ReceivedAt, Weight.ToKg(receipt.ReceivedG), (int?)receipt.ReceivedUnits, receipt.Note),
            $"{baseUrl}/d/{row.NoteNo}");
    }
}
