using System.Security.Cryptography;
using System.Text;
using Dapper;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Resolver;

internal sealed record ScanRecord(string Token, DateTimeOffset At);

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

    private const string SelectHistory = """
        SELECT count(*) AS count, min(at) AS first_at, count(DISTINCT client_hash) AS clients FROM scans WHERE serial = @Serial
        """;

    private const string SelectLocated = """
        SELECT at, latitude, longitude FROM scans WHERE serial = @Serial AND latitude IS NOT NULL ORDER BY at DESC LIMIT 200
        """;

    private const string SetPlace = """
        UPDATE scans SET latitude = @Latitude, longitude = @Longitude WHERE token = @Token AND latitude IS NULL AND at >= @Since
        """;

    private byte[]? _salt;

    private sealed class HistoryRow
    {
        public long Count { get; init; }
        public string? FirstAt { get; init; }
        public long Clients { get; init; }
    }

    private sealed class LocatedRow
    {
        public DateTimeOffset At { get; init; }
        public double Latitude { get; init; }
        public double Longitude { get; init; }
    }

    /// <summary>Records a scan durably; the client is kept only as a salted hash.</summary>
    public async Task<ScanRecord> RecordAsync(string serial, string gtin, string? lotCode, bool issued, string client, CancellationToken cancellationToken)
    {
        var hash = ClientHash(client);
        var token = Ids.Random(20);
        var result = await writer.WriteAsync<ScanRecord>(tx =>
        {
            tx.Execute(InsertScan, new { Token = token, Serial = serial, Gtin = gtin, LotCode = lotCode, Issued = issued, At = tx.Now, ClientHash = hash });
            return new ScanRecord(token, tx.Now);
        }, cancellationToken);
        return result.Value!;
    }

    public ScanHistory History(string serial)
    {
        using var connection = connections.Open();
        var row = connection.QuerySingle<HistoryRow>(SelectHistory, new { Serial = serial });
        var located = connection.Query<LocatedRow>(SelectLocated, new { Serial = serial }).Select(r => new LocatedScan(r.At, r.Latitude, r.Longitude)).ToList();
        return new ScanHistory((int)row.Count, row.FirstAt is null ? null : DateTimeOffset.Parse(row.FirstAt, System.Globalization.CultureInfo.InvariantCulture),
            (int)row.Clients, located);
    }

    /// <summary>
    /// The page may report where the scan happened, rounded to about 10 km, once and within ten minutes of the scan.
    /// False when the token is unknown, too old, or already has a place.
    /// </summary>
    public async Task<bool> SetPlaceAsync(string token, double latitude, double longitude, CancellationToken cancellationToken)
    {
        var result = await writer.WriteAsync<bool>(tx => tx.Execute(SetPlace, new
        {
            Token = token,
            Latitude = Math.Round(latitude, 1),
            Longitude = Math.Round(longitude, 1),
            Since = TypeHandlers.Format(tx.Now.AddMinutes(-10)),
        }) == 1, cancellationToken);
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
