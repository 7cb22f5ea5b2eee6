using TeaTrace.Api.Auth;

namespace TeaTrace.Api.Features.Custody;

/// <summary>Who may do what with a hand-over, written once for the endpoints and the OpenAPI document.</summary>
internal static class CustodyAccess
{
    public const string Sellers = "farmer of the organisation that holds the leaf, admin";
    public const string Takers = "processor of the buyer factory, farmer of the buyer cooperative, admin";
    public const string CertificateReaders = "the issuer's and the buyer's keys, regulator, admin";
    public const string QrReaders = "the issuer's and the buyer's keys, admin";
    public const string LedgerReaders = "processor of the factory, farmer of the cooperative, regulator, admin";

    public static readonly string[] SellerRoles = [Roles.Farmer, Roles.Admin];
    public static readonly string[] TakerRoles = [Roles.Processor, Roles.Farmer, Roles.Admin];
    public static readonly string[] CertificateReaderRoles = [Roles.Farmer, Roles.Processor, Roles.Regulator, Roles.Admin];
    public static readonly string[] QrReaderRoles = [Roles.Farmer, Roles.Processor, Roles.Admin];
    public static readonly string[] LedgerReaderRoles = [Roles.Processor, Roles.Farmer, Roles.Regulator, Roles.Admin];

    public static bool CanRead(Caller caller, CertificateResponse certificate) =>
        caller.ActsFor(certificate.Issuer.OrgId) || caller.ActsFor(certificate.Buyer.OrgId) || caller.IsRegulator;

    public static bool CanPrint(Caller caller, CertificateResponse certificate) =>
        caller.ActsFor(certificate.Issuer.OrgId) || caller.ActsFor(certificate.Buyer.OrgId);

    public static bool CanReadLedgerOf(Caller caller, string orgId) => caller.ActsFor(orgId) || caller.IsRegulator;
}
