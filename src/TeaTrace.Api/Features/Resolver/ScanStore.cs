using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Dapper;
using Microsoft.Extensions.Options;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Resolver;

/// <summary>
/// Scans of package codes. They are observations, not supply-chain records, so they are not ledger entries; they go
/// through the same single writer (one ordered, durable stream of writes) and are read back for the risk model.
/// Only an issued unit's scans are kept per serial; a code never issued is counted per lot (or product) and day.
/// </summary>
internal sealed class ScanStore(SqliteConnectionFactory connections, ILedgerWriter writer, IOptionsMonitor<RiskOptions> options, TimeProvider clock, ScanSalt salt)
{
    private const string InsertScan = """
        INSERT INTO scans (token, serial, gtin, lot_code, issued, at, client_hash, network_hash)
        VALUES (@Token, @Serial, @Gtin, @LotCode, 1, @At, @DeviceHash, @NetworkHash)
        """;

    private const string SeenDevice = """
        INSERT INTO scan_devices (serial, device_hash, last_at) VALUES (@Serial, @DeviceHash, @At)
        ON CONFLICT (serial, device_hash) DO UPDATE SET last_at = excluded.last_at
        """;

    private const string SeenNetwork = """
        INSERT INTO scan_networks (serial, network_hash, last_at) VALUES (@Serial, @NetworkHash, @At)
        ON CONFLICT (serial, network_hash) DO UPDATE SET last_at = excluded.last_at
        """;

    private const string CountScan = """
        INSERT INTO scan_stats (serial, scans, first_at) VALUES (@Serial, 1, @At)
        ON CONFLICT (serial) DO UPDATE SET scans = scans + 1
        RETURNING scans, located, first_at
        """;

    // Each count walks the (serial, time) index from the window's start and stops at the cap.
    private const string SelectRecent = """
        SELECT (SELECT count(*) FROM (SELECT 1 FROM scans WHERE serial = @Serial AND at >= @Since LIMIT @Cap)) AS scans,
               (SELECT count(*) FROM (SELECT 1 FROM scan_devices WHERE serial = @Serial AND last_at >= @Since LIMIT @Cap)) AS devices,
               (SELECT count(*) FROM (SELECT 1 FROM scan_networks WHERE serial = @Serial AND last_at >= @Since LIMIT @Cap)) AS networks
        """;

    private const string CountUnissued = """
        INSERT INTO unissued_scans (gtin, lot_code, day, scans) VALUES (@Gtin, @LotCode, @Day, 1)
        ON CONFLICT (gtin, lot_code, day) DO UPDATE SET scans = scans + 1
        """;

    private const string SelectHistory = "SELECT scans, located, first_at FROM scan_stats WHERE serial = @Serial";

    private const string CountLocated = "UPDATE scan_stats SET located = located + 1 WHERE serial = (SELECT serial FROM scans WHERE token = @Token)";

    private const string SelectLocated = """
        SELECT at, latitude, longitude, network_hash AS network FROM scans
        WHERE serial = @Serial AND latitude IS NOT NULL AND at >= @Since ORDER BY at DESC LIMIT 100
        """;

    private const string SetPlace = """
        UPDATE scans SET latitude = @Latitude, longitude = @Longitude WHERE token = @Token AND latitude IS NULL AND at >= @Since
        """;

    private sealed class StatsRow
    {
        public long Scans { get; init; }
        public long Located { get; init; }
        public DateTimeOffset FirstAt { get; init; }
        public int RecentScans { get; set; }
        public int RecentDevices { get; set; }
        public int RecentNetworks { get; set; }
    }

    private sealed class RecentRow
    {
        public long Scans { get; init; }
        public long Devices { get; init; }
        public long Networks { get; init; }
    }

    private sealed class LocatedRow
    {
        public DateTimeOffset At { get; init; }
        public double Latitude { get; init; }
        public double Longitude { get; init; }
        public string? Network { get; init; }
    }

    private sealed record UnitScan(string Serial, string Token, string DeviceHash, string NetworkHash);

