using System.Data;
using System.Text.Json;
using Dapper;
using TeaTrace.Api.Common;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Custody;

/// <summary>Named reads of leaf sales and their certificates, for this feature and the features that follow the leaf.</summary>
internal static class CertificateReads
{
    private const string SelectSale = """
        SELECT s.id, s.certificate_no, s.seller_org_id, s.buyer_org_id, s.sold_at, s.basis, s.leaf_g, s.price_per_kg_fen,
               s.residue_test_ids, s.commitment,
               so.name AS seller_name, so.kind AS seller_kind, so.town AS seller_town,
               bo.name AS buyer_name, bo.kind AS buyer_kind, bo.town AS buyer_town
        FROM leaf_sales s
        JOIN orgs so ON so.id = s.seller_org_id
        JOIN orgs bo ON bo.id = s.buyer_org_id
        WHERE s.certificate_no = @Number
        """;

    private const string SelectLines = """
        SELECT l.harvest_id, h.code AS harvest_code, h.plot_id, p.town, p.cultivar, h.picked_on, h.plucking_standard, l.leaf_g
        FROM leaf_sale_lines l JOIN harvests h ON h.id = l.harvest_id JOIN plots p ON p.id = h.plot_id
        WHERE l.sale_id = @SaleId ORDER BY h.picked_on, h.code
        """;

    private const string SelectEnd = "SELECT kind, reason, ended_at FROM leaf_sale_ends WHERE sale_id = @SaleId";

    private const string SelectCurrentReceipt = """
        SELECT r.id, o.name AS received_by, r.received_at, r.received_g, r.corrects_receipt_id
        FROM leaf_receipts r JOIN orgs o ON o.id = r.org_id
        WHERE r.sale_id = @SaleId AND NOT EXISTS (SELECT 1 FROM leaf_receipts c WHERE c.corrects_receipt_id = r.id)
        """;

    internal sealed class SaleRow
    {
        public string Id { get; init; } = "";
        public string CertificateNo { get; init; } = "";
        public string SellerOrgId { get; init; } = "";
        public string BuyerOrgId { get; init; } = "";
        public DateTimeOffset SoldAt { get; init; }
        public string Basis { get; init; } = "";
        public long LeafG { get; init; }
        public long? PricePerKgFen { get; init; }
        public string ResidueTestIds { get; init; } = "[]";
        public string Commitment { get; init; } = "{}";
        public string SellerName { get; init; } = "";
        public string SellerKind { get; init; } = "";
        public string SellerTown { get; init; } = "";
        public string BuyerName { get; init; } = "";
        public string BuyerKind { get; init; } = "";
        public string BuyerTown { get; init; } = "";
    }

    private sealed class LineRow
    {
        public string HarvestId { get; init; } = "";
        public string HarvestCode { get; init; } = "";
        public string PlotId { get; init; } = "";
        public string Town { get; init; } = "";
        public string Cultivar { get; init; } = "";
        public DateOnly PickedOn { get; init; }
        public string PluckingStandard { get; init; } = "";
        public long LeafG { get; init; }
    }

    private sealed class EndRow
    {
        public string Kind { get; init; } = "";
        public string Reason { get; init; } = "";
        public DateTimeOffset EndedAt { get; init; }
    }

    private sealed class ReceiptRow
    {
        public string Id { get; init; } = "";
        public string ReceivedBy { get; init; } = "";
        public DateTimeOffset ReceivedAt { get; init; }
        public long ReceivedG { get; init; }
        public string? CorrectsReceiptId { get; init; }
    }

    /// <summary>The commitment as stored with the sale: its version and its words.</summary>
    internal sealed record StoredCommitment(string Version, IReadOnlyList<CommitmentItem> Items);

    public static SaleRow? Sale(IDbConnection connection, IDbTransaction? transaction, string number) =>
        connection.QuerySingleOrDefault<SaleRow>(SelectSale, new { Number = number }, transaction);

    /// <summary>The certificate with its lines, its receipt and how it ended; null when no sale has the number.</summary>
    public static CertificateResponse? Certificate(IDbConnection connection, IDbTransaction? transaction, string number, string baseUrl)
    {
        var sale = Sale(connection, transaction, number);
        if (sale is null)
        {
            return null;
        }

        var lines = connection.Query<LineRow>(SelectLines, new { SaleId = sale.Id }, transaction)
            .Select(l => new CertificateLine(l.HarvestId, l.HarvestCode, l.PlotId, l.Town, l.Cultivar, l.PickedOn, l.PluckingStandard, Weight.ToKg(l.LeafG)))
            .ToList();
        var end = connection.QuerySingleOrDefault<EndRow>(SelectEnd, new { SaleId = sale.Id }, transaction);
        var receipt = connection.QuerySingleOrDefault<ReceiptRow>(SelectCurrentReceipt, new { SaleId = sale.Id }, transaction);
        var commitment = JsonSerializer.Deserialize<StoredCommitment>(sale.Commitment, JsonSerializerOptions.Web)!;
        var contact = SealedReads.Fields(connection, sale.SellerOrgId, EntryTypes.OrgCreated, transaction).Text("phone");
        var status = end?.Kind ?? (receipt is not null ? "received" : "issued");
        return new CertificateResponse(
            sale.Id,
            sale.CertificateNo,
            CertificateNumbers.Display(sale.CertificateNo),
            status,
            "茶鲜叶 fresh tea leaf",
            Weight.ToKg(sale.LeafG),
            sale.Basis,
            JsonSerializer.Deserialize<List<string>>(sale.ResidueTestIds) ?? [],
            commitment.Version,
            commitment.Items,
            string.Join("、", lines.Select(l => l.Town).Distinct()),
            new CertificateParty(sale.SellerOrgId, sale.SellerName, sale.SellerKind, sale.SellerTown),
            contact,
            new CertificateParty(sale.BuyerOrgId, sale.BuyerName, sale.BuyerKind, sale.BuyerTown),
            sale.SoldAt,
            lines,
            receipt is null ? null : new CertificateReceipt(receipt.Id, receipt.ReceivedBy, receipt.ReceivedAt, Weight.ToKg(receipt.ReceivedG), receipt.CorrectsReceiptId),
            end is null ? null : new CertificateEnd(end.Kind, end.Reason, end.EndedAt),
            $"{baseUrl}/c/{sale.CertificateNo}");
    }
}
