using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Idempotency;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Gardens;

/// <summary>Harvests of fresh leaf from a plot, refused inside a pesticide's pre-harvest interval.</summary>
internal sealed class HarvestStore(SqliteConnectionFactory connections, ILedgerWriter writer, TimeProvider clock)
{
    private const string InsertHarvest = """
        INSERT INTO harvests (id, code, plot_id, picked_on, plucking_standard, fresh_leaf_g, created_at)
        VALUES (@Id, @Code, @PlotId, @PickedOn, @PluckingStandard, @FreshLeafG, @CreatedAt)
        """;

    private const string CodeExists = "SELECT EXISTS (SELECT 1 FROM harvests WHERE code = @Code)";

    public Task<WriteResult<HarvestResponse>> CreateAsync(Caller caller, CreateHarvestRequest request, Reply<HarvestResponse>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => Record(tx, caller, request), reply, cancellationToken);

    /// <summary>
    /// A harvest recorded inside a write: its own, or a cooperative's collection of a member's leaf, which records the
    /// harvest and the purchase in one transaction under the same rules.
    /// </summary>
    internal WriteResult<HarvestResponse> Record(LedgerTransaction tx, Caller caller, CreateHarvestRequest request)
    {
        var pickedOn = request.PickedOn!.Value;
        if (pickedOn > ChinaTime.Today(clock).AddDays(1))
        {
            return CommonRefusals.InTheFuture("pickedOn");
        }

        var plot = PlotStore.Row(tx.Connection, tx.Transaction, request.PlotId);
        if (plot is null)
        {
            return Refusal.NotFound(Noun.Plot, request.PlotId);
        }

        if (!caller.ActsFor(plot.OrgId))
        {
            return CommonRefusals.OtherOrganisations(Noun.Plot);
        }

        var blocking = PreHarvestInterval.Blocking(InputStore.PesticidesInForce(tx, plot.Id), pickedOn);
        if (blocking.Count > 0)
        {
            return GardenRefusals.InsidePreHarvestInterval(blocking[0], blocking);
        }

        var grams = Weight.ToGrams(request.FreshLeafKg!.Value);
        var harvest = new HarvestReads.HarvestRow
        {
            Id = Ids.New("hv"),
            Code = UniqueCodes.Draw(tx, CodeExists, () => Ids.Code('H')),
            PlotId = plot.Id,
            OrgId = plot.OrgId,
            PickedOn = pickedOn,
            PluckingStandard = request.PluckingStandard,
            FreshLeafG = grams,
            RemainingG = grams,
            GiEligible = plot.GiEligible,
            Cultivar = plot.Cultivar,
            Town = plot.Town,
            CreatedAt = tx.Now,
        };
        tx.Execute(InsertHarvest, harvest);
        var response = harvest.ToResponse();
        tx.Append(EntryTypes.HarvestRecorded, harvest.Id, caller, response);
        return response;
    }

    /// <summary>How much of a harvest's leaf an organisation other than its grower holds (received, not yet used).</summary>
    public decimal HeldBy(string orgId, string harvestId)
    {
        using var connection = connections.Open();
        return Weight.ToKg(Math.Max(0, Custody.LeafHoldings.Of(connection, null, orgId, harvestId).LeftG));
    }

    public HarvestResponse? Find(string idOrCode)
    {
        using var connection = connections.Open();
        return HarvestReads.Find(connection, idOrCode)?.ToResponse();
    }
}
