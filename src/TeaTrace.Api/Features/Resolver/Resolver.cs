using TeaTrace.Api.Common;

namespace TeaTrace.Api.Features.Resolver;

internal enum ResolvedLevel
{
    Unit,
    Lot,
    Product,
}

internal sealed record Resolution(ResolvedLevel Level, ProvenanceDocument Document);

/// <summary>
/// Resolves a Digital Link to the most specific thing it names, walking up from an unknown serial to its lot and from
/// an unknown lot to its product, and records the scan of a unit's code (issued or not: a code never issued is evidence).
/// </summary>
internal sealed class Resolver(ProvenanceReader reader, ScanStore scans, RiskScorer risk, TimeProvider clock)
{
    /// <summary>Null when the GTIN is not one this service ever packed.</summary>
    public async Task<Resolution?> ResolveAsync(ResolverPath path, string baseUrl, string? client, CancellationToken cancellationToken)
    {
        var link = DigitalLinks.Lot(baseUrl, path.Gtin, path.Lot ?? "");
        if (path.Serial is { } serial)
        {
            var unit = reader.FindUnit(serial);
            var issued = unit is not null && unit.Gtin == path.Gtin && (path.Lot is null || unit.LotCode == path.Lot);
            var lotId = issued ? unit!.LotId : path.Lot is null ? null : reader.FindLotId(path.Gtin, path.Lot);
            var scan = client is null ? null : await scans.RecordAsync(serial, path.Gtin, path.Lot, issued, client, cancellationToken);
            var history = scan?.History ?? scans.History(serial);
            var unitInfo = new UnitInfo(serial, issued, issued ? unit!.Status : null, history.Count, history.FirstAt, history.Count <= 1, scan?.Token);
            if (lotId is null)
            {
                return Product(path, baseUrl, unitInfo, history);
            }

            var lot = reader.Lot(lotId, baseUrl);
            var recalls = reader.Recalls(lotId);
            var score = risk.Score(issued, unitInfo.Status, recalls.Select(r => r.Id).ToList(), lot.Lot.BestBefore, ChinaTime.Today(clock), history);
            var proof = lot.Proof is { } p && issued ? p with { Serial = lot.Serials.Prove(serial) } : lot.Proof;
            return new Resolution(issued ? ResolvedLevel.Unit : ResolvedLevel.Lot, new ProvenanceDocument(
                DigitalLinks.Unit(baseUrl, path.Gtin, lot.Lot.Code, serial), lot.Product, lot.Lot, unitInfo, lot.Batch, lot.Origins, lot.Certifications,
                recalls, score, proof, proof is null ? "pending" : null));
        }

        if (path.Lot is { } code && reader.FindLotId(path.Gtin, code) is { } id)
        {
            var lot = reader.Lot(id, baseUrl);
            var recalls = reader.Recalls(id);
            var score = risk.Score(true, null, recalls.Select(r => r.Id).ToList(), lot.Lot.BestBefore, ChinaTime.Today(clock), Empty);
            return new Resolution(ResolvedLevel.Lot, new ProvenanceDocument(link, lot.Product, lot.Lot, null, lot.Batch, lot.Origins, lot.Certifications,
                recalls, score, lot.Proof, lot.Proof is null ? "pending" : null));
        }

        return Product(path, baseUrl, null, Empty);
    }

    private static readonly ScanHistory Empty = new(0, null, 0, []);

    private Resolution? Product(ResolverPath path, string baseUrl, UnitInfo? unit, ScanHistory history)
    {
        var product = reader.Product(path.Gtin);
        if (product is null)
        {
            return null;
        }

        var score = risk.Score(unit?.Issued ?? true, null, [], null, ChinaTime.Today(clock), history);
        return new Resolution(ResolvedLevel.Product, new ProvenanceDocument($"{baseUrl}/01/{path.Gtin}", product, null, unit, null, [], [], [], score, null, null));
    }
}
