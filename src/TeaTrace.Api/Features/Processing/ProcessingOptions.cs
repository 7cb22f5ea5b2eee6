using System.ComponentModel.DataAnnotations;
using TeaTrace.Api.Common;

namespace TeaTrace.Api.Features.Processing;

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

    // Pesticides banned on tea in China (MARA announcements 199, 274, 2032, 148; dicofol by announcement 2445); matched on product or active ingredient.
    public static readonly string[] DefaultBannedPesticides =
    [
        "甲胺磷", "methamidophos", "对硫磷", "parathion", "甲拌磷", "phorate", "克百威", "carbofuran", "涕灭威", "aldicarb",
        "氧乐果", "omethoate", "水胺硫磷", "isocarbophos", "灭多威", "methomyl", "氰戊菊酯", "fenvalerate", "硫丹", "endosulfan",
        "氟虫腈", "fipronil", "乙酰甲胺磷", "acephate", "丁硫克百威", "carbosulfan", "乐果", "dimethoate", "内吸磷", "demeton",
        "三氯杀螨醇", "dicofol",
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
