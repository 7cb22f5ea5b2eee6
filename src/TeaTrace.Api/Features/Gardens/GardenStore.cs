using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Features.Orgs;
using TeaTrace.Api.Idempotency;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Gardens;

/// <summary>Plots, farm inputs and harvests: the farmer's records. Writes go through the ledger writer.</summary>
internal sealed class GardenStore(
    SqliteConnectionFactory connections,
    ILedgerWriter writer,
    TimeProvider clock,
    IOptionsMonitor<GiOptions> gi,
    IOptionsMonitor<ProcessingOptions> processing)
{
    private const string InsertPlot = """
        INSERT INTO plots (id, org_id, name, town, cultivar, area_mu, latitude, longitude, altitude_m, certifications, gi_eligible, created_at)
        VALUES (@Id, @OrgId, @Name, @Town, @Cultivar, @AreaMu, @Latitude, @Longitude, @AltitudeM, @Certifications, @GiEligible, @CreatedAt)
        """;

    private const string PlotColumns = "id, org_id, name, town, cultivar, area_mu, latitude, longitude, altitude_m, certifications, gi_eligible, created_at";

    private const string SelectPlot = $"SELECT {PlotColumns} FROM plots WHERE id = @Id";

    private const string SelectPlotsByOrg = $"SELECT {PlotColumns} FROM plots WHERE org_id = @OrgId ORDER BY created_at, id LIMIT @Limit OFFSET @Offset";

    private const string SelectAllPlots = $"SELECT {PlotColumns} FROM plots ORDER BY created_at, id LIMIT @Limit OFFSET @Offset";

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

    private const string InsertHarvest = """
        INSERT INTO harvests (id, code, plot_id, picked_on, plucking_standard, fresh_leaf_g, created_at)
        VALUES (@Id, @Code, @PlotId, @PickedOn, @PluckingStandard, @FreshLeafG, @CreatedAt)
        """;

    internal const string HarvestColumns = """
        h.id, h.code, h.plot_id, p.org_id, h.picked_on, h.plucking_standard, h.fresh_leaf_g,
        h.fresh_leaf_g - COALESCE((SELECT SUM(bi.leaf_g) FROM batch_inputs bi WHERE bi.harvest_id = h.id), 0) AS remaining_g,
        p.gi_eligible, p.cultivar, p.town, h.created_at
        """;

    internal const string SelectHarvest = $"SELECT {HarvestColumns} FROM harvests h JOIN plots p ON p.id = h.plot_id WHERE h.id = @Id";

    private const string SelectHarvestByCode = $"SELECT {HarvestColumns} FROM harvests h JOIN plots p ON p.id = h.plot_id WHERE h.code = @Code";

    private const string CodeExists = "SELECT EXISTS (SELECT 1 FROM harvests WHERE code = @Code)";

    internal sealed class PlotRow
    {
        public string Id { get; init; } = "";
        public string OrgId { get; init; } = "";
        public string Name { get; init; } = "";
        public string Town { get; init; } = "";
        public string Cultivar { get; init; } = "";
        public double AreaMu { get; init; }
        public double Latitude { get; init; }
        public double Longitude { get; init; }
        public double? AltitudeM { get; init; }
        public string Certifications { get; init; } = "[]";
        public bool GiEligible { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
    }

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

        public DateOnly FirstHarvestOn => (StoppedOn ?? AppliedOn).AddDays((int)PhiDays);
    }

    internal sealed class HarvestRow
    {
        public string Id { get; init; } = "";
        public string Code { get; init; } = "";
        public string PlotId { get; init; } = "";
        public string OrgId { get; init; } = "";
        public DateOnly PickedOn { get; init; }
        public string PluckingStandard { get; init; } = "";
        public long FreshLeafG { get; init; }
        public long RemainingG { get; init; }
        public bool GiEligible { get; init; }
        public string Cultivar { get; init; } = "";
        public string Town { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }

        public HarvestResponse ToResponse() => new(Id, Code, PlotId, OrgId, PickedOn, PluckingStandard,
            Weight.ToKg(FreshLeafG), Weight.ToKg(RemainingG), GiEligible, Cultivar, Town, CreatedAt);
    }

    // ---- plots

    public Task<WriteResult<PlotResponse>> CreatePlotAsync(Caller caller, CreatePlotRequest request, Reply<PlotResponse>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => CreatePlot(tx, caller, request), reply, cancellationToken);

    private WriteResult<PlotResponse> CreatePlot(LedgerTransaction tx, Caller caller, CreatePlotRequest request)
    {
        var certifications = (request.Certifications ?? []).Select(c => c?.Trim() ?? "").ToList();
        if (certifications.Any(c => c.Length is 0 or > 100))
        {
            return Refusal.Invalid("certifications", "Each certification is 1 to 100 characters.");
        }

        var org = OrgStore.FindOrg(tx, request.OrgId);
        if (org is null)
        {
            return Refusal.NotFound("organisation", request.OrgId);
        }

        if (!caller.ActsFor(org.Id))
        {
            return Refusal.Forbidden("A farmer records plots only for their own organisation.");
        }

        if (org.Kind is not ("farm" or "cooperative"))
        {
            return Refusal.Rule("Not a tea garden", $"Plots belong to farms and cooperatives; '{org.Name}' is a {org.Kind}.");
        }

        var options = gi.CurrentValue;
        var cultivar = request.Cultivar.Trim();
        var reasons = new List<string>();
        if (!options.InArea(request.Latitude!.Value, request.Longitude!.Value))
        {
            reasons.Add("outside the Yingde black tea GI area");
        }

        if (!options.IsGiCultivar(cultivar))
        {
            reasons.Add($"'{cultivar}' is not a GI cultivar");
        }

        var plot = new PlotResponse(Ids.New("plt"), org.Id, request.Name.Trim(), request.Town.Trim(), cultivar,
            request.AreaMu!.Value, request.Latitude.Value, request.Longitude.Value, request.AltitudeM,
            certifications, reasons.Count == 0, reasons, tx.Now);
        tx.Execute(InsertPlot, new
        {
            plot.Id,
            plot.OrgId,
            plot.Name,
            plot.Town,
            plot.Cultivar,
            plot.AreaMu,
            plot.Latitude,
            plot.Longitude,
            plot.AltitudeM,
            Certifications = JsonSerializer.Serialize(plot.Certifications, LedgerEntry.DataJson),
            plot.GiEligible,
            plot.CreatedAt,
        });
        tx.Append("plot.registered", plot.Id, caller.KeyId, plot);
        return plot;
    }

    public PlotResponse? FindPlot(string id)
    {
        using var connection = connections.Open();
        var row = connection.QuerySingleOrDefault<PlotRow>(SelectPlot, new { Id = id });
        return row is null ? null : ToResponse(row);
    }

    public IReadOnlyList<PlotResponse> ListPlots(string? orgId, int offset, int limit)
    {
        using var connection = connections.Open();
        var rows = orgId is null
            ? connection.Query<PlotRow>(SelectAllPlots, new { Offset = offset, Limit = limit })
            : connection.Query<PlotRow>(SelectPlotsByOrg, new { OrgId = orgId, Offset = offset, Limit = limit });
        return rows.Select(ToResponse).ToList();
    }

    private PlotResponse ToResponse(PlotRow row)
    {
        var options = gi.CurrentValue;
        var reasons = new List<string>();
        if (!row.GiEligible)
        {
            // Eligibility was fixed when the plot was registered; the reasons are restated against today's settings.
            if (!options.InArea(row.Latitude, row.Longitude))
            {
                reasons.Add("outside the Yingde black tea GI area");
            }

            if (!options.IsGiCultivar(row.Cultivar))
            {
                reasons.Add($"'{row.Cultivar}' is not a GI cultivar");
            }
        }

        return new PlotResponse(row.Id, row.OrgId, row.Name, row.Town, row.Cultivar, row.AreaMu, row.Latitude, row.Longitude,
            row.AltitudeM, JsonSerializer.Deserialize<List<string>>(row.Certifications) ?? [], row.GiEligible, reasons, row.CreatedAt);
    }

    // ---- farm inputs

    public Task<WriteResult<InputResponse>> CreateInputAsync(Caller caller, string plotId, CreateInputRequest request, Reply<InputResponse>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => CreateInput(tx, caller, plotId, request), reply, cancellationToken);

    private WriteResult<InputResponse> CreateInput(LedgerTransaction tx, Caller caller, string plotId, CreateInputRequest request)
    {
        var appliedOn = request.AppliedOn!.Value;
        if (request.Kind == "pesticide" && request.PreHarvestIntervalDays is null)
        {
            return Refusal.Invalid("preHarvestIntervalDays", "A pesticide needs its pre-harvest interval in days.");
        }

        if (request.StoppedOn is { } stopped && stopped < appliedOn)
        {
            return Refusal.Invalid("stoppedOn", "stoppedOn cannot be before appliedOn.");
        }

        if (appliedOn > ChinaTime.Today(clock).AddDays(1))
        {
            return Refusal.Invalid("appliedOn", "appliedOn cannot be in the future.");
        }

        var plot = tx.QuerySingleOrDefault<PlotRow>(SelectPlot, new { Id = plotId });
        if (plot is null)
        {
            return Refusal.NotFound("plot", plotId);
        }

        if (!caller.ActsFor(plot.OrgId))
        {
            return Refusal.Forbidden("This plot belongs to another organisation.");
        }

        if (request.Kind == "pesticide" && FindBanned(request) is { } banned)
        {
            return Refusal.Rule("Pesticide banned on tea",
                $"'{banned}' is banned on tea and cannot be recorded as used on a tea garden.",
                new Dictionary<string, object?> { ["banned"] = banned });
        }

        if (request.CorrectsInputId is { Length: > 0 } correctsId)
        {
            var corrected = tx.QuerySingleOrDefault<InputRef>(SelectInput, new { Id = correctsId });
            if (corrected is null || corrected.PlotId != plotId)
            {
                return Refusal.Rule("Unknown record to correct", $"This plot has no farm input '{correctsId}' to correct.");
            }

            if (corrected.CorrectedById is not null)
            {
                return Refusal.Conflict($"Farm input '{correctsId}' was already corrected by '{corrected.CorrectedById}'; correct that record instead.");
            }
        }

        var phi = request.Kind == "pesticide" ? request.PreHarvestIntervalDays : null;
        var input = new InputResponse(Ids.New("inp"), plotId, request.Kind, request.Product.Trim(), Blank(request.ActiveIngredient),
            request.Source.Trim(), request.Dose!.Value, request.DoseUnit.Trim(), request.Method.Trim(), appliedOn, request.StoppedOn,
            phi, phi is { } days ? (request.StoppedOn ?? appliedOn).AddDays(days) : null,
            Blank(request.CorrectsInputId), null, tx.Now);
        tx.Execute(InsertInput, input);
        tx.Append("input.recorded", input.Id, caller.KeyId, input);
        return input;
    }

    private string? FindBanned(CreateInputRequest request)
    {
        var names = new[] { request.Product, request.ActiveIngredient ?? "" };
        return processing.CurrentValue.EffectiveBannedPesticides
            .FirstOrDefault(banned => names.Any(n => n.Contains(banned, StringComparison.OrdinalIgnoreCase)));
    }

    public IReadOnlyList<InputResponse> ListInputs(string plotId)
    {
        using var connection = connections.Open();
        return connection.Query<InputRow>(SelectInputs, new { PlotId = plotId }).Select(r => new InputResponse(
            r.Id, r.PlotId, r.Kind, r.Product, r.ActiveIngredient, r.Source, r.Dose, r.DoseUnit, r.Method, r.AppliedOn, r.StoppedOn,
            (int?)r.PhiDays, r.PhiDays is { } days ? (r.StoppedOn ?? r.AppliedOn).AddDays((int)days) : null,
            r.CorrectsId, r.CorrectedById, r.CreatedAt)).ToList();
    }

    // ---- harvests

    public Task<WriteResult<HarvestResponse>> CreateHarvestAsync(Caller caller, CreateHarvestRequest request, Reply<HarvestResponse>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => CreateHarvest(tx, caller, request), reply, cancellationToken);

    private WriteResult<HarvestResponse> CreateHarvest(LedgerTransaction tx, Caller caller, CreateHarvestRequest request)
    {
        var pickedOn = request.PickedOn!.Value;
        if (pickedOn > ChinaTime.Today(clock).AddDays(1))
        {
            return Refusal.Invalid("pickedOn", "pickedOn cannot be in the future.");
        }

        var plot = tx.QuerySingleOrDefault<PlotRow>(SelectPlot, new { Id = request.PlotId });
        if (plot is null)
        {
            return Refusal.NotFound("plot", request.PlotId);
        }

        if (!caller.ActsFor(plot.OrgId))
        {
            return Refusal.Forbidden("This plot belongs to another organisation.");
        }

        // Inside a pre-harvest interval: applied on or before the picking day, and the interval not yet over.
        var blocking = tx.Query<PesticideRow>(SelectPesticidesInForce, new { PlotId = plot.Id })
            .Where(p => p.AppliedOn <= pickedOn && pickedOn < p.FirstHarvestOn)
            .OrderByDescending(p => p.FirstHarvestOn)
            .ToList();
        if (blocking.Count > 0)
        {
            var first = blocking[0];
            return Refusal.Rule("Inside a pre-harvest interval",
                $"'{first.Product}' (farm input {first.Id}) was applied to this plot on {TypeHandlers.Format(first.StoppedOn ?? first.AppliedOn)} with a pre-harvest interval of {first.PhiDays} days; the first allowed harvest date is {TypeHandlers.Format(first.FirstHarvestOn)}.",
                new Dictionary<string, object?>
                {
                    ["inputId"] = first.Id,
                    ["product"] = first.Product,
                    ["firstAllowedDate"] = TypeHandlers.Format(first.FirstHarvestOn),
                    ["blockingInputs"] = blocking.Select(b => new { inputId = b.Id, product = b.Product, firstAllowedDate = TypeHandlers.Format(b.FirstHarvestOn) }).ToList(),
                });
        }

        var grams = Weight.ToGrams(request.FreshLeafKg!.Value);
        var harvest = new HarvestRow
        {
            Id = Ids.New("hv"),
            Code = UniqueCode(tx),
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
        tx.Append("harvest.recorded", harvest.Id, caller.KeyId, response);
        return response;
    }

    private static string UniqueCode(LedgerTransaction tx)
    {
        while (true)
        {
            var code = Ids.Code('H');
            if (!tx.ExecuteScalar<bool>(CodeExists, new { Code = code }))
            {
                return code;
            }
        }
    }

    public HarvestResponse? FindHarvest(string idOrCode)
    {
        using var connection = connections.Open();
        var row = connection.QuerySingleOrDefault<HarvestRow>(SelectHarvest, new { Id = idOrCode })
            ?? connection.QuerySingleOrDefault<HarvestRow>(SelectHarvestByCode, new { Code = idOrCode.ToUpperInvariant() });
        return row?.ToResponse();
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
