using System.ComponentModel.DataAnnotations;

namespace TeaTrace.Api.Features.Residues;

/// <summary>
/// One line of a report. A laboratory line names a pesticide (and its active ingredient, if the report gives one)
/// with mgPerKg or notDetected: true; a rapid line names a class with its inhibitionPct (and the pass the strip gave).
/// </summary>
public sealed record ResidueResultRequest(
    [property: StringLength(60, MinimumLength = 1)] string? Pesticide,
    [property: StringLength(60, MinimumLength = 1)] string? ActiveIngredient,
    [property: Range(0.0, 100000.0)] decimal? MgPerKg,
    bool? NotDetected,
    [property: StringLength(60, MinimumLength = 1)] string? Class,
    [property: Range(0.0, 100.0)] double? InhibitionPct,
    bool? Pass);

public sealed record CreateResidueTestRequest(
    [property: Required, StringLength(40)] string PlotId,
    [property: StringLength(40)] string? HarvestId,
    [property: Required] DateOnly? SampledOn,
    [property: Required, AllowedValues("rapid", "lab", ErrorMessage = "{0} must be one of: rapid, lab.")] string Method,
    [property: StringLength(60, MinimumLength = 1)] string? ReportNo,
    [property: Required, MinLength(1), MaxLength(100)] IReadOnlyList<ResidueResultRequest> Results,
    [property: StringLength(40)] string? LotId,
    [property: StringLength(100, MinimumLength = 1)] string? PlanLineId);

/// <summary>A pesticide found above its limit; a banned one has limit 0.</summary>
internal sealed record ExceedanceResponse(string Pesticide, decimal MgPerKg, decimal LimitMgPerKg);

/// <summary>A line as judged: lab lines carry the limit applied and whether the pesticide is banned; rapid lines the class.</summary>
internal sealed record ResidueResultResponse(
    string? Pesticide,
    string? ActiveIngredient,
    decimal? MgPerKg,
    bool? NotDetected,
    decimal? LimitMgPerKg,
    bool? Banned,
    string? Class,
    double? InhibitionPct,
    bool Pass);

internal sealed record ResidueTestResponse(
    string Id,
    string PlotId,
    string? HarvestId,
    DateOnly SampledOn,
    string Method,
    string Kind,
    string? ReportNo,
    string Verdict,
    IReadOnlyList<ExceedanceResponse> Exceedances,
    IReadOnlyList<ResidueResultResponse> Results,
    string RecordedByOrgId,
    string? LotId,
    string? PlanLineId,
    string LimitsSource,
    DateTimeOffset CreatedAt);
