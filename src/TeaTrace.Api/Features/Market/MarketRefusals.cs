using System.Globalization;
using TeaTrace.Api.Common;
using static TeaTrace.Api.Common.Refusal;

namespace TeaTrace.Api.Features.Market;

/// <summary>Refusals of trades and market days, in English and Chinese.</summary>
internal static class MarketRefusals
{
    private static string Day(DateOnly day) => Data.TypeHandlers.Format(day);

    public static Refusal PriceToTheFen() =>
        Invalid("unitPriceCny", new("unitPriceCny is in yuan to the fen: at most 2 decimal places.", "单价以元为单位，精确到分：最多两位小数。"));

    public static Refusal SellersOnly() =>
        Forbidden(new("Units are sold by the organisation that holds them: the lot's packer, or a shop that received them by a shipment.",
            "成品由持有它的组织销售：该批号的包装方，或通过发货单收到这些成品的经销商。"));

    public static Refusal RecalledLot(string lotCode, string recallId) =>
        Rule(new("Recalled lot", "批号已召回"),
            new($"Lot {lotCode} is under recall {recallId}; its units cannot be sold.", $"批号 {lotCode} 已被召回（{recallId}），不能销售。"),
            new Dictionary<string, object?> { ["recallId"] = recallId });

    public static Refusal SoldBeforePacked(string lotCode, DateOnly packedOn) =>
        Rule(new("Sold before packed", "销售早于包装"),
            new($"Lot {lotCode} was packed on {Day(packedOn)}; it cannot be sold before.", $"批号 {lotCode} 于 {Day(packedOn)} 包装，不能在此之前销售。"));

    public static Refusal DayClosed(DateOnly day) =>
        Rule(new("Market day closed", "该交易日已结算"),
            new($"The market day {Day(day)} is closed and its figures are final; an admin can reopen it, with a reason, for late trades.",
                $"交易日 {Day(day)} 已结算，数据已定稿；如需补录，请管理员说明原因后重新开放该日。"),
            new Dictionary<string, object?> { ["day"] = Day(day) });

    public static Refusal MoreUnitsThanRemain(string lotId, string lotCode, long remaining, int requested) =>
        Rule(new("More units than remain", "剩余数量不足"),
            new($"Lot {lotCode} has {remaining} units left for this seller to sell; this trade asks for {requested}.", $"批号 {lotCode} 本销售方只剩 {remaining} 件可售；本次交易需要 {requested} 件。"),
            new Dictionary<string, object?> { ["lotId"] = lotId, ["remainingUnits"] = remaining, ["requestedUnits"] = requested });

    public static Refusal OutsideBand(decimal pricePerKg, PriceBand band, string style, string grade)
    {
        var limits = string.Create(CultureInfo.InvariantCulture, $"¥{band.MinPerKg:0.00}–¥{band.MaxPerKg:0.00}/kg");
        var price = string.Create(CultureInfo.InvariantCulture, $"¥{pricePerKg:0.00}/kg");
        Text detail = band.ReferencePerKg is { } reference
            ? new(string.Create(CultureInfo.InvariantCulture,
                    $"{price} is outside {limits}: ÷/× {band.Factor} around ¥{reference:0.00}/kg, the median price of {band.ReferenceTrades} trades of {style} {grade} from {Day(band.ReferenceFrom)} to {Day(band.ReferenceTo)}. Check the unit price and the lot; send overrideReason to record it anyway, kept out of the daily figures."),
                string.Create(CultureInfo.InvariantCulture,
                    $"每公斤 {price} 超出 {limits}：即 {Day(band.ReferenceFrom)} 至 {Day(band.ReferenceTo)} 间 {band.ReferenceTrades} 笔 {style} {grade} 交易的中位价 ¥{reference:0.00}/kg 的 {band.Factor} 倍范围。请检查单价和批号；如确需登记，请填写 overrideReason，此笔交易不计入每日行情。"))
            : new(string.Create(CultureInfo.InvariantCulture,
                    $"{price} is outside {limits}, the range any tea is sold at; {style} {grade} has too few recent trades for a band of its own. Check the unit price and the lot; send overrideReason to record it anyway, kept out of the daily figures."),
                $"每公斤 {price} 超出任何茶叶的售价范围 {limits}；{style} {grade} 近期交易太少，无法形成参考价。请检查单价和批号；如确需登记，请填写 overrideReason，此笔交易不计入每日行情。");
        return Rule(band.ReferencePerKg is null ? new("Price outside the plausible range", "价格超出合理范围") : new("Price outside the market band", "价格超出行情区间"),
            detail,
            new Dictionary<string, object?>
            {
                ["pricePerKg"] = decimal.Round(pricePerKg, 2),
                ["minPerKg"] = band.MinPerKg,
                ["maxPerKg"] = band.MaxPerKg,
                ["referencePerKg"] = band.ReferencePerKg,
                ["factor"] = band.Factor,
                ["referenceTrades"] = band.ReferenceTrades,
                ["referenceFrom"] = Day(band.ReferenceFrom),
                ["referenceTo"] = Day(band.ReferenceTo),
                ["style"] = style,
                ["grade"] = grade,
            });
    }

    public static Refusal AlreadyReopened(DateOnly day) =>
        Conflict(new($"Market day {Day(day)} is already reopened; it closes again at the next close.", $"交易日 {Day(day)} 已重新开放，下次结算时会再次关闭。"));

    public static Refusal NotClosed(DateOnly day) =>
        Conflict(new($"Market day {Day(day)} is not closed; trades dated on it are accepted.", $"交易日 {Day(day)} 尚未结算，可以直接登记该日的交易。"));

    public static Refusal BadDay(int firstYear, int lastYear) =>
        Invalid("date", new($"date is a day as YYYY-MM-DD between {firstYear} and {lastYear}.", $"date 须为 {firstYear} 到 {lastYear} 年之间的日期，格式 YYYY-MM-DD。"));

    public static Refusal Range(int maxDays) =>
        Invalid("from", new($"from must not be after to, and the range at most {maxDays} days.", $"from 不能晚于 to，且范围最多 {maxDays} 天。"));

    public static Refusal FromAfterTo() =>
        Invalid("from", new("from must not be after to.", "from 不能晚于 to。"));

    public static Refusal GroupBy() =>
        Invalid("groupBy", new("groupBy is town, cultivar or month.", "groupBy 须为 town、cultivar 或 month。"));
}
