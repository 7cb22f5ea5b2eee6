using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
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

    private sealed record PendingScan(string Token, string Serial, string Gtin, string? LotCode, bool Issued, string ClientHash,
        TaskCompletionSource<(DateTimeOffset At, StatsRow Stats)> Done);

    private readonly Channel<PendingScan> _pending = Channel.CreateUnbounded<PendingScan>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _startLock = new();
    private Task? _recorder;

    /// <summary>
    /// Records a scan durably and returns the code's scan history including it; the client is kept only as a salted
    /// hash. Scans arriving together are written as one piece of work: a scan is a few small inserts, and the
    /// single writer's per-item cost would otherwise bound how many phones can scan at once.
    /// </summary>
    public async Task<ScanRecord> RecordAsync(string serial, string gtin, string? lotCode, bool issued, string client, CancellationToken cancellationToken)
    {
        EnsureRecorder();
        var scan = new PendingScan(Ids.Random(20), serial, gtin, lotCode, issued, ClientHash(client),
            new TaskCompletionSource<(DateTimeOffset, StatsRow)>(TaskCreationOptions.RunContinuationsAsynchronously));
        _pending.Writer.TryWrite(scan);
        var (at, stats) = await scan.Done.Task.WaitAsync(cancellationToken);
        return new ScanRecord(scan.Token, at, History(serial, stats));
    }

    private void EnsureRecorder()
    {
        if (_recorder is not null)
        {
            return;
        }

        lock (_startLock)
        {
            using (ExecutionContext.SuppressFlow())
            {
                _recorder ??= Task.Run(RecordLoopAsync);
            }
        }
    }

    private async Task RecordLoopAsync()
    {
        var batch = new List<PendingScan>(256);
        while (await _pending.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < 256 && _pending.Reader.TryRead(out var scan))
            {
                batch.Add(scan);
            }

            try
            {
                var written = await writer.WriteAsync<List<(DateTimeOffset, StatsRow)>>(tx => batch.Select(scan => Write(tx, scan)).ToList());
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(written.Value![i]);
                }
            }
            catch (Exception ex)
            {
                foreach (var scan in batch)
                {
                    scan.Done.TrySetException(ex);
                }
            }
        }
    }

    private static (DateTimeOffset, StatsRow) Write(LedgerTransaction tx, PendingScan scan)
    {
        var at = TypeHandlers.Format(tx.Now);
        var insert = tx.Prepared(InsertScan, "@Token", "@Serial", "@Gtin", "@LotCode", "@Issued", "@At", "@ClientHash");
        insert.Parameters["@Token"].Value = scan.Token;
        insert.Parameters["@Serial"].Value = scan.Serial;
        insert.Parameters["@Gtin"].Value = scan.Gtin;
        insert.Parameters["@LotCode"].Value = (object?)scan.LotCode ?? DBNull.Value;
        insert.Parameters["@Issued"].Value = scan.Issued;
        insert.Parameters["@At"].Value = at;
        insert.Parameters["@ClientHash"].Value = scan.ClientHash;
        insert.ExecuteNonQuery();
        var client = tx.Prepared(CountClient, "@Serial", "@ClientHash");
        client.Parameters["@Serial"].Value = scan.Serial;
        client.Parameters["@ClientHash"].Value = scan.ClientHash;
        var newClient = client.ExecuteNonQuery();
        var count = tx.Prepared(CountScan, "@Serial", "@NewClient", "@At");
        count.Parameters["@Serial"].Value = scan.Serial;
        count.Parameters["@NewClient"].Value = newClient;
        count.Parameters["@At"].Value = at;
        using var reader = count.ExecuteReader();
        reader.Read();
        return (tx.Now, new StatsRow
        {
            Scans = reader.GetInt64(0),
            Clients = reader.GetInt64(1),
            Located = reader.GetInt64(2),
            FirstAt = DateTimeOffset.Parse(reader.GetString(3), System.Globalization.CultureInfo.InvariantCulture),
        });
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
