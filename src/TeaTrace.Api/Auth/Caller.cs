using System.Security.Claims;

namespace TeaTrace.Api.Auth;

/// <summary>The key behind a request: its id (the ledger's actor), its organisation and its role.</summary>
internal sealed record Caller(string KeyId, string OrgId, string Role)
{
    public const string KeyIdClaim = "tt:key";
    public const string OrgIdClaim = "tt:org";

    /// <summary>The actor written into ledger entries made by the service itself (bootstrap, migrations of data).</summary>
    public static readonly Caller System = new("system", "system", Roles.Admin);

    public bool IsAdmin => Role == Roles.Admin;

    public bool IsRegulator => Role == Roles.Regulator;

    /// <summary>Admins act for every organisation; everyone else only for their own.</summary>
    public bool ActsFor(string orgId) => IsAdmin || OrgId == orgId;

    public bool Is(params string[] roles) => roles.Contains(Role);

    public static Caller From(ClaimsPrincipal user) => new(
        user.FindFirstValue(KeyIdClaim) ?? throw new InvalidOperationException("The request is not authenticated."),
        user.FindFirstValue(OrgIdClaim) ?? throw new InvalidOperationException("The request is not authenticated."),
        user.FindFirstValue(ClaimTypes.Role) ?? throw new InvalidOperationException("The request is not authenticated."));
}
