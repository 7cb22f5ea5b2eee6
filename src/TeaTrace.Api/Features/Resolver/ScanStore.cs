using System.Security.Cryptography;
using System.Text;
using Dapper;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Resolver;

internal sealed record ScanRecord(string Token, DateTimeOffset At, ScanHistory History);

internal sealed record LocatedScan(DateTimeOffset At, double Latitude, double Longitude);

internal sealed record ScanHistory(int Count, DateTimeOffset? FirstAt, int DistinctClients, IReadOnlyList<LocatedScan> Located);

/// <summary>
/// Scans of package codes. They are observations, not supply-chain records, so they are not ledger entries; they go
/// through the same single writer (one ordered, durable stream of writes) and are read back for the first-scan model.
/// </summary>
internal sealed class ScanStore(SqliteConnectionFactory connections, ILedgerWriter writer)
{
    private const string InsertScan = """
        INSERT INTO scans (token, serial, gtin, lot_code, issued, at, client_hash)
        VALUES (@Token, @Serial, @Gtin, @LotCode, @Issued, @At, @ClientHash)
        """;

    private const string CountClient = "INSERT INTO scan_clients (serial, client_hash) VALUES (@Serial, @ClientHash) ON CONFLICT DO NOTHING";

    private const string CountScan = """
        INSERT INTO scan_stats (serial, scans, clients, first_at) VALUES (@Serial, 1, @NewClient, @At)
        ON CONFLICT (serial) DO UPDATE SET scans = scans + 1, clients = clients + excluded.clients
        RETURNING scans, clients, located, first_at
        """;

    private const string SelectHistory = "SELECT scans, clients, located, first_at FROM scan_stats WHERE serial = @Serial";

    private const string CountLocated = "UPDATE scan_stats SET located = located + 1 WHERE serial = (SELECT serial FROM scans WHERE token = @Token)";

    private const string SelectLocated = """
        SELECT at, latitude, longitude FROM scans WHERE serial = @Serial AND latitude IS NOT NULL ORDER BY at DESC LIMIT 100
        """;

    private const string SetPlace = """
        UPDATE scans SET latitude = @Latitude, longitude = @Longitude WHERE token = @Token AND latitude IS NULL AND at >= @Since
        """;

    private byte[]? _salt;

    private sealed class StatsRow
    {
        public long Scans { get; init; }
        public long Clients { get; init; }
        public long Located { get; init; }
        public DateTimeOffset FirstAt { get; init; }
    }

    private sealed class LocatedRow
    {
        public DateTimeOffset At { get; init; }
        public double Latitude { get; init; }
        public double Longitude { get; init; }
    }

    /// <summary>Records a scan durably and returns the code's scan history including it; the client is kept only as a salted hash.</summary>
    public async Task<ScanRecord> RecordAsync(string serial, string gtin, string? lotCode, bool issued, string client, CancellationToken cancellationToken)
    {
        var hash = ClientHash(client);
        var token = Ids.Random(20);
        var result = await writer.WriteAsync<(DateTimeOffset At, StatsRow Stats)>(tx =>
        {
            tx.Execute(InsertScan, new { Token = token, Serial = serial, Gtin = gtin, LotCode = lotCode, Issued = issued, At = tx.Now, ClientHash = hash });
            var newClient = tx.Execute(CountClient, new { Serial = serial, ClientHash = hash });
            return (tx.Now, tx.QuerySingleOrDefault<StatsRow>(CountScan, new { Serial = serial, NewClient = newClient, At = tx.Now })!);
        }, cancellationToken);
        var (at, stats) = result.Value;
        return new ScanRecord(token, at, History(serial, stats));
    }

    /// <summary>The history of a code without recording a scan (HEAD requests, link sets).</summary>
    public ScanHistory History(string serial)
    {
        using var connection = connections.Open();
        var stats = connection.QuerySingleOrDefault<StatsRow>(SelectHistory, new { Serial = serial });
        return stats is null ? new ScanHistory(0, null, 0, []) : History(serial, stats);
    }

    private ScanHistory History(string serial, StatsRow stats)
    {
        IReadOnlyList<LocatedScan> located = [];
        if (stats.Located > 0)
        {
            using var connection = connections.Open();
            located = connection.Query<LocatedRow>(SelectLocated, new { Serial = serial }).Select(r => new LocatedScan(r.At, r.Latitude, r.Longitude)).ToList();
        }

        return new ScanHistory((int)stats.Scans, stats.FirstAt, (int)stats.Clients, located);
    }

    /// <summary>
    /// The page may report where the scan happened, rounded to about 10 km, once and within ten minutes of the scan.
    /// False when the token is unknown, too old, or already has a place.
    /// </summary>
    public async Task<bool> SetPlaceAsync(string token, double latitude, double longitude, CancellationToken cancellationToken)
    {
        var result = await writer.WriteAsync<bool>(tx =>
        {
            var placed = tx.Execute(SetPlace, new
            {
                Token = token,
                Latitude = Math.Round(latitude, 1),
                Longitude = Math.Round(longitude, 1),
                Since = TypeHandlers.Format(tx.Now.AddMinutes(-10)),
            }) == 1;
            if (placed)
            {
                tx.Execute(CountLocated, new { Token = token });
            }

            return placed;
        }, cancellationToken);
        return result.Value;
    }

    private string ClientHash(string client)
    {
        var salt = _salt ??= LoadSalt();
        return Convert.ToHexStringLower(HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(client)))[..32];
    }

    // The salt is made once per database and never leaves it, so client hashes cannot be matched across services.
    private byte[] LoadSalt()
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
