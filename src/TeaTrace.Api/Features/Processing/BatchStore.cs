using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Features.Custody;
using TeaTrace.Api.Features.Gardens;
using TeaTrace.Api.Features.Orgs;
using TeaTrace.Api.Features.Recalls;
using TeaTrace.Api.Idempotency;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Processing;

/// <summary>Batches started from harvested leaf, by weight, never taking more than a harvest has left.</summary>
internal sealed class BatchStore(SqliteConnectionFactory connections, ILedgerWriter writer)
{
    private const string InsertBatch = """
        INSERT INTO batches (id, code, factory_org_id, started_at, claims_gi, fresh_leaf_g, created_at)
        VALUES (@Id, @Code, @FactoryOrgId, @StartedAt, @ClaimsGi, @FreshLeafG, @CreatedAt)
        """;

    private const string InsertBatchInput = "INSERT INTO batch_inputs (batch_id, harvest_id, leaf_g) VALUES (@BatchId, @HarvestId, @LeafG)";

    private const string CodeExists = "SELECT EXISTS (SELECT 1 FROM batches WHERE code = @Code)";

    public Task<WriteResult<BatchResponse>> CreateAsync(Caller caller, CreateBatchRequest request, Reply<BatchResponse>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => Create(tx, caller, request), reply, cancellationToken);

    private static WriteResult<BatchResponse> Create(LedgerTransaction tx, Caller caller, CreateBatchRequest request)
    {
        var startedAt = request.StartedAt!.Value;
        if (startedAt > tx.Now + BatchLimits.ClockSkew)
        {
            return CommonRefusals.InTheFuture("startedAt");
        }

        var duplicate = request.Inputs.GroupBy(i => i.HarvestId).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            return ProcessingRefusals.HarvestListedTwice(duplicate.Key);
        }

        var factory = OrgReads.Find(tx, request.FactoryOrgId);
        if (factory is null)
        {
            return Refusal.NotFound(Noun.Organisation, request.FactoryOrgId);
        }

        if (!caller.ActsFor(factory.Id))
        {
            return ProcessingRefusals.OwnFactoryOnly();
        }

        if (factory.Kind != "factory")
        {
            return ProcessingRefusals.NotAFactory(factory.Name, factory.Kind);
        }

        var inputs = new List<(HarvestForBatch Harvest, long Grams)>();
        foreach (var input in request.Inputs)
        {
            var harvest = HarvestReads.ForBatch(tx, input.HarvestId);
            if (harvest is null)
            {
                return Refusal.NotFound(Noun.Harvest, input.HarvestId);
            }

            if (RecallReads.OfHarvest(tx, harvest.Id) is { } recallId)
            {
                return ProcessingRefusals.RecalledLeaf(harvest.Id, harvest.Code, recallId);
            }

            // A factory draws only leaf it holds: received by a hand-over (or drawn before hand-overs were recorded).
            var grams = Weight.ToGrams(input.Kg!.Value);
            var holding = LeafHoldings.Of(tx.Connection, tx.Transaction, factory.Id, harvest.Id);
            if (grams > holding.LeftG)
            {
                return ProcessingRefusals.NotEnoughReceived(harvest.Id, harvest.Code, Weight.ToKg(holding.CameG), Weight.ToKg(Math.Max(0, holding.LeftG)), input.Kg.Value);
            }

            if (request.ClaimsGi == true && !harvest.GiEligible)
            {
                return ProcessingRefusals.GiSegregation(harvest.Id, harvest.Code, harvest.PlotId, harvest.Cultivar);
            }

            if (ChinaTime.DateOf(startedAt) < harvest.PickedOn)
            {
                return ProcessingRefusals.LeafNotYetPicked(harvest.Id, harvest.Code, harvest.PickedOn);
            }

            inputs.Add((harvest, grams));
        }

        var id = Ids.New("bat");
        tx.Execute(InsertBatch, new
        {
            Id = id,
            Code = UniqueCodes.Draw(tx, CodeExists, () => Ids.Code('B')),
            FactoryOrgId = factory.Id,
            StartedAt = startedAt,
            ClaimsGi = request.ClaimsGi!.Value,
            FreshLeafG = inputs.Sum(i => i.Grams),
            CreatedAt = tx.Now,
        });
        foreach (var (harvest, grams) in inputs)
        {
            tx.Execute(InsertBatchInput, new { BatchId = id, HarvestId = harvest.Id, LeafG = grams });
        }

        var response = BatchReads.Load(tx.Connection, tx.Transaction, id)!;
        tx.Append(EntryTypes.BatchStarted, id, caller, new
        {
            response.Id,
            response.Code,
            response.FactoryOrgId,
            response.StartedAt,
            response.ClaimsGi,
            response.FreshLeafKg,
            Inputs = response.Inputs.Select(i => new { i.HarvestId, i.HarvestCode, i.Kg }),
        });
        return response;
    }

    public BatchResponse? Find(string idOrCode)
    {
        using var connection = connections.Open();
        return BatchReads.Find(connection, idOrCode);
    }
}
