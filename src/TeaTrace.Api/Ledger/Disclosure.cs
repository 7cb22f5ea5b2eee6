using System.Text.Json.Nodes;

namespace TeaTrace.Api.Ledger;

/// <summary>
/// What of each kind of entry is public, in one place. The ledger is public so that anyone can verify it; what a
/// consumer's provenance page shows or a regulator would publish is public, and people (names, phones, ID digits),
/// exact coordinates, prices and buyers are sealed: kept beside the entry, under a commitment in its body. A field
/// listed as rounded is public to about a kilometre (two decimals) and sealed exactly. Kinds not listed are public.
/// </summary>
internal static class Disclosure
{
    /// <param name="Sealed">Fields of the entry's data moved into the sealed part.</param>
    /// <param name="Rounded">Coordinates whose public value is rounded to two decimals; the exact value is sealed.</param>
    /// <param name="Owner">The organisation the record is about, entitled to open it (besides its writer).</param>
    /// <param name="Names">Who the sealed fields name or belong to, for erasure: key ids, organisation ids, member ids.</param>
    /// <param name="KeepFor">How long the law keeps the record after it was made; erasure is refused until then.</param>
    internal sealed record Rule(string[] Sealed, string[] Rounded, Func<JsonObject, string?> Owner, Func<JsonObject, Auth.Caller, IEnumerable<string>> Names, TimeSpan? KeepFor = null);

    private static string? Text(JsonObject data, string field) => data[field]?.GetValue<string>();

    public static readonly IReadOnlyDictionary<string, Rule> Rules = new Dictionary<string, Rule>
    {
        // Who holds a key is a person; the key's id, role and organisation are public.
        [EntryTypes.KeyIssued] = new(["holderName"], [], d => Text(d, "orgId"), (d, _) => [Text(d, "id")!, Text(d, "orgId")!]),
        // Organisations are public (name, kind, town); a phone is sealed here and printed only on certificates.
        [EntryTypes.OrgCreated] = new(["phone"], [], d => Text(d, "id"), (d, _) => [Text(d, "id")!]),
        // Where a garden is, to about a kilometre; the exact place is the farmer's.
        [EntryTypes.PlotRegistered] = new([], ["latitude", "longitude"], d => Text(d, "orgId"), (d, _) => [Text(d, "orgId")!]),
        // A trade's buyer (a person or a shop, in free text), its prices and any reason given with them are the
        // seller's business; kept three years, as the E-Commerce Law (art. 31) keeps transaction records.
        [EntryTypes.TradeRecorded] = new(["buyer", "unitPriceCny", "totalCny", "pricePerKg", "overrideReason"], [], _ => null, (_, seller) => [seller.OrgId],
            TimeSpan.FromDays(3 * 365)),
        // An erasure says whose sealed parts it removed (a key or organisation id) and which entries; its reason may
        // name the person, so it is sealed, and names no one an erasure could reach again.
        // A sale of leaf: who sold to whom, what and on what basis are public (the certificate travels with the load and
        // a market inspector checks it); its price is the seller's business, and the contact on the certificate is the
        // issuer's phone. Kept two years, as the certificate rules keep certificates (MoA Order 2025 No. 4).
        [EntryTypes.LeafSold] = new(["pricePerKgCny", "contact"], [], d => Text(d, "sellerOrgId"), (d, _) => [Text(d, "sellerOrgId")!],
            TimeSpan.FromDays(2 * 365)),
        // A cooperative's member is a person: the name, phone and ID digits are sealed and named by the member id, which
        // an erasure takes as its subject. The member id, the cooperative and the village (a coarse place) are public.
        [EntryTypes.MemberRegistered] = new(["name", "phone", "idLast4"], [], d => Text(d, "orgId"), (d, _) => [Text(d, "id")!]),
        // What the cooperative paid a member for leaf is the member's and the cooperative's business: the price and the
        // amount are sealed and name the member. The weight, the plot, the harvest and the day are public, as any harvest's
        // are. Kept two years, as the purchase ledger (收购台账) is kept under the certificate rules.
        [EntryTypes.CollectionRecorded] = new(["pricePerKgCny", "amountCny"], [], d => Text(d, "orgId"), (d, _) => [Text(d, "memberId")!],
            TimeSpan.FromDays(2 * 365)),
        [EntryTypes.ErasureRecorded] = new(["reason"], [], _ => null, (_, _) => []),
        // A receipt of a shipment: who received what, when and how much is public (it is what lets the shop pack or sell);
        // the receiver's free-text note (a dented tin, who signed for it) may name a person, so it is sealed. Kept two
        // years, as the Food Safety Law (art. 50, 53) keeps purchase and sales records of food.
        [EntryTypes.ShipmentReceived] = new(["note"], [], d => Text(d, "receiverOrgId"), (d, _) => [Text(d, "receiverOrgId")!],
            TimeSpan.FromDays(2 * 365)),

        // shipment.sent has no rule, so all of it is public: organisations are public, and a delivery note names the
        // shipper, the receiver, the batch or lot and the weight or count, never a person or a price.
        // residue-test.recorded has no rule, so all of it is public: the plot, the dates, the method, the report number,
        // every result, the verdict and the limits it was judged against, as a regulator would publish them. It names
        // organisations and plots, never a person.
    };

    public static Rule? For(string type) => Rules.GetValueOrDefault(type);
}
