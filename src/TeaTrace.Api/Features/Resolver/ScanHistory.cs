namespace TeaTrace.Api.Features.Resolver;

internal sealed record ScanRecord(string Token, DateTimeOffset At, ScanHistory History);

internal sealed record LocatedScan(DateTimeOffset At, double Latitude, double Longitude, string? Network);

/// <summary>
/// All the scans of a unit and the first (what the page shows), and those inside the risk window: scans, devices and
/// networks, each counted only up to <see cref="RiskOptions.CountCap"/>, and the places reported for them.
/// </summary>
internal sealed record ScanHistory(int Count, DateTimeOffset? FirstAt, int RecentScans, int RecentDevices, int RecentNetworks, IReadOnlyList<LocatedScan> Located)
{
    public static readonly ScanHistory None = new(0, null, 0, 0, 0, []);
}
