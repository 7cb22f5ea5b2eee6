using TeaTrace.Api.Auth;

namespace TeaTrace.Api.Features.Custody;

/// <summary>Who may do what with a shipment, written once for the endpoints and the OpenAPI document.</summary>
internal static class ShipmentAccess
{
    public const string Shippers = "processor of the shipping factory, admin";
    public const string Receivers = "distributor of the receiving organisation, admin";
    public const string Readers = "the shipper's and the receiver's keys, regulator, admin";
    public const string QrReaders = "the shipper's and the receiver's keys, admin";

    public static readonly string[] ShipperRoles = [Roles.Processor, Roles.Admin];
    public static readonly string[] ReceiverRoles = [Roles.Distributor, Roles.Admin];
    public static readonly string[] ReaderRoles = [Roles.Processor, Roles.Distributor, Roles.Regulator, Roles.Admin];
    public static readonly string[] QrReaderRoles = [Roles.Processor, Roles.Distributor, Roles.Admin];

    public static bool CanRead(Caller caller, ShipmentResponse shipment) =>
        caller.ActsFor(shipment.Shipper.OrgId) || caller.ActsFor(shipment.Receiver.OrgId) || caller.IsRegulator;

    public static bool CanPrint(Caller caller, ShipmentResponse shipment) =>
        caller.ActsFor(shipment.Shipper.OrgId) || caller.ActsFor(shipment.Receiver.OrgId);
}
