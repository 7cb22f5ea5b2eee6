namespace TeaTrace.Api.Auth;

internal static class Roles
{
    public const string Admin = "admin";
    public const string Farmer = "farmer";
    public const string Processor = "processor";
    public const string Distributor = "distributor";
    public const string Regulator = "regulator";
    public const string Lab = "lab";

    public static readonly string[] All = [Admin, Farmer, Processor, Distributor, Regulator, Lab];

    /// <summary>Which kinds of organisation may hold a key of each role (admin keys may sit in any).</summary>
    public static bool FitsOrgKind(string role, string orgKind) => role switch
    {
        Admin => true,
        Farmer => orgKind is "farm" or "cooperative",
        Processor => orgKind is "factory",
        Distributor => orgKind is "distributor" or "factory",
        Regulator => orgKind is "regulator",
        Lab => orgKind is "lab",
        _ => false,
    };
}
