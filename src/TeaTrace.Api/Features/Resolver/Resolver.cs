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
/// an unknown lot to its product, and records a scan: per unit for an issued unit's code, and as a count per lot or
/// product for a code never issued (evidence of copying that invented codes cannot multiply).
/// </summary>
internal sealed class Resolver(ProvenanceReader reader, ScanStore scans, RiskScorer risk, TimeProvider clock)
{
    /// <summary>Null when the GTIN is not one this service ever packed. A null client is a request that is not a scan.</summary>
    public async Task<Resolution?> ResolveAsync(ResolverPath path, string baseUrl, ScanClient? client, CancellationToken cancellationToken)
    {
        var link = DigitalLinks.Lot(baseUrl, path.Gtin, path.Lot ?? "");
        if (path.Serial is { } serial)
        {
            // A serial quoted under another GTIN or lot is not a scan of that unit: it is a code never issued.
            var unit = reader.FindUnit(serial);
            var issued = unit is not null && unit.Gtin == path.Gtin && (path.Lot is null || unit.LotCode == path.Lot);
            var lotId = issued ? unit!.LotId : path.Lot is null ? null : reader.FindLotId(path.Gtin, path.Lot);
            var product = lotId is null ? reader.Product(path.Gtin) : null;
            if (lotId is null && product is null)
            {
                return null;
            }

            ScanRecord? scan = null;
            if (client is not null && issued)
            {
                scan = await scans.RecordAsync(serial, path.Gtin, path.Lot, client, cancellationToken);
            }
            else if (client is not null)
            {
                await scans.RecordUnissuedAsync(path.Gtin, lotId is null ? null : path.Lot, cancellationToken);
            }

            var history = scan?.History ?? (issued ? scans.History(serial) : ScanHistory.None);
            var unitInfo = new UnitInfo(serial, issued, issued ? unit!.Status : null, history.Count, history.FirstAt, history.Count <= 1, scan?.Token);
            if (lotId is null)
            {
                return Product(path, baseUrl, product!, unitInfo, history);
            }

            var lot = reader.Lot(lotId, baseUrl);
            var recalls = reader.Recalls(lotId);
            var score = risk.Score(issued, unitInfo.Status, recalls.Select(r => r.Id).ToList(), lot.Lot.BestBefore, ChinaTime.Today(clock), history);
            var proof = lot.Proof is { } p && issued ? p with { Serial = lot.Serials.Prove(serial) } : lot.Proof;
            return new Resolution(issued ? ResolvedLevel.Unit : ResolvedLevel.Lot, new ProvenanceDocument(
                DigitalLinks.Unit(baseUrl, path.Gtin, lot.Lot.Code, serial), lot.Product, lot.Lot, unitInfo, lot.Batch, lot.Origins, lot.Certifications,
                recalls, score, proof, proof is null ? "pending" : null, lot.Custody));
        }

        if (path.Lot is { } code && reader.FindLotId(path.Gtin, code) is { } id)
        {
            var lot = reader.Lot(id, baseUrl);
            var recalls = reader.Recalls(id);
            var score = risk.Score(true, null, recalls.Select(r => r.Id).ToList(), lot.Lot.BestBefore, ChinaTime.Today(clock), ScanHistory.None);
            return new Resolution(ResolvedLevel.Lot, new ProvenanceDocument(link, lot.Product, lot.Lot, null, lot.Batch, lot.Origins, lot.Certifications,
                recalls, score, lot.Proof, lot.Proof is null ? "pending" : null, lot.Custody));
        }

        return reader.Product(path.Gtin) is { } known ? Product(path, baseUrl, known, null, ScanHistory.None) : null;
    }

    private Resolution Product(ResolverPath path, string baseUrl, ProductInfo product, UnitInfo? unit, ScanHistory history)
    {
        var score = risk.Score(unit?.Issued ?? true, null, [], null, ChinaTime.Today(clock), history);
        return new Resolution(ResolvedLevel.Product, new ProvenanceDocument($"{baseUrl}/01/{path.Gtin}", product, null, unit, null, [], [], [], score, null, null, []));
    }
}
