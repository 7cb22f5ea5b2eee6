using TeaTrace.Api.Auth;

namespace TeaTrace.Api.Features.Processing;

/// <summary>Who may read a batch, written once for the JSON endpoints and the tag endpoints alike.</summary>
internal static class BatchAccess
{
    public const string Writers = "processor of the batch's factory, admin";
    public const string Readers = "processor of the batch's factory, any distributor, regulator, admin";

    public static readonly string[] ReaderRoles = [Roles.Processor, Roles.Distributor, Roles.Regulator, Roles.Admin];

    /// <summary>Its factory, regulators, admins, and distributors (who buy and pack made tea from factories).</summary>
    public static bool CanRead(Caller caller, string factoryOrgId) => caller.ActsFor(factoryOrgId) || caller.IsRegulator || caller.Role == Roles.Distributor;
}
