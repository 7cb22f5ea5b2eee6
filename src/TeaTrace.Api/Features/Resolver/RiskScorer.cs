using Microsoft.Extensions.Options;

namespace TeaTrace.Api.Features.Resolver;

internal sealed record RiskReason(string Code, string Message, string MessageZh);

internal sealed record Risk(string Level, IReadOnlyList<RiskReason> Reasons)
{
    public const string Ok = "ok";
    public const string Caution = "caution";
    public const string Warning = "warning";
}

/// <summary>What a scan's history says about the code: ok, caution or warning, with the reasons.</summary>
internal sealed class RiskScorer(IOptionsMonitor<RiskOptions> options)
{
    public Risk Score(bool issued, string? unitStatus, IReadOnlyList<string> recalls, DateOnly? bestBefore, DateOnly today, ScanHistory history)
    {
        var o = options.CurrentValue;
        var warnings = new List<RiskReason>();
        var cautions = new List<RiskReason>();
        if (!issued)
        {
            warnings.Add(new("never-issued", "This code was never issued for this product: it may be counterfeit.", "此码从未发放给该产品，可能是假冒产品。"));
        }

        if (unitStatus == "recalled" || recalls.Count > 0)
        {
            warnings.Add(new("recalled", "This product has been recalled. Do not drink it; return it to the seller.", "该产品已被召回，请勿饮用，并退回商家。"));
        }

        if (unitStatus == "destroyed")
        {
            warnings.Add(new("destroyed", "This unit was recorded as destroyed: a live package with this code is a copy.", "该单品已登记销毁，带此码的包装是仿冒品。"));
        }

        // A connection can send any browser name and any place, so only distinct networks can make a warning.
        if (history.RecentNetworks > o.WarningNetworks)
        {
            warnings.Add(new("many-networks", $"In the last {o.WindowDays} days this code has been scanned from more than {o.WarningNetworks} different networks: it has most likely been copied.",
                $"近 {o.WindowDays} 天内，此码已在超过 {o.WarningNetworks} 个不同网络中被查询，很可能已被复制。"));
        }
        else if (history.RecentDevices > o.CautionDevices)
        {
            cautions.Add(new("several-devices", $"In the last {o.WindowDays} days this code has been scanned from more than {o.CautionDevices} different devices.",
                $"近 {o.WindowDays} 天内，此码已被超过 {o.CautionDevices} 台不同设备查询。"));
        }

        if (history.RecentScans > o.CautionScans)
        {
            cautions.Add(new("many-scans", $"In the last {o.WindowDays} days this code has been scanned more than {o.CautionScans} times, more than one package usually is.",
                $"近 {o.WindowDays} 天内，此码已被查询超过 {o.CautionScans} 次，多于单个包装的常见次数。"));
        }

        if (FarApart(history.Located, o) is { } far)
        {
            var reason = new RiskReason("far-apart", $"This code was scanned {far:0} km apart within {o.FarApartHours:0} hours: one package cannot travel that fast.",
                $"此码在 {o.FarApartHours:0} 小时内于相距 {far:0} 公里的两地被查询，单个包装不可能如此移动。");
            // Places are what the scanning page says; on their own they are a caution, with many networks behind them a warning.
            (history.RecentNetworks > o.FarApartWarningNetworks ? warnings : cautions).Add(reason);
        }

        if (bestBefore is { } expiry && expiry < today)
        {
            cautions.Add(new("past-best-before", $"Past its best-before date ({expiry:yyyy-MM-dd}).", $"已过保质期（{expiry:yyyy-MM-dd}）。"));
        }

        return warnings.Count > 0 ? new Risk(Risk.Warning, [.. warnings, .. cautions])
            : cautions.Count > 0 ? new Risk(Risk.Caution, cautions)
            : new Risk(Risk.Ok, []);
    }

    /// <summary>
    /// The largest distance between two located scans from different networks close enough in time; null when none
    /// is too far. One network reporting two places is one party saying two things.
    /// </summary>
    private static double? FarApart(IReadOnlyList<LocatedScan> scans, RiskOptions o)
    {
        double? worst = null;
        for (var i = 0; i < scans.Count; i++)
        {
            for (var j = i + 1; j < scans.Count; j++)
            {
                if (Math.Abs((scans[i].At - scans[j].At).TotalHours) > o.FarApartHours
                    || scans[i].Network is null || scans[j].Network is null || scans[i].Network == scans[j].Network)
                {
                    continue;
                }

                var km = Kilometres(scans[i], scans[j]);
                if (km > o.FarApartKm && (worst is null || km > worst))
                {
                    worst = km;
                }
            }
        }

        return worst;
    }

    private static double Kilometres(LocatedScan a, LocatedScan b)
    {
        const double EarthRadiusKm = 6371.0;
        var dLat = Radians(b.Latitude - a.Latitude);
        var dLon = Radians(b.Longitude - a.Longitude);
        var h = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2)) + (Math.Cos(Radians(a.Latitude)) * Math.Cos(Radians(b.Latitude)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180;
}
