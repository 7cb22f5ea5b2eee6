using System.ComponentModel.DataAnnotations;

namespace TeaTrace.Api.Features.Resolver;

/// <summary>When repeat scans look like copying. Repeat scans alone prove nothing (dealers pre-check, buyers re-check).</summary>
internal sealed class RiskOptions
{
    public const string SectionName = "TeaTrace:Risk";

    /// <summary>More scans than this of one unit is implausible for one tin: caution.</summary>
    [Range(1, 100000)]
    public int CautionScans { get; set; } = 20;

    /// <summary>More distinct clients than this have scanned one unit: caution.</summary>
    [Range(1, 100000)]
    public int CautionClients { get; set; } = 5;

    /// <summary>More distinct clients than this: warning, the code has most likely been copied.</summary>
    [Range(1, 100000)]
    public int WarningClients { get; set; } = 20;

    /// <summary>Two located scans further apart than this …</summary>
    [Range(1.0, 20000.0)]
    public double FarApartKm { get; set; } = 300;

    /// <summary>… within this many hours: warning.</summary>
    [Range(0.1, 8760.0)]
    public double FarApartHours { get; set; } = 24;
}
