using System.Security.Cryptography;
using System.Text;

namespace TeaTrace.Api.Auth;

/// <summary>
/// API keys are 256 random bits shown once; only their SHA-256 is stored. A fast hash is enough for a random
/// key of that size (nothing to brute-force), and it keeps the per-request lookup cheap.
/// </summary>
internal static class ApiKeys
{
    public const string Prefix = "tt_";

    /// <summary>Keys given by configuration must be at least this long.</summary>
    public const int MinimumConfiguredLength = 16;

    public static string Generate() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
