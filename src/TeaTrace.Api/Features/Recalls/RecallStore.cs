using Dapper;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Idempotency;
using TeaTrace.Api.Ledger;
using TeaTrace.Ledger;

namespace TeaTrace.Api.Features.Recalls;

/// <summary>Recalls reach forward from a harvest, batch or lot to every lot and unit made from it; traces follow the chain either way.</summary>
internal sealed class RecallStore(SqliteConnectionFactory connections, ILedgerWriter writer, ChangeSignals signals)
{
    private const string LotsOfHarvest = """
        SELECT DISTINCT l.id AS lot_id, l.code, l.gtin, l.product_name, l.unit_count AS units
        FROM batch_inputs bi JOIN lots l ON l.batch_id = bi.batch_id WHERE bi.harvest_id = @Id ORDER BY l.created_at
        """;

    private const string LotsOfBatch = "SELECT id AS lot_id, code, gtin, product_name, unit_count AS units FROM lots WHERE batch_id = @Id ORDER BY created_at";

    private const string LotById = "SELECT id AS lot_id, code, gtin, product_name, unit_count AS units FROM lots WHERE id = @Id";

    private const string InsertRecall = "INSERT INTO recalls (id, scope, subject_id, reason, recalled_at) VALUES (@Id, @Scope, @SubjectId, @Reason, @RecalledAt)";

    private const string InsertRecallLot = "INSERT INTO recall_lots (recall_id, lot_id, units) VALUES (@RecallId, @LotId, @Units)";

    private const string RecallUnits = "UPDATE units SET status = 'recalled' WHERE lot_id = @LotId AND status <> 'destroyed'";

    private sealed class LotRef
    {
        public string LotId { get; init; } = "";
        public string Code { get; init; } = "";
        public string Gtin { get; init; } = "";
        public string ProductName { get; init; } = "";
        public long Units { get; init; }
    }

    /// <summary>About 60 bytes a lot: a list this long stays well inside one ledger entry.</summary>
    internal const int MaxLotsListed = 800;

    public async Task<WriteResult<RecallResponse>> RecallAsync(Caller caller, CreateRecallRequest request, Reply<RecallResponse>? reply, CancellationToken cancellationToken)
    {
        var result = await writer.WriteAsync(tx => Recall(tx, caller, request), reply, cancellationToken);
        signals.RecallIssued();
        return result;
    }

    private static WriteResult<RecallResponse> Recall(LedgerTransaction tx, Caller caller, CreateRecallRequest request)
    {
        var given = new[] { ("harvest", request.HarvestId), ("batch", request.BatchId), ("lot", request.LotId) }
            .Where(s => !string.IsNullOrWhiteSpace(s.Item2)).ToList();
        if (given.Count != 1)
        {
            return RecallRefusals.OneScope();
        }

        var (scope, subjectId) = (given[0].Item1, given[0].Item2!);
        var exists = scope switch
        {
            "harvest" => tx.ExecuteScalar<bool>("SELECT EXISTS (SELECT 1 FROM harvests WHERE id = @Id)", new { Id = subjectId }),
            "batch" => tx.ExecuteScalar<bool>("SELECT EXISTS (SELECT 1 FROM batches WHERE id = @Id)", new { Id = subjectId }),
            _ => tx.ExecuteScalar<bool>("SELECT EXISTS (SELECT 1 FROM lots WHERE id = @Id)", new { Id = subjectId }),
        };
        if (!exists)
        {
            return Refusal.NotFound(scope switch { "harvest" => Noun.Harvest, "batch" => Noun.Batch, _ => Noun.Lot }, subjectId);
        }

        var lots = tx.Query<LotRef>(scope switch { "harvest" => LotsOfHarvest, "batch" => LotsOfBatch, _ => LotById }, new { Id = subjectId })
            .Select(l => new RecalledLot(l.LotId, l.Code, l.Gtin, l.ProductName, (int)l.Units))
            .ToList();
        var recall = new RecallResponse(Ids.New("rcl"), scope, subjectId, request.Reason.Trim(), tx.Now, lots, lots.Sum(l => l.Units));
        tx.Execute(InsertRecall, new { recall.Id, recall.Scope, recall.SubjectId, recall.Reason, RecalledAt = tx.Now });
        foreach (var lot in lots)
        {
            tx.Execute(InsertRecallLot, new { RecallId = recall.Id, lot.LotId, lot.Units });
            tx.Execute(RecallUnits, new { lot.LotId });
        }

        // The lots reached are listed by id and units (their own entries say what they are); a recall reaching more
        // lots than one entry holds commits to them by an RFC 9162 root over their ids, with the list in recall_lots.
        var listed = lots.Count <= MaxLotsListed;
        tx.Append(EntryTypes.RecallIssued, recall.Id, caller, new
        {
            recall.Id,
            recall.Scope,
            recall.SubjectId,
            recall.Reason,
            recall.RecalledAt,
            recall.UnitCount,
            LotCount = lots.Count,
            Lots = listed ? lots.Select(l => new { l.LotId, l.Units }) : null,
            LotsRoot = listed ? null : Convert.ToHexStringLower(Rfc9162.RootHash([.. lots.Select(l => Rfc9162.HashLeaf(System.Text.Encoding.UTF8.GetBytes(l.LotId)))])),
        });
        return recall;
    }

