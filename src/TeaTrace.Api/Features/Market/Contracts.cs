using System.ComponentModel.DataAnnotations;

namespace TeaTrace.Api.Features.Market;

public sealed record CreateTradeRequest(
    [property: Required, StringLength(40)] string LotId,
    [property: Required, StringLength(200, MinimumLength = 1)] string Buyer,
    [property: Required, Range(1, 100000)] int? Units,
    [property: Required, Range(0.01, 1000000.0)] decimal? UnitPriceCny,
    [property: Required] DateTimeOffset? TradedAt,
    [property: StringLength(100)] string? Market,
    [property: StringLength(500)] string? OverrideReason);

public sealed record RebuildRequest([property: Required] DateOnly? From, [property: Required] DateOnly? To);

public sealed record ReopenDayRequest([property: Required, StringLength(500, MinimumLength = 1)] string Reason);

/// <summary>How a trade's price compared with recent trades: in-band, no-reference (flagged for review) or override (kept out of the figures).</summary>
internal static class PriceCheck
{
    public const string InBand = "in-band";
    public const string NoReference = "no-reference";
    public const string Override = "override";
}

/// <summary>
/// What a trade's price per kg was checked against, in CNY: the reference (null with too few recent trades) and the
/// limits, the band around the reference inside the range any tea sells at.
/// </summary>
internal sealed record PriceBand(string Style, string Grade, decimal? ReferencePerKg, decimal MinPerKg, decimal MaxPerKg, double Factor, int ReferenceTrades,
    DateOnly ReferenceFrom, DateOnly ReferenceTo);

internal sealed record TradeResponse(string Id, string LotId, string Buyer, int Units, decimal UnitPriceCny, decimal TotalCny, decimal PricePerKg,
    DateTimeOffset TradedAt, DateOnly Day, string? Market, string PriceCheck, PriceBand Band, string? OverrideReason, int RemainingUnits, string SellerOrgId, DateTimeOffset RecordedAt);

/// <summary>
/// One day, style and grade. The prices and volumes count the trades inside the price band and those flagged for review;
/// excludedTrades were recorded outside the band with a reason and are not in them. Prices are null when every trade
/// of the day was excluded.
/// </summary>
internal sealed record MarketDay(DateOnly Date, string Style, string Grade, int Trades, int Units, decimal VolumeKg, decimal? MinPrice, decimal? AvgPrice,
    decimal? MaxPrice, decimal? VwapPerKg, int ExcludedTrades, int ReviewTrades, bool Closed, DateTimeOffset ChangedAt);

internal sealed record ProductionGroup(string Group, decimal FreshLeafKg, decimal MadeTeaKg, double? YieldRatio, int Farms, int Batches);

internal sealed record RebuildAccepted(DateOnly From, DateOnly To, string JobId);

internal sealed record MarketDayState(DateOnly Date, string State, string? Reason, DateTimeOffset ChangedAt);
