using System.ComponentModel.DataAnnotations;

namespace TeaTrace.Api.Features.Orgs;

public sealed record CreateOrgRequest(
    [property: Required, StringLength(100, MinimumLength = 1)] string Name,
    [property: Required, AllowedValues("farm", "cooperative", "factory", "distributor", "regulator", "lab", ErrorMessage = "{0} must be one of: farm, cooperative, factory, distributor, regulator, lab.")] string Kind,
    [property: Required, StringLength(50, MinimumLength = 1)] string Town,
    [property: StringLength(50)] string? LicenceNo,
    [property: RegularExpression("^[0-9]{6,12}$", ErrorMessage = "A GS1 company prefix is 6 to 12 digits.")] string? Gs1CompanyPrefix,
    [property: RegularExpression(@"^\+?[0-9][0-9 \-]{4,19}$", ErrorMessage = "phone is 5 to 20 digits, spaces or dashes, optionally after a +.")] string? Phone = null);

internal sealed record OrgResponse(
    string Id,
    string Name,
    string Kind,
    string Town,
    string? LicenceNo,
    string? Gs1CompanyPrefix,
    DateTimeOffset CreatedAt,
    string? Phone = null);

public sealed record CreateKeyRequest(
    [property: Required, StringLength(100, MinimumLength = 1)] string HolderName,
    [property: Required, AllowedValues("admin", "farmer", "processor", "distributor", "regulator", "lab", ErrorMessage = "{0} must be one of: admin, farmer, processor, distributor, regulator, lab.")] string Role);

/// <summary>The key itself appears here once and nowhere else.</summary>
internal sealed record CreatedKeyResponse(string Id, string OrgId, string Role, string HolderName, string ApiKey, DateTimeOffset CreatedAt);

internal sealed record MeResponse(string KeyId, string Role, OrgResponse Org);
