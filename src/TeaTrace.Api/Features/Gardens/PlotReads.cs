using System.Data;
using Dapper;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Gardens;

/// <summary>A plot as other features need it: whose it is, what it is called, and the cooperative member who farms it.</summary>
internal sealed record PlotRef(string Id, string OrgId, string Name, string? MemberId = null);

/// <summary>A pesticide applied to a plot and not since corrected: its active ingredient (or product) and its days of use.</summary>
internal sealed record PesticideApplied(string InputId, string Product, string? ActiveIngredient, DateOnly AppliedOn, DateOnly? StoppedOn);

/// <summary>Named reads of plots and what was sprayed on them, for the features that test and sell their leaf.</summary>
internal static class PlotReads
{
    private const string SelectPlot = "SELECT id, org_id, name, member_id FROM plots WHERE id = @Id";

    // Pesticides whose days of use overlap [From, To], leaving out records replaced by a correction.
    private const string SelectPesticidesApplied = """
        SELECT i.id AS input_id, i.product, i.active_ingredient, i.applied_on, i.stopped_on
        FROM farm_inputs i
        WHERE i.plot_id = @PlotId AND i.kind = 'pesticide'
          AND i.applied_on <= @To AND COALESCE(i.stopped_on, i.applied_on) >= @From
          AND NOT EXISTS (SELECT 1 FROM farm_inputs c WHERE c.corrects_id = i.id)
        ORDER BY i.applied_on, i.id
        """;

    private sealed class PlotRow
    {
        public string Id { get; init; } = "";
        public string OrgId { get; init; } = "";
        public string Name { get; init; } = "";
        public string? MemberId { get; init; }
    }

    private sealed class PesticideRow
    {
        public string InputId { get; init; } = "";
        public string Product { get; init; } = "";
        public string? ActiveIngredient { get; init; }
        public DateOnly AppliedOn { get; init; }
        public DateOnly? StoppedOn { get; init; }
    }

    public static PlotRef? Find(LedgerTransaction tx, string id) => Find(tx.Connection, tx.Transaction, id);

    public static PlotRef? Find(IDbConnection connection, IDbTransaction? transaction, string id) =>
        connection.QuerySingleOrDefault<PlotRow>(SelectPlot, new { Id = id }, transaction) is { } row ? new PlotRef(row.Id, row.OrgId, row.Name, row.MemberId) : null;

    /// <summary>The pesticides used on a plot on any day from <paramref name="from"/> to <paramref name="to"/>, read inside a write.</summary>
    public static IReadOnlyList<PesticideApplied> PesticidesApplied(LedgerTransaction tx, string plotId, DateOnly from, DateOnly to) =>
        tx.Query<PesticideRow>(SelectPesticidesApplied, new { PlotId = plotId, From = Data.TypeHandlers.Format(from), To = Data.TypeHandlers.Format(to) })
            .Select(r => new PesticideApplied(r.InputId, r.Product, r.ActiveIngredient, r.AppliedOn, r.StoppedOn)).ToList();
}
