using System.ComponentModel.DataAnnotations;

namespace TeaTrace.Api.Features.Lots;

public sealed record CreateLotRequest(
    [property: Required, StringLength(40)] string BatchId,
    [property: Required, StringLength(14, MinimumLength = 14, ErrorMessage = "gtin is a GTIN-14: 14 digits.")] string Gtin,
    [property: Required, StringLength(200, MinimumLength = 1)] string ProductName,
    [property: Required, Range(1, 100000)] int? NetWeightG,
    [property: Required, Range(1, LotLimits.MaxUnits)] int? UnitCount,
    [property: Required] DateOnly? PackedOn,
    DateOnly? BestBefore,
    [property: StringLength(500)] string? OverrideReason);

internal static class LotLimits
{
    public const int MaxUnits = 100000;
}

internal sealed record LotResponse(
    string Id,
    string Code,
    string Gtin,
    int UnitCount,
    string BatchId,
    string OrgId,
    string ProductName,
    int NetWeightG,
    string? NetWeightReason,
    DateOnly PackedOn,
    DateOnly? BestBefore,
    bool ClaimsGi,
    string DigitalLink,
    string SerialsRoot,
    DateTimeOffset CreatedAt);

internal sealed record UnitResponse(string Serial, int Seq, string Status, string Url);

internal sealed record UnitPage(string LotId, int Total, int Offset, int Limit, IReadOnlyList<UnitResponse> Items);
