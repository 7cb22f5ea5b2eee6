using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using TeaTrace.Api.Common;

namespace TeaTrace.Api.Features.Gardens;

public sealed record CreatePlotRequest(
    [property: Required, StringLength(40)] string OrgId,
    [property: Required, StringLength(100, MinimumLength = 1)] string Name,
    [property: Required, StringLength(50, MinimumLength = 1)] string Town,
    [property: Required, StringLength(50, MinimumLength = 1)] string Cultivar,
    [property: Required, Range(0.01, 100000.0)] double? AreaMu,
    [property: Required, Range(-90.0, 90.0)] double? Latitude,
    [property: Required, Range(-180.0, 180.0)] double? Longitude,
    [property: Range(-500.0, 9000.0)] double? AltitudeM,
    [property: MaxLength(20)] IReadOnlyList<string>? Certifications,
    [property: StringLength(40)] string? MemberId = null);

internal sealed record PlotResponse(
    string Id,
    string OrgId,
    string Name,
    string Town,
    string Cultivar,
    double AreaMu,
    double Latitude,
    double Longitude,
    double? AltitudeM,
    IReadOnlyList<string> Certifications,
    bool GiEligible,
    IReadOnlyList<string> GiReasons,
    DateTimeOffset CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MemberId = null);

public sealed record CreateInputRequest(
    [property: Required, AllowedValues("fertilizer", "pesticide", "other", ErrorMessage = "{0} must be one of: fertilizer, pesticide, other.")] string Kind,
    [property: Required, StringLength(100, MinimumLength = 1)] string Product,
    [property: StringLength(100)] string? ActiveIngredient,
    [property: Required, StringLength(200, MinimumLength = 1)] string Source,
    [property: Required, Range(0.0001, 1000000.0)] double? Dose,
    [property: Required, StringLength(20, MinimumLength = 1)] string DoseUnit,
    [property: Required, StringLength(100, MinimumLength = 1)] string Method,
    [property: Required] DateOnly? AppliedOn,
    DateOnly? StoppedOn,
    [property: Range(0, 365)] int? PreHarvestIntervalDays,
    [property: StringLength(40)] string? CorrectsInputId);

internal sealed record InputResponse(
    string Id,
    string PlotId,
    string Kind,
    string Product,
    string? ActiveIngredient,
    string Source,
    double Dose,
    string DoseUnit,
    string Method,
    DateOnly AppliedOn,
    DateOnly? StoppedOn,
    int? PreHarvestIntervalDays,
    DateOnly? FirstHarvestOn,
    string? CorrectsInputId,
    string? CorrectedByInputId,
    DateTimeOffset CreatedAt);

public sealed record CreateHarvestRequest(
    [property: Required, StringLength(40)] string PlotId,
    [property: Required] DateOnly? PickedOn,
    [property: Required, AllowedValues("bud", "bud1leaf", "bud2leaves", "bud3leaves", ErrorMessage = "{0} must be one of: bud, bud1leaf, bud2leaves, bud3leaves.")] string PluckingStandard,
    [property: Required, Kilograms(100000)] decimal? FreshLeafKg);

internal sealed record HarvestResponse(
    string Id,
    string Code,
    string PlotId,
    string OrgId,
    DateOnly PickedOn,
    string PluckingStandard,
    decimal FreshLeafKg,
    decimal RemainingKg,
    bool GiEligible,
    string Cultivar,
    string Town,
    DateTimeOffset CreatedAt,
    decimal? HeldKg = null);
