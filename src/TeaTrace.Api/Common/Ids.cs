using System.Security.Cryptography;

namespace TeaTrace.Api.Common;

/// <summary>
/// Server-made identifiers. Ids are opaque; codes are short and typeable (they are printed on tags);
/// serials are random, never sequential. Crockford's base-32 leaves out I, L, O and U, which are misread.
/// </summary>
internal static class Ids
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>An opaque id: a prefix and 80 random bits.</summary>
    public static string New(string prefix) => prefix + "_" + Random(16).ToLowerInvariant();

    /// <summary>A harvest or batch code such as H-7KQ3M9TX: 40 random bits, checked for uniqueness by the caller.</summary>
    public static string Code(char kind) => kind + "-" + Random(8);

    /// <summary>A lot code: the packing date and 30 random bits, e.g. 260405-K7Q3MX (at most 20 characters of A-Z0-9-).</summary>
    public static string LotCode(DateOnly packedOn) => packedOn.ToString("yyMMdd", System.Globalization.CultureInfo.InvariantCulture) + "-" + Random(6);

    /// <summary>A unit serial: 60 random bits in 12 characters, unique across the service (checked by the primary key).</summary>
    public static string Serial() => Random(12);

    public static string Random(int length) => RandomNumberGenerator.GetString(Crockford, length);
}
