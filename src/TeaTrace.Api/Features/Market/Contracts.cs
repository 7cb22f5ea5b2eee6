using System.ComponentModel.DataAnnotations;

namespace TeaTrace.Api.Features.Market;

public sealed record CreateTradeRequest(
    [property: Required, StringLength(40)] string LotId,
    [property: Required, StringLength(200, MinimumLength = 1)] string Buyer,
    [property: Required, Range(1, 100000)] int? Units,
    [property: Required, Range(0.01, 1000000.0)] decimal? UnitPriceCny,
    [property: Required] DateTimeOffset? TradedAt,
    [property: StringLength(100)] string? Market);

public sealed record RebuildRequest([property: Required] DateOnly? From, [property: Required] DateOnly? To);

internal sealed record TradeResponse(string Id, string LotId, string Buyer, int Units, decimal UnitPriceCny, decimal TotalCny, DateTimeOffset TradedAt,
    DateOnly Day, string? Market, int RemainingUnits, DateTimeOffset RecordedAt);

internal sealed record MarketDay(DateOnly Date, string Style, string Grade, int Trades, int Units, decimal VolumeKg, decimal MinPrice, decimal AvgPrice,
    decimal MaxPrice, decimal VwapPerKg, bool Closed, DateTimeOffset ChangedAt);

internal sealed record ProductionGroup(string Group, decimal FreshLeafKg, decimal MadeTeaKg, double? YieldRatio, int Farms, int Batches);

internal sealed record RebuildAccepted(DateOnly From, DateOnly To, string JobId);