    // ---- traces

    private sealed class HarvestRow
    {
        public string Id { get; init; } = "";
        public string Code { get; init; } = "";
        public string PlotId { get; init; } = "";
        public DateOnly PickedOn { get; init; }
        public string OrgId { get; init; } = "";
        public long FreshLeafG { get; init; }
    }

    private sealed class BatchRow
    {
        public string BatchId { get; init; } = "";
        public string Code { get; init; } = "";
        public string FactoryOrgId { get; init; } = "";
        public string FactoryName { get; init; } = "";
        public long LeafG { get; init; }
        public string Status { get; init; } = "";
    }

    private sealed class LotRow
    {
        public string LotId { get; init; } = "";
        public string Code { get; init; } = "";
        public string Gtin { get; init; } = "";
        public string ProductName { get; init; } = "";
        public long Units { get; init; }
        public long NetWeightG { get; init; }
    }

    public ForwardTrace? Forward(string harvestId)
    {
        using var connection = connections.Open();
        var harvest = connection.QuerySingleOrDefault<HarvestRow>(
            "SELECT h.id, h.code, h.plot_id, p.org_id, h.picked_on, h.fresh_leaf_g FROM harvests h JOIN plots p ON p.id = h.plot_id WHERE h.id = @Id OR h.code = @Id",
            new { Id = harvestId });
        if (harvest is null)
        {
            return null;
        }

        var batches = connection.Query<BatchRow>("""
            SELECT b.id AS batch_id, b.code, b.factory_org_id, o.name AS factory_name, bi.leaf_g, b.status
            FROM batch_inputs bi JOIN batches b ON b.id = bi.batch_id JOIN orgs o ON o.id = b.factory_org_id
            WHERE bi.harvest_id = @Id ORDER BY b.started_at
            """, new { harvest.Id }).ToList();
        var traced = batches.Select(b => new TraceBatch(b.BatchId, b.Code, b.FactoryOrgId, b.FactoryName, Weight.ToKg(b.LeafG), b.Status,
            connection.Query<LotRow>("SELECT id AS lot_id, code, gtin, product_name, unit_count AS units, net_weight_g FROM lots WHERE batch_id = @Id ORDER BY created_at", new { Id = b.BatchId })
                .Select(l => new TraceLot(l.LotId, l.Code, l.Gtin, l.ProductName, (int)l.Units, (int)l.NetWeightG, UnitsByStatus(connection, l.LotId)))
                .ToList())).ToList();
        var recalls = RecallReads.AllOfHarvest(connection, harvest.Id).ToList();
        return new ForwardTrace(harvest.Id, harvest.Code, harvest.PlotId, harvest.PickedOn, Weight.ToKg(harvest.FreshLeafG),
            Weight.ToKg(Custody.LeafHoldings.Of(connection, null, harvest.OrgId, harvest.Id).LeftG), traced, recalls);
    }

