using System.Data;
using System.Text.Json;
using Dapper;

namespace TeaTrace.Api.Features.Custody;

/// <summary>A residue test a certificate rests on, as a consumer sees it.</summary>
internal sealed record TestVerdict(string Id, string Method, string Kind, DateOnly SampledOn, string Verdict);

/// <summary>One hand-over on the way from the garden: who gave the leaf to whom, on which certificate, and what arrived.</summary>
internal sealed record HandOverInfo(
    string Kind,
    string Number,
    string From,
    string FromKind,
    string To,
    string ToKind,
    DateTimeOffset At,
    decimal Kg,
    string Status,
    DateTimeOffset? ReceivedAt,
    decimal? ReceivedKg,
    string Basis,
    IReadOnlyList<TestVerdict> Tests,
    IReadOnlyList<string> HarvestCodes);

/// <summary>Named reads of the custody chain, for the provenance document and the traces.</summary>
internal static class CustodyReads
{
    private const string SelectSalesOfBatch = """
        SELECT s.id, s.certificate_no, so.name AS seller_name, so.kind AS seller_kind, bo.name AS buyer_name, bo.kind AS buyer_kind,
               s.sold_at, s.leaf_g, s.basis, s.residue_test_ids,
               r.received_at, r.received_g, e.kind AS ended
        FROM leaf_sales s
        JOIN orgs so ON so.id = s.seller_org_id
        JOIN orgs bo ON bo.id = s.buyer_org_id
        LEFT JOIN leaf_receipts r ON r.sale_id = s.id AND NOT EXISTS (SELECT 1 FROM leaf_receipts c WHERE c.corrects_receipt_id = r.id)
        LEFT JOIN leaf_sale_ends e ON e.sale_id = s.id
        WHERE s.id IN (SELECT l.sale_id FROM leaf_sale_lines l WHERE l.harvest_id IN (SELECT bi.harvest_id FROM batch_inputs bi WHERE bi.batch_id = @BatchId))
        ORDER BY s.sold_at, s.certificate_no
        """;

    private const string SelectHarvestCodes = "SELECT h.code FROM leaf_sale_lines l JOIN harvests h ON h.id = l.harvest_id WHERE l.sale_id = @SaleId ORDER BY h.code";

    private const string SelectTests = "SELECT id, method, kind, sampled_on, verdict FROM residue_tests WHERE id IN @Ids ORDER BY sampled_on, id";

    private sealed class SaleRow
    {
        public string Id { get; init; } = "";
        public string CertificateNo { get; init; } = "";
        public string SellerName { get; init; } = "";
        public string SellerKind { get; init; } = "";
        public string BuyerName { get; init; } = "";
        public string BuyerKind { get; init; } = "";
        public DateTimeOffset SoldAt { get; init; }
        public long LeafG { get; init; }
        public string Basis { get; init; } = "";
        public string ResidueTestIds { get; init; } = "[]";
        public DateTimeOffset? ReceivedAt { get; init; }
        public long? ReceivedG { get; init; }
        public string? Ended { get; init; }
    }

    private sealed class TestRow
    {
        public string Id { get; init; } = "";
        public string Method { get; init; } = "";
        public string Kind { get; init; } = "";
        public DateOnly SampledOn { get; init; }
        public string Verdict { get; init; } = "";
    }

    /// <summary>Every sale of leaf that went into the batch (garden → cooperative → factory), oldest first, with its receipt and tests.</summary>
    public static IReadOnlyList<HandOverInfo> LeafForBatch(IDbConnection connection, string batchId) =>
        connection.Query<SaleRow>(SelectSalesOfBatch, new { BatchId = batchId }).Select(s =>
        {
            var ids = JsonSerializer.Deserialize<List<string>>(s.ResidueTestIds) ?? [];
            var tests = ids.Count == 0 ? [] : connection.Query<TestRow>(SelectTests, new { Ids = ids })
                .Select(t => new TestVerdict(t.Id, t.Method, t.Kind, t.SampledOn, t.Verdict)).ToList();
            return new HandOverInfo("leaf-sale", s.CertificateNo, s.SellerName, s.SellerKind, s.BuyerName, s.BuyerKind, s.SoldAt, Common.Weight.ToKg(s.LeafG),
                s.Ended ?? (s.ReceivedAt is null ? "issued" : "received"), s.ReceivedAt, s.ReceivedG is { } g ? Common.Weight.ToKg(g) : null, s.Basis, tests,
                connection.Query<string>(SelectHarvestCodes, new { SaleId = s.Id }).ToList());
        }).ToList();
}
