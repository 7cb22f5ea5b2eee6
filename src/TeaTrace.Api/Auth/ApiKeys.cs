using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using TeaTrace.Api.Data;

namespace TeaTrace.Api.Auth;

/// <summary>
/// API keys are 256 random bits shown once; only their SHA-256 is stored. A fast hash is enough for a random
/// key of that size (nothing to brute-force), and it keeps the per-request lookup cheap.
/// </summary>
internal static class ApiKeys
{
    public const string Prefix = "tt_";

    public static string Generate() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private const string SelectKey = "SELECT id, org_id, role, key_hash, revoked_at FROM api_keys WHERE key_hash = @Hash";

    private const string SelectKeyById = "SELECT id, org_id, role, key_hash, revoked_at FROM api_keys WHERE id = @Id";

    private sealed class KeyRow
    {
        public string Id { get; init; } = "";
        public string OrgId { get; init; } = "";
        public string Role { get; init; } = "";
        public byte[] KeyHash { get; init; } = [];
        public string? RevokedAt { get; init; }
    }

    /// <summary>The principal of a working key, or why the key does not work. The hash is compared in constant time.</summary>
    public static (ClaimsPrincipal? Principal, Common.Text? Failure) Authenticate(SqliteConnectionFactory connections, string key, string scheme)
    {
        var hash = Hash(key);
        KeyRow? row;
        using (var connection = connections.Open())
        {
            row = connection.QuerySingleOrDefault<KeyRow>(SelectKey, new { Hash = hash });
        }

        if (row is null || !CryptographicOperations.FixedTimeEquals(row.KeyHash, hash))
        {
            return (null, Errors.HttpRefusals.KeyNotRecognised());
        }

        if (row.RevokedAt is not null)
        {
            return (null, Errors.HttpRefusals.KeyRevoked());
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(Caller.KeyIdClaim, row.Id),
                new Claim(Caller.OrgIdClaim, row.OrgId),
                new Claim(ClaimTypes.Role, row.Role),
            ],
            scheme,
            Caller.KeyIdClaim,
            ClaimTypes.Role);
        return (new ClaimsPrincipal(identity), null);
    }

    /// <summary>Whether a key (by id) still works and still has the role; a signed-in session ends when its key does.</summary>
    public static bool StillWorks(SqliteConnectionFactory connections, string keyId, string role)
    {
        using var connection = connections.Open();
        var row = connection.QuerySingleOrDefault<KeyRow>(SelectKeyById, new { Id = keyId });
        return row is { RevokedAt: null } && row.Role == role;
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
