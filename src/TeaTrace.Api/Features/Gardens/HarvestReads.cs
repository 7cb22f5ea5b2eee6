using System.Data;
using Dapper;
using TeaTrace.Api.Common;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Gardens;

/// <summary>A harvest as other features need it: its leaf left, its plot's GI status and cultivar.</summary>
internal sealed record HarvestForBatch(string Id, string Code, string PlotId, string OrgId, DateOnly PickedOn, bool GiEligible, string Cultivar);

/// <summary>Named reads of harvests, for this feature and the features that take its leaf.</summary>
internal static class HarvestReads
{
    private const string Columns = """
        h.id, h.code, h.plot_id, p.org_id, h.picked_on, h.plucking_standard, h.fresh_leaf_g,
        p.gi_eligible, p.cultivar, p.town, h.created_at
        """;

    private const string SelectById = $"SELECT {Columns} FROM harvests h JOIN plots p ON p.id = h.plot_id WHERE h.id = @Id";

    private const string SelectByCode = $"SELECT {Columns} FROM harvests h JOIN plots p ON p.id = h.plot_id WHERE h.code = @Code";

    internal sealed class HarvestRow
    {
        public string Id { get; init; } = "";
        public string Code { get; init; } = "";
        public string PlotId { get; init; } = "";
        public string OrgId { get; init; } = "";
        public DateOnly PickedOn { get; init; }
        public string PluckingStandard { get; init; } = "";
        public long FreshLeafG { get; init; }
        public long RemainingG { get; set; }
        public bool GiEligible { get; init; }
        public string Cultivar { get; init; } = "";
        public string Town { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }

        public HarvestResponse ToResponse() => new(Id, Code, PlotId, OrgId, PickedOn, PluckingStandard,
            Weight.ToKg(FreshLeafG), Weight.ToKg(RemainingG), GiEligible, Cultivar, Town, CreatedAt);
    }

    /// <summary>The harvest a batch would take leaf from, read inside the batch's write; null when there is none.</summary>
    public static HarvestForBatch? ForBatch(LedgerTransaction tx, string id) =>
        tx.QuerySingleOrDefault<HarvestRow>(SelectById, new { Id = id }) is { } h
            ? new HarvestForBatch(h.Id, h.Code, h.PlotId, h.OrgId, h.PickedOn, h.GiEligible, h.Cultivar)
            : null;

    /// <summary>By id, or by the code on its tag, with the leaf its grower has left (unsold, and not drawn before sales were recorded).</summary>
    internal static HarvestRow? Find(IDbConnection connection, string idOrCode)
    {
        var row = connection.QuerySingleOrDefault<HarvestRow>(SelectById, new { Id = idOrCode })
            ?? connection.QuerySingleOrDefault<HarvestRow>(SelectByCode, new { Code = idOrCode.ToUpperInvariant() });
        if (row is not null)
        {
            row.RemainingG = Custody.LeafHoldings.Of(connection, null, row.OrgId, row.Id).LeftG;
        }

        return row;
    }
}
