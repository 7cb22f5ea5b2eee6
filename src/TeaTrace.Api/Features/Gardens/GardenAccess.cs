using TeaTrace.Api.Auth;

namespace TeaTrace.Api.Features.Gardens;

/// <summary>Who may read a garden's records, written once for the JSON endpoints and the tag endpoints alike.</summary>
internal static class GardenAccess
{
    public const string PlotWriters = "farmer of the plot's organisation, admin";
    public const string PlotReaders = "farmer of the plot's organisation, regulator, admin";
    public const string HarvestReaders = "farmer of the plot's organisation, any processor, regulator, admin";

    public static readonly string[] PlotReaderRoles = [Roles.Farmer, Roles.Regulator, Roles.Admin];
    public static readonly string[] HarvestReaderRoles = [Roles.Farmer, Roles.Processor, Roles.Regulator, Roles.Admin];

    /// <summary>A plot and its farm inputs: its own organisation, regulators, admins.</summary>
    public static bool CanReadPlot(Caller caller, string orgId) => caller.ActsFor(orgId) || caller.IsRegulator;

    /// <summary>A harvest: as its plot, and any processor too (factories buy leaf from many gardens).</summary>
    public static bool CanReadHarvest(Caller caller, string orgId) => caller.Role == Roles.Processor || CanReadPlot(caller, orgId);
}
