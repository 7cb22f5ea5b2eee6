using System.ComponentModel.DataAnnotations;

namespace TeaTrace.Api.Features.Resolver;

/// <summary>
/// When scans look like copying. Repeat scans alone prove nothing (dealers pre-check, buyers re-check), and anyone can
/// send requests with any browser name or reported place from one connection; a warning therefore takes scans from
/// many networks. See the README's "Scans and risk".
/// </summary>
internal sealed class RiskOptions
{
    public const string SectionName = "TeaTrace:Risk";

    /// <summary>Only scans this recent count towards devices, networks, scan counts and places.</summary>
    [Range(1, 3650)]
    public int WindowDays { get; set; } = 30;

    /// <summary>More scans of one unit than this within the window is implausible for one tin: caution.</summary>
    [Range(1, 100000)]
    public int CautionScans { get; set; } = 20;

    /// <summary>More devices (a network and a browser) than this within the window: caution.</summary>
    [Range(1, 100000)]
    public int CautionDevices { get; set; } = 5;

    /// <summary>More distinct networks than this within the window: warning, the code has most likely been copied.</summary>
    [Range(1, 100000)]
    public int WarningNetworks { get; set; } = 20;

    /// <summary>Addresses sharing this many leading bits are one network (a household, an office, a carrier's pool).</summary>
    [Range(8, 32)]
    public int Ipv4NetworkBits { get; set; } = 24;

    [Range(16, 128)]
    public int Ipv6NetworkBits { get; set; } = 48;

    /// <summary>Two places reported from different networks further apart than this …</summary>
    [Range(1.0, 20000.0)]
    public double FarApartKm { get; set; } = 300;

    /// <summary>… within this many hours: caution, or warning when more networks than FarApartWarningNetworks scanned the unit.</summary>
    [Range(0.1, 8760.0)]
    public double FarApartHours { get; set; } = 24;

    [Range(1, 100000)]
    public int FarApartWarningNetworks { get; set; } = 5;

    /// <summary>How long after a scan the page may report where it happened.</summary>
    [Range(1, 1440)]
    public int PlaceMinutes { get; set; } = 10;

    /// <summary>Recent rows are counted only up to the largest threshold: a much-scanned code costs no more to judge.</summary>
    public int CountCap => Math.Max(Math.Max(CautionScans, CautionDevices), Math.Max(WarningNetworks, FarApartWarningNetworks)) + 1;
}
