using System.ComponentModel.DataAnnotations;

namespace TeaTrace.Api.Common;

internal sealed class TeaTraceOptions
{
    public const string SectionName = "TeaTrace";

    /// <summary>The scheme and host printed into Digital Links; required in Production, the request's own elsewhere when unset.</summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>When set and no admin key exists, this string becomes an admin key.</summary>
    [MinLength(32, ErrorMessage = "TeaTrace:BootstrapAdminKey must be at least 32 characters: it opens everything, so it must not be guessable.")]
    public string? BootstrapAdminKey { get; set; }

    /// <summary>"demo" loads seeds/demo.json into an empty database; "none" loads nothing. Defaults by environment.</summary>
    [RegularExpression("^(demo|none)$", ErrorMessage = "TeaTrace:Seed must be 'demo' or 'none'.")]
    public string? Seed { get; set; }
}

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

    public bool InArea(double latitude, double longitude) =>
        latitude >= MinLatitude && latitude <= MaxLatitude && longitude >= MinLongitude && longitude <= MaxLongitude;

    public bool IsGiCultivar(string cultivar) => EffectiveCultivars.Contains(cultivar.Trim(), StringComparer.OrdinalIgnoreCase);
}

internal sealed record NamedCode(string Code, string Zh, string En);

/// <summary>Processing rules that are judgements, not laws: the yield band, moisture, styles and grades, banned pesticides.</summary>
internal sealed class ProcessingOptions
{
    public const string SectionName = "TeaTrace:Processing";

    public static readonly NamedCode[] DefaultStyles =
    [
        new("golden-tip", "金毫茶", "Golden-tip"),
        new("strip", "红条茶", "Strip black tea"),
        new("broken", "红碎茶", "Broken black tea"),
    ];

    public static readonly NamedCode[] DefaultGrades =
    [
        new("special", "特级", "Special grade"),
        new("first", "一级", "First grade"),
        new("second", "二级", "Second grade"),
        new("third", "三级", "Third grade"),
    ];

    // Pesticides banned on tea in China (MARA announcements 199, 274, 2032, 148); matched on product or active ingredient.
    public static readonly string[] DefaultBannedPesticides =
    [
        "甲胺磷", "methamidophos", "对硫磷", "parathion", "甲拌磷", "phorate", "克百威", "carbofuran", "涕灭威", "aldicarb",
        "氧乐果", "omethoate", "水胺硫磷", "isocarbophos", "灭多威", "methomyl", "氰戊菊酯", "fenvalerate", "硫丹", "endosulfan",
        "氟虫腈", "fipronil", "乙酰甲胺磷", "acephate", "丁硫克百威", "carbosulfan", "乐果", "dimethoate", "内吸磷", "demeton",
    ];

    /// <summary>Made tea may be at least fresh leaf ÷ this (4–4.5 kg of leaf usually make 1 kg of tea).</summary>
    [Range(1.0, 20.0)]
    public double MaxLeafPerTeaKg { get; set; } = 6.0;

    /// <summary>Made tea may be at most fresh leaf ÷ this.</summary>
    [Range(1.0, 20.0)]
    public double MinLeafPerTeaKg { get; set; } = 3.8;

    /// <summary>Finished black tea is dried to at most this moisture.</summary>
    [Range(0.0, 100.0)]
    public double MaxMoisturePct { get; set; } = 7.0;

    public List<NamedCode> Styles { get; set; } = [];

    public List<NamedCode> Grades { get; set; } = [];

    public List<string> BannedPesticides { get; set; } = [];

    public IReadOnlyList<NamedCode> EffectiveStyles => Styles.Count > 0 ? Styles : DefaultStyles;

    public IReadOnlyList<NamedCode> EffectiveGrades => Grades.Count > 0 ? Grades : DefaultGrades;

    public IReadOnlyList<string> EffectiveBannedPesticides => BannedPesticides.Count > 0 ? BannedPesticides : DefaultBannedPesticides;
}

internal sealed class LedgerOptions
{
    public const string SectionName = "TeaTrace:Ledger";

    /// <summary>The checkpoint origin line, and the signing key's name.</summary>
    [Required, RegularExpression(@"^[^\s+]+$", ErrorMessage = "TeaTrace:Ledger:Origin is one word with no spaces or '+', such as teatrace.local/ledger.")]
    public string Origin { get; set; } = "teatrace.local/ledger";

    [Required]
    public string SigningKeyPath { get; set; } = "data/ledger.key";
}