    /// <summary>A scan of an issued unit (Unit set), or of a code never issued, counted for Gtin and LotCode.</summary>
    private sealed record PendingScan(string Gtin, string? LotCode, UnitScan? Unit, TaskCompletionSource<(DateTimeOffset At, StatsRow? Stats)> Done);

    private readonly Channel<PendingScan> _pending = Channel.CreateUnbounded<PendingScan>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _startLock = new();
    private Task? _recorder;

    /// <summary>
    /// Records a scan of an issued unit durably and returns its history including it; the client is kept only as
    /// salted hashes of its network and of its network and browser. Scans arriving together are written as one piece
    /// of work: a scan is a few small writes, and the single writer's per-item cost would otherwise bound how many
    /// phones can scan at once.
    /// </summary>
    public async Task<ScanRecord> RecordAsync(string serial, string gtin, string? lotCode, ScanClient client, CancellationToken cancellationToken)
    {
        var o = options.CurrentValue;
        var network = client.Network(o.Ipv4NetworkBits, o.Ipv6NetworkBits);
        var unit = new UnitScan(serial, Ids.Random(20), Hash($"device|{network}|{client.Agent}"), Hash($"network|{network}"));
        var (at, stats) = await EnqueueAsync(new PendingScan(gtin, lotCode, unit, NewDone()), cancellationToken);
        return new ScanRecord(unit.Token, at, History(serial, stats!, at));
    }

    /// <summary>
    /// Counts a scan of a code never issued for the product it names, and for the lot it names when that is one of the
    /// product's lots (otherwise lotCode is null): the serial and an unknown lot are not kept, so invented codes
    /// cannot fill the database.
    /// </summary>
    public async Task RecordUnissuedAsync(string gtin, string? lotCode, CancellationToken cancellationToken) =>
        await EnqueueAsync(new PendingScan(gtin, lotCode ?? "", null, NewDone()), cancellationToken);

