using System.ComponentModel.DataAnnotations;

namespace TeaTrace.Api.Features.Market;

/// <summary>The market's judgements: how far a price may stray from recent trades, and when a day is final.</summary>
internal sealed class MarketOptions
{
    public const string SectionName = "TeaTrace:Market";

    /// <summary>
    /// A trade's price per kg must lie between the reference divided by this and the reference times this. Prices of one
    /// style and grade differ by brand, packaging and season by well under this; a typing slip (an extra zero) does not.
    /// </summary>
    [Range(1.1, 100.0)]
    public double PriceBandFactor { get; set; } = 3.0;

    /// <summary>
    /// The reference is the kg-weighted median price per kg of the trades of the same style and grade dated in the
    /// this many days up to the trade's own day. Long enough to bridge the winter, when a grade may not sell for weeks.
    /// </summary>
    [Range(1, 366)]
    public int PriceLookbackDays { get; set; } = 90;

    /// <summary>With fewer reference trades than this there is no band: the trade is accepted and flagged for review.</summary>
    [Range(1, 1000)]
    public int MinReferenceTrades { get; set; } = 3;

    /// <summary>
    /// The range any Yingde black tea sells at, in CNY per kg, from bulk broken tea to the finest golden-tip; it holds
    /// while a style and grade has too few recent trades for a band, so a first trade cannot set an absurd reference.
    /// </summary>
    [Range(0.01, 100000000.0)]
    public double MinPricePerKg { get; set; } = 10;

    [Range(0.01, 100000000.0)]
    public double MaxPricePerKg { get; set; } = 100000;

    /// <summary>A day closes once it is this many days old; until then late trades (Saturday's sales entered on Monday) still go in.</summary>
    [Range(1, 366)]
    public int CloseAfterDays { get; set; } = 7;
}
