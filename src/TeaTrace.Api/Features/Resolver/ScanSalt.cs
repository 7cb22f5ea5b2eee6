using System.Security.Cryptography;
using System.Text;
using Dapper;
using TeaTrace.Api.Data;

namespace TeaTrace.Api.Features.Resolver;

/// <summary>
/// Clients (networks, devices) are kept only as salted hashes. The salt is made once per database and never leaves
/// it, so client hashes cannot be matched across services.
/// </summary>
internal sealed class ScanSalt(SqliteConnectionFactory connections)
{
    private byte[]? _salt;

    public string Hash(string client)
    {
        var salt = _salt ??= Load();
        return Convert.ToHexStringLower(HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(client)))[..32];
    }

    private byte[] Load()
    {
        using var connection = connections.Open();
        var salt = connection.ExecuteScalar<byte[]>("SELECT value FROM service_secrets WHERE name = 'scan-client-salt'");
        if (salt is not null)
        {
            return salt;
        }

        connection.Execute("INSERT OR IGNORE INTO service_secrets (name, value) VALUES ('scan-client-salt', @Value)", new { Value = RandomNumberGenerator.GetBytes(32) });
        return connection.ExecuteScalar<byte[]>("SELECT value FROM service_secrets WHERE name = 'scan-client-salt'")!;
    }
}
