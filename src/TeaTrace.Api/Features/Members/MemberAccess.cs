using TeaTrace.Api.Auth;

namespace TeaTrace.Api.Features.Members;

/// <summary>Who may do what with a cooperative's members, written once for the endpoints and the OpenAPI document.</summary>
internal static class MemberAccess
{
    public const string Writers = "farmer of the cooperative, admin";
    public const string Readers = "the cooperative's farmers, regulator, admin";

    public static readonly string[] WriterRoles = [Roles.Farmer, Roles.Admin];
    public static readonly string[] ReaderRoles = [Roles.Farmer, Roles.Regulator, Roles.Admin];

    public static bool CanRead(Caller caller, string orgId) => caller.ActsFor(orgId) || caller.IsRegulator;
}
