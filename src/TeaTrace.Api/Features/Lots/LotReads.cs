using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Lots;

/// <summary>A lot as a shipment of its tins needs it: who packed it, from which batch, and what a tin weighs.</summary>
internal sealed record LotForShipping(string Id, string Code, string BatchId, string OrgId, string Gtin, int NetWeightG, DateOnly PackedOn);

/// <summary>Named reads of lots for other features' writes.</summary>
internal static class LotReads
{
    private const string LotExists = "SELECT EXISTS (SELECT 1 FROM lots WHERE id = @Id)";

    private const string SelectForShipping = "SELECT id, code, batch_id, org_id, gtin, net_weight_g, packed_on FROM lots WHERE id = @Id";

    private sealed class ShippingRow
    {
        public string Id { get; init; } = "";
        public string Code { get; init; } = "";
        public string BatchId { get; init; } = "";
        public string OrgId { get; init; } = "";
        public string Gtin { get; init; } = "";
        public long NetWeightG { get; init; }
        public DateOnly PackedOn { get; init; }
    }

    public static bool Exists(LedgerTransaction tx, string id) => tx.ExecuteScalar<long>(LotExists, new { Id = id }) == 1;

    /// <summary>The lot whose tins would be shipped, read inside the shipment's write; null when there is none.</summary>
    public static LotForShipping? ForShipping(LedgerTransaction tx, string id) =>
        tx.QuerySingleOrDefault<ShippingRow>(SelectForShipping, new { Id = id }) is { } r
            ? new LotForShipping(r.Id, r.Code, r.BatchId, r.OrgId, r.Gtin, (int)r.NetWeightG, r.PackedOn)
            : null;
}
