using System.ComponentModel.DataAnnotations;
using TeaTrace.Api.Common;

namespace TeaTrace.Api.Features.Members;

public sealed record CreateMemberRequest(
    [property: Required, StringLength(50, MinimumLength = 1)] string Name,
    [property: Required, StringLength(100, MinimumLength = 1)] string Village,
    [property: StringLength(30, MinimumLength = 3)] string? Phone,
    [property: RegularExpression("^[0-9]{3}[0-9X]$", ErrorMessage = "{0} is the last 4 characters of an ID card: 3 digits, then a digit or X.")] string? IdLast4);

/// <summary>
/// A member of a cooperative. name, phone and idLast4 are read from the member's sealed part; null (and erased true)
/// once an erasure removed them.
/// </summary>
internal sealed record MemberResponse(string Id, string OrgId, string? Name, string Village, string? Phone, string? IdLast4, bool Erased, DateTimeOffset CreatedAt);

public sealed record CreateCollectionRequest(
    [property: Required, StringLength(40)] string MemberId,
    [property: Required, StringLength(40)] string PlotId,
    [property: Required] DateOnly? PickedOn,
    [property: Required, AllowedValues("bud", "bud1leaf", "bud2leaves", "bud3leaves", ErrorMessage = "{0} must be one of: bud, bud1leaf, bud2leaves, bud3leaves.")] string PluckingStandard,
    [property: Required, Kilograms(10000)] decimal? Kg,
    [property: Required, Range(0.0, 100000.0)] decimal? PricePerKgCny,
    [property: Required] DateTimeOffset? CollectedAt);

/// <summary>One weighing at the collection point: the member's leaf, now a harvest the cooperative holds, and what it pays.</summary>
internal sealed record CollectionResponse(
    string Id,
    string OrgId,
    string MemberId,
    string PlotId,
    string HarvestId,
    string HarvestCode,
    DateOnly PickedOn,
    string PluckingStandard,
    decimal Kg,
    decimal? PricePerKgCny,
    decimal? AmountCny,
    DateTimeOffset CollectedAt);

/// <summary>A member's month at the collection point (Asia/Shanghai days); the totals leave out collections whose price was erased.</summary>
internal sealed record StatementResponse(
    MemberResponse Member,
    string OrgName,
    string Month,
    IReadOnlyList<CollectionResponse> Collections,
    decimal Kg,
    decimal AmountCny);
