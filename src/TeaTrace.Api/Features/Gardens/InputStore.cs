using Dapper;
using Microsoft.Extensions.Options;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Features.Processing;
using TeaTrace.Api.Idempotency;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Gardens;

/// <summary>Farm inputs (fertiliser, pesticide, other) applied to a plot; never edited, corrected by a new record.</summary>
internal sealed class InputStore(SqliteConnectionFactory connections, ILedgerWriter writer, TimeProvider clock, IOptionsMonitor<ProcessingOptions> processing)
{
    private const string InsertInput = """
        INSERT INTO farm_inputs (id, plot_id, kind, product, active_ingredient, source, dose, dose_unit, method, applied_on, stopped_on, phi_days, corrects_id, created_at)
        VALUES (@Id, @PlotId, @Kind, @Product, @ActiveIngredient, @Source, @Dose, @DoseUnit, @Method, @AppliedOn, @StoppedOn, @PreHarvestIntervalDays, @CorrectsInputId, @CreatedAt)
        """;

    private const string SelectInputs = """
        SELECT i.id, i.plot_id, i.kind, i.product, i.active_ingredient, i.source, i.dose, i.dose_unit, i.method,
               i.applied_on, i.stopped_on, i.phi_days, i.corrects_id, c.id AS corrected_by_id, i.created_at
        FROM farm_inputs i LEFT JOIN farm_inputs c ON c.corrects_id = i.id
        WHERE i.plot_id = @PlotId
        ORDER BY i.applied_on, i.created_at
        """;

    private const string SelectInput = "SELECT i.id, i.plot_id, (SELECT c.id FROM farm_inputs c WHERE c.corrects_id = i.id) AS corrected_by_id FROM farm_inputs i WHERE i.id = @Id";

    // Pesticides still in force: not replaced by a correction.
    private const string SelectPesticidesInForce = """
        SELECT i.id, i.product, i.applied_on, i.stopped_on, i.phi_days
        FROM farm_inputs i
        WHERE i.plot_id = @PlotId AND i.kind = 'pesticide'
          AND NOT EXISTS (SELECT 1 FROM farm_inputs c WHERE c.corrects_id = i.id)
        """;

    private sealed class InputRow
    {
        public string Id { get; init; } = "";
        public string PlotId { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Product { get; init; } = "";
        public string? ActiveIngredient { get; init; }
        public string Source { get; init; } = "";
        public double Dose { get; init; }
        public string DoseUnit { get; init; } = "";
        public string Method { get; init; } = "";
        public DateOnly AppliedOn { get; init; }
        public DateOnly? StoppedOn { get; init; }
        public long? PhiDays { get; init; }
        public string? CorrectsId { get; init; }
        public string? CorrectedById { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
    }

    private sealed class InputRef
    {
        public string Id { get; init; } = "";
        public string PlotId { get; init; } = "";
        public string? CorrectedById { get; init; }
    }

    private sealed class PesticideRow
    {
        public string Id { get; init; } = "";
        public string Product { get; init; } = "";
        public DateOnly AppliedOn { get; init; }
        public DateOnly? StoppedOn { get; init; }
        public long PhiDays { get; init; }
    }

    /// <summary>The pesticides in force on a plot, read inside a harvest's write.</summary>
    internal static IEnumerable<PesticideInForce> PesticidesInForce(LedgerTransaction tx, string plotId) =>
        tx.Query<PesticideRow>(SelectPesticidesInForce, new { PlotId = plotId })
            .Select(p => new PesticideInForce(p.Id, p.Product, p.AppliedOn, p.StoppedOn, (int)p.PhiDays));

    public Task<WriteResult<InputResponse>> CreateAsync(Caller caller, string plotId, CreateInputRequest request, Reply<InputResponse>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => Create(tx, caller, plotId, request), reply, cancellationToken);

    private WriteResult<InputResponse> Create(LedgerTransaction tx, Caller caller, string plotId, CreateInputRequest request)
    {
        var appliedOn = request.AppliedOn!.Value;
        if (request.Kind == "pesticide" && request.PreHarvestIntervalDays is null)
        {
            return GardenRefusals.PesticideNeedsInterval();
        }

        if (request.StoppedOn is { } stopped && stopped < appliedOn)
        {
            return GardenRefusals.StoppedBeforeApplied();
        }

        if (appliedOn > ChinaTime.Today(clock).AddDays(1))
        {
            return CommonRefusals.InTheFuture("appliedOn");
        }

        var plot = PlotStore.Row(tx.Connection, tx.Transaction, plotId);
        if (plot is null)
        {
            return Refusal.NotFound(Noun.Plot, plotId);
        }

        if (!caller.ActsFor(plot.OrgId))
        {
            return CommonRefusals.OtherOrganisations(Noun.Plot);
        }

        if (request.Kind == "pesticide" && FindBanned(request) is { } banned)
        {
            return GardenRefusals.BannedOnTea(banned);
        }

        if (request.CorrectsInputId is { Length: > 0 } correctsId)
        {
            var corrected = tx.QuerySingleOrDefault<InputRef>(SelectInput, new { Id = correctsId });
            if (corrected is null || corrected.PlotId != plotId)
            {
                return GardenRefusals.UnknownInputToCorrect(correctsId);
            }

            if (corrected.CorrectedById is not null)
            {
                return GardenRefusals.InputAlreadyCorrected(correctsId, corrected.CorrectedById);
            }
        }

        var phi = request.Kind == "pesticide" ? request.PreHarvestIntervalDays : null;
        var input = new InputResponse(Ids.New("inp"), plotId, request.Kind, request.Product.Trim(), Blank(request.ActiveIngredient),
            request.Source.Trim(), request.Dose!.Value, request.DoseUnit.Trim(), request.Method.Trim(), appliedOn, request.StoppedOn,
            phi, phi is { } days ? (request.StoppedOn ?? appliedOn).AddDays(days) : null,
            Blank(request.CorrectsInputId), null, tx.Now);
        tx.Execute(InsertInput, input);
        tx.Append(EntryTypes.InputRecorded, input.Id, caller, input);
        return input;
    }

    private string? FindBanned(CreateInputRequest request)
    {
        var names = new[] { request.Product, request.ActiveIngredient ?? "" };
        return processing.CurrentValue.EffectiveBannedPesticides
            .FirstOrDefault(banned => names.Any(n => n.Contains(banned, StringComparison.OrdinalIgnoreCase)));
    }

    public IReadOnlyList<InputResponse> List(string plotId)
    {
        using var connection = connections.Open();
        return connection.Query<InputRow>(SelectInputs, new { PlotId = plotId }).Select(r => new InputResponse(
            r.Id, r.PlotId, r.Kind, r.Product, r.ActiveIngredient, r.Source, r.Dose, r.DoseUnit, r.Method, r.AppliedOn, r.StoppedOn,
            (int?)r.PhiDays, r.PhiDays is { } days ? (r.StoppedOn ?? r.AppliedOn).AddDays((int)days) : null,
            r.CorrectsId, r.CorrectedById, r.CreatedAt)).ToList();
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
