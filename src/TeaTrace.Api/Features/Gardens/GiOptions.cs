using System.ComponentModel.DataAnnotations;

namespace TeaTrace.Api.Features.Gardens;

/// <summary>The GI area (a bounding box, AQSIQ 2006 No. 225) and the GI cultivars; both configurable.</summary>
internal sealed class GiOptions
{
    public const string SectionName = "TeaTrace:Gi";

    public static readonly string[] DefaultCultivars = ["英红九号", "英红一号", "五岭红", "秀红", "云南大叶", "凤凰水仙"];

    [Range(-180.0, 180.0)]
    public double MinLongitude { get; set; } = 112.75;

    [Range(-180.0, 180.0)]
    public double MaxLongitude { get; set; } = 113.0 + (55.0 / 60.0);

    [Range(-90.0, 90.0)]
    public double MinLatitude { get; set; } = 23.0 + (50.0 / 60.0);

    [Range(-90.0, 90.0)]
    public double MaxLatitude { get; set; } = 24.0 + (33.0 / 60.0);

    /// <summary>Left empty in configuration, the defaults above apply (binding appends to lists, so defaults live here).</summary>
    public List<string> Cultivars { get; set; } = [];

    public IReadOnlyList<string> EffectiveCultivars => Cultivars.Count > 0 ? Cultivars : DefaultCultivars;
}