    private static Dictionary<string, int> UnitsByStatus(System.Data.IDbConnection connection, string lotId) =>
        connection.Query<(string Status, long Count)>("SELECT status, count(*) FROM units WHERE lot_id = @LotId GROUP BY status", new { LotId = lotId })
            .ToDictionary(r => r.Status, r => (int)r.Count);

    private sealed class UnitChain
    {
        public string Serial { get; init; } = "";
        public string Status { get; init; } = "";
        public string LotId { get; init; } = "";
        public string LotCode { get; init; } = "";
        public string Gtin { get; init; } = "";
        public string BatchId { get; init; } = "";
        public string BatchCode { get; init; } = "";
        public string FactoryOrgId { get; init; } = "";
        public string FactoryName { get; init; } = "";
    }

    private sealed class HarvestChain
    {
        public string HarvestId { get; init; } = "";
        public string Code { get; init; } = "";
        public DateOnly PickedOn { get; init; }
        public string PluckingStandard { get; init; } = "";
        public long LeafG { get; init; }
        public string PlotId { get; init; } = "";
        public string PlotName { get; init; } = "";
        public string Town { get; init; } = "";
        public string Cultivar { get; init; } = "";
        public bool GiEligible { get; init; }
        public string OrgId { get; init; } = "";
        public string OrgName { get; init; } = "";
    }

    private sealed class InputRow
    {
        public string Id { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Product { get; init; } = "";
        public string? ActiveIngredient { get; init; }
        public DateOnly AppliedOn { get; init; }
        public long? PhiDays { get; init; }
    }

    public BackwardTrace? Backward(string serial)
    {
        using var connection = connections.Open();
        var unit = connection.QuerySingleOrDefault<UnitChain>("""
            SELECT u.serial, u.status, l.id AS lot_id, l.code AS lot_code, l.gtin, b.id AS batch_id, b.code AS batch_code,
                   b.factory_org_id, o.name AS factory_name
            FROM units u JOIN lots l ON l.id = u.lot_id JOIN batches b ON b.id = l.batch_id JOIN orgs o ON o.id = b.factory_org_id
            WHERE u.serial = @Serial
            """, new { Serial = serial });
        if (unit is null)
        {
            return null;
        }

        var harvests = connection.Query<HarvestChain>("""
            SELECT h.id AS harvest_id, h.code, h.picked_on, h.plucking_standard, bi.leaf_g, p.id AS plot_id, p.name AS plot_name,
                   p.town, p.cultivar, p.gi_eligible, o.id AS org_id, o.name AS org_name
            FROM batch_inputs bi JOIN harvests h ON h.id = bi.harvest_id JOIN plots p ON p.id = h.plot_id JOIN orgs o ON o.id = p.org_id
            WHERE bi.batch_id = @BatchId ORDER BY h.picked_on
            """, new { unit.BatchId }).ToList();
        // The farm inputs that count for each harvest: those in force on its plot up to the picking day.
        var traced = harvests.Select(h => new TraceHarvest(h.HarvestId, h.Code, h.PickedOn, h.PluckingStandard, Weight.ToKg(h.LeafG), h.PlotId, h.PlotName,
            h.Town, h.Cultivar, h.GiEligible, h.OrgId, h.OrgName,
            connection.Query<InputRow>("""
                SELECT i.id, i.kind, i.product, i.active_ingredient, i.applied_on, i.phi_days FROM farm_inputs i
                WHERE i.plot_id = @PlotId AND i.applied_on <= @PickedOn AND NOT EXISTS (SELECT 1 FROM farm_inputs c WHERE c.corrects_id = i.id)
                ORDER BY i.applied_on
                """, new { h.PlotId, PickedOn = h.PickedOn })
                .Select(i => new TraceInput(i.Id, i.Kind, i.Product, i.ActiveIngredient, i.AppliedOn, (int?)i.PhiDays)).ToList())).ToList();
        var recalls = RecallReads.AllReachingLot(connection, unit.LotId).ToList();
        return new BackwardTrace(unit.Serial, unit.Status, unit.LotId, unit.LotCode, unit.Gtin, unit.BatchId, unit.BatchCode, unit.FactoryOrgId,
            unit.FactoryName, traced, recalls);
    }
}
