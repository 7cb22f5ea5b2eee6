using System.ComponentModel.DataAnnotations;
using TeaTrace.Api.Common;

namespace TeaTrace.Api.Features.Processing;

public sealed record BatchInputRequest(
    [property: Required, StringLength(40)] string HarvestId,
    [property: Required, Kilograms(100000)] decimal? Kg);

public sealed record CreateBatchRequest(
    [property: Required, StringLength(40)] string FactoryOrgId,
    [property: Required] DateTimeOffset? StartedAt,
    [property: Required] bool? ClaimsGi,
    [property: Required, MinLength(1), MaxLength(200)] IReadOnlyList<BatchInputRequest> Inputs);

public sealed record ReadingRequest(
    [property: Required] DateTimeOffset? At,
    [property: Required, Range(-40.0, 300.0)] double? TemperatureC,
    [property: Required, Range(0.0, 100.0)] double? HumidityPct);

public sealed record RecordStepRequest(
    [property: Required, AllowedValues("withering", "rolling", "fermentation", "drying", ErrorMessage = "{0} must be one of: withering, rolling, fermentation, drying.")] string Step,
    [property: Required] DateTimeOffset? StartedAt,
    [property: Required] DateTimeOffset? EndedAt,
    [property: MaxLength(BatchLimits.MaxReadings)] IReadOnlyList<ReadingRequest>? Readings);

public sealed record BulkReadingRequest(
    [property: Required] DateTimeOffset? At,
    [property: Required, AllowedValues("withering", "rolling", "fermentation", "drying", ErrorMessage = "{0} must be one of: withering, rolling, fermentation, drying.")] string Step,
    [property: Required, Range(-40.0, 300.0)] double? TemperatureC,
    [property: Required, Range(0.0, 100.0)] double? HumidityPct);

public sealed record CompleteBatchRequest(
    [property: Required] DateTimeOffset? CompletedAt,
    [property: Required, Kilograms(100000)] decimal? MadeTeaKg,
    [property: Required, StringLength(40)] string Style,
    [property: Required, StringLength(40)] string Grade,
    [property: Range(0.0, 100.0)] double? MoisturePct,
    [property: StringLength(500)] string? OverrideReason);

internal static class BatchLimits
{
    public const int MaxReadings = 5000;

    /// <summary>Readings per ledger entry: at most about 130 bytes each, so an entry stays well inside the entry size limit.</summary>
    public const int ReadingsPerEntry = 400;

    public static readonly string[] Steps = ["withering", "rolling", "fermentation", "drying"];

    /// <summary>How far ahead of the server's clock a device's time may be.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(10);
}

internal sealed record BatchInputResponse(string HarvestId, string HarvestCode, string PlotId, DateOnly PickedOn, bool GiEligible, decimal Kg);

internal sealed record ReadingSummary(int Count, DateTimeOffset? From, DateTimeOffset? To, double? MinTemperatureC, double? AvgTemperatureC, double? MaxTemperatureC, double? MinHumidityPct, double? AvgHumidityPct, double? MaxHumidityPct);

internal sealed record StepResponse(string BatchId, int Seq, string Step, DateTimeOffset StartedAt, DateTimeOffset EndedAt, ReadingSummary Readings, DateTimeOffset RecordedAt);

internal sealed record CompletionResponse(DateTimeOffset CompletedAt, decimal MadeTeaKg, string Style, string Grade, double? MoisturePct, double YieldRatio, string? OverrideReason);

internal sealed record BatchResponse(
    string Id,
    string Code,
    string FactoryOrgId,
    DateTimeOffset StartedAt,
    bool ClaimsGi,
    decimal FreshLeafKg,
    string Status,
    string? NextStep,
    IReadOnlyList<BatchInputResponse> Inputs,
    IReadOnlyList<StepResponse> Steps,
    IReadOnlyList<StepReadings> Readings,
    CompletionResponse? Completion,
    decimal? PackedKg,
    decimal? RemainingMadeTeaKg,
    DateTimeOffset CreatedAt);

/// <summary>All readings of a step, from step records and gateway uploads alike, summarised.</summary>
internal sealed record StepReadings(string Step, ReadingSummary Summary);

internal sealed record ReadingsAccepted(string BatchId, int Accepted);