    private static TaskCompletionSource<(DateTimeOffset, StatsRow?)> NewDone() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Task<(DateTimeOffset At, StatsRow? Stats)> EnqueueAsync(PendingScan scan, CancellationToken cancellationToken)
    {
        EnsureRecorder();
        _pending.Writer.TryWrite(scan);
        return scan.Done.Task.WaitAsync(cancellationToken);
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
                var o = options.CurrentValue;
                var written = await writer.WriteAsync<List<(DateTimeOffset, StatsRow?)>>(tx => batch.Select(scan => Write(tx, scan, o)).ToList());
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

    private static (DateTimeOffset, StatsRow?) Write(LedgerTransaction tx, PendingScan scan, RiskOptions o)
    {
        if (scan.Unit is not { } unit)
        {
            var unissued = tx.Prepared(CountUnissued, "@Gtin", "@LotCode", "@Day");
            unissued.Parameters["@Gtin"].Value = scan.Gtin;
            unissued.Parameters["@LotCode"].Value = scan.LotCode;
            unissued.Parameters["@Day"].Value = TypeHandlers.Format(DateOnly.FromDateTime(tx.Now.DateTime));
            unissued.ExecuteNonQuery();
            return (tx.Now, null);
        }

        var at = TypeHandlers.Format(tx.Now);
        var insert = tx.Prepared(InsertScan, "@Token", "@Serial", "@Gtin", "@LotCode", "@At", "@DeviceHash", "@NetworkHash");
        insert.Parameters["@Token"].Value = unit.Token;
        insert.Parameters["@Serial"].Value = unit.Serial;
        insert.Parameters["@Gtin"].Value = scan.Gtin;
        insert.Parameters["@LotCode"].Value = (object?)scan.LotCode ?? DBNull.Value;
        insert.Parameters["@At"].Value = at;
        insert.Parameters["@DeviceHash"].Value = unit.DeviceHash;
        insert.Parameters["@NetworkHash"].Value = unit.NetworkHash;
        insert.ExecuteNonQuery();
        var device = tx.Prepared(SeenDevice, "@Serial", "@DeviceHash", "@At");
        device.Parameters["@Serial"].Value = unit.Serial;
        device.Parameters["@DeviceHash"].Value = unit.DeviceHash;
        device.Parameters["@At"].Value = at;
        device.ExecuteNonQuery();
        var network = tx.Prepared(SeenNetwork, "@Serial", "@NetworkHash", "@At");
        network.Parameters["@Serial"].Value = unit.Serial;
        network.Parameters["@NetworkHash"].Value = unit.NetworkHash;
        network.Parameters["@At"].Value = at;
        network.ExecuteNonQuery();

        var count = tx.Prepared(CountScan, "@Serial", "@At");
        count.Parameters["@Serial"].Value = unit.Serial;
        count.Parameters["@At"].Value = at;
        StatsRow stats;
        using (var reader = count.ExecuteReader())
        {
            reader.Read();
            stats = new StatsRow
            {
                Scans = reader.GetInt64(0),
                Located = reader.GetInt64(1),
                FirstAt = DateTimeOffset.Parse(reader.GetString(2), System.Globalization.CultureInfo.InvariantCulture),
            };
        }

        var recent = tx.Prepared(SelectRecent, "@Serial", "@Since", "@Cap");
        recent.Parameters["@Serial"].Value = unit.Serial;
        recent.Parameters["@Since"].Value = TypeHandlers.Format(tx.Now.AddDays(-o.WindowDays));
        recent.Parameters["@Cap"].Value = o.CountCap;
        using (var reader = recent.ExecuteReader())
        {
            reader.Read();
            stats.RecentScans = reader.GetInt32(0);
            stats.RecentDevices = reader.GetInt32(1);
            stats.RecentNetworks = reader.GetInt32(2);
        }

        return (tx.Now, stats);
    }

    /// <summary>The history of an issued unit without recording a scan (HEAD requests, link sets, fetches that are not scans).</summary>
    public ScanHistory History(string serial)
    {
        var now = ChinaTime.Now(clock);
        var o = options.CurrentValue;
        using var connection = connections.Open();
        var stats = connection.QuerySingleOrDefault<StatsRow>(SelectHistory, new { Serial = serial });
        if (stats is null)
        {
            return ScanHistory.None;
        }

        var recent = connection.QuerySingle<RecentRow>(SelectRecent, new
        {
            Serial = serial,
            Since = TypeHandlers.Format(now.AddDays(-o.WindowDays)),
            Cap = o.CountCap,
        });
        (stats.RecentScans, stats.RecentDevices, stats.RecentNetworks) = ((int)recent.Scans, (int)recent.Devices, (int)recent.Networks);
        return History(serial, stats, now);
    }

    private ScanHistory History(string serial, StatsRow stats, DateTimeOffset now)
    {
        IReadOnlyList<LocatedScan> located = [];
        if (stats.Located > 0)
        {
            using var connection = connections.Open();
            located = connection.Query<LocatedRow>(SelectLocated, new { Serial = serial, Since = TypeHandlers.Format(now.AddDays(-options.CurrentValue.WindowDays)) })
                .Select(r => new LocatedScan(r.At, r.Latitude, r.Longitude, r.Network)).ToList();
        }

        return new ScanHistory((int)stats.Scans, stats.FirstAt, stats.RecentScans, stats.RecentDevices, stats.RecentNetworks, located);
    }

    /// <summary>
    /// The page may report where the scan happened, rounded to about 10 km, once and within minutes of the scan.
    /// False when the token is unknown, too old, or already has a place.
    /// </summary>
    public async Task<bool> SetPlaceAsync(string token, double latitude, double longitude, CancellationToken cancellationToken)
    {
        var minutes = options.CurrentValue.PlaceMinutes;
        var result = await writer.WriteAsync<bool>(tx =>
        {
            var placed = tx.Execute(SetPlace, new
            {
                Token = token,
                Latitude = Math.Round(latitude, 1),
                Longitude = Math.Round(longitude, 1),
                Since = TypeHandlers.Format(tx.Now.AddMinutes(-minutes)),
            }) == 1;
            if (placed)
            {
                tx.Execute(CountLocated, new { Token = token });
            }

            return placed;
        }, cancellationToken);
        return result.Value;
    }

    private string Hash(string client) => salt.Hash(client);
}
