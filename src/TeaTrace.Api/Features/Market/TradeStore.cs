using System.Globalization;
using Dapper;
using Microsoft.Extensions.Options;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Features.Lots;
using TeaTrace.Api.Features.Recalls;
using TeaTrace.Api.Idempotency;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Market;

/// <summary>
/// Trades: units of a lot sold to a buyer at a price. A unit is sold once; each trade is a ledger entry. A trade is
/// never dated on a closed market day, and its price per kg is checked against recent trades of the same style and grade.
/// </summary>
internal sealed class TradeStore(ILedgerWriter writer, IOptionsMonitor<MarketOptions> options)
{
    private const string SelectLot = """
        SELECT l.id, l.code, l.org_id, l.packed_on, l.net_weight_g, b.factory_org_id, b.style, b.grade
        FROM lots l JOIN batches b ON b.id = l.batch_id WHERE l.id = @Id
        """;

    private const string InsertTrade = """
        INSERT INTO trades (id, lot_id, units, unit_price_fen, traded_at, trade_day, market, price_check, override_reason, created_at)
        VALUES (@Id, @LotId, @Units, @UnitPriceFen, @TradedAt, @TradeDay, @Market, @PriceCheck, @OverrideReason, @CreatedAt)
        """;

    // The kg-weighted median price per kg of the style and grade over the window: half the tea sold at this price or
    // less. One large trade at a silly price cannot move it the way it moves an average, and trades already kept out
    // of the figures do not count.
    private const string SelectReference = """
        WITH recent AS (
            SELECT CAST(t.unit_price_fen AS DOUBLE PRECISION) * 1000 / l.net_weight_g AS fen_per_kg, t.units * l.net_weight_g AS grams
            FROM trades t JOIN lots l ON l.id = t.lot_id JOIN batches b ON b.id = l.batch_id
            WHERE t.trade_day BETWEEN @From AND @To AND b.style = @Style AND b.grade = @Grade AND t.price_check <> 'override'
        ), running AS (
            SELECT fen_per_kg, SUM(grams) OVER (ORDER BY fen_per_kg ROWS UNBOUNDED PRECEDING) AS at_or_below, SUM(grams) OVER () AS total,
                   COUNT(*) OVER () AS trades
            FROM recent
        )
        SELECT fen_per_kg, trades FROM running WHERE 2 * at_or_below >= total ORDER BY fen_per_kg LIMIT 1
        """;

    // The seller's units leave in packing order; which tin a buyer gets is not recorded by a trade of a count.
    private const string AssignUnit = "INSERT INTO trade_units (serial, trade_id) VALUES (@Serial, @TradeId)";

    private const string MarkSold = "UPDATE units SET status = 'sold' WHERE serial IN (SELECT serial FROM trade_units WHERE trade_id = @TradeId)";

    private sealed class LotRow
    {
        public string Id { get; init; } = "";
        public string Code { get; init; } = "";
        public string OrgId { get; init; } = "";
        public DateOnly PackedOn { get; init; }
        public long NetWeightG { get; init; }
        public string FactoryOrgId { get; init; } = "";
        public string Style { get; init; } = "";
        public string Grade { get; init; } = "";
    }

    private sealed class ReferenceRow
    {
        public double FenPerKg { get; init; }
        public long Trades { get; init; }
    }

    public Task<WriteResult<TradeResponse>> RecordAsync(Caller caller, CreateTradeRequest request, Reply<TradeResponse>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => Record(tx, caller, request), reply, cancellationToken);

    internal WriteResult<TradeResponse> Record(LedgerTransaction tx, Caller caller, CreateTradeRequest request)
    {
        var tradedAt = request.TradedAt!.Value;
        if (tradedAt > tx.Now.AddMinutes(10))
        {
            return CommonRefusals.InTheFuture("tradedAt");
        }

        var price = request.UnitPriceCny!.Value;
        if (decimal.Round(price, 2) != price)
        {
            return MarketRefusals.PriceToTheFen();
        }

        var lot = tx.QuerySingleOrDefault<LotRow>(SelectLot, new { Id = request.LotId });
        if (lot is null)
        {
            return Refusal.NotFound(Noun.Lot, request.LotId);
        }

        // Units are sold by the organisation that holds them: the packer (an admin sells for it), or a shop they were shipped to.
        var sellerId = caller.IsAdmin ? lot.OrgId : caller.OrgId;
        if (!Custody.TinHoldings.IsHolder(tx.Connection, tx.Transaction, lot.Id, sellerId, lot.OrgId))
        {
            return MarketRefusals.SellersOnly();
        }

        if (RecallReads.ReachingLot(tx, lot.Id) is { } recallId)
        {
            return MarketRefusals.RecalledLot(lot.Code, recallId);
        }

        var day = ChinaTime.DateOf(tradedAt);
        if (day < lot.PackedOn)
        {
            return MarketRefusals.SoldBeforePacked(lot.Code, lot.PackedOn);
        }

        if (MarketStore.DayState(tx, day) == MarketStore.Closed)
        {
            return MarketRefusals.DayClosed(day);
        }

        var units = request.Units!.Value;
        var remaining = Custody.TinHoldings.UnsoldCount(tx.Connection, tx.Transaction, lot.Id, sellerId, lot.OrgId);
        if (units > remaining)
        {
            return MarketRefusals.MoreUnitsThanRemain(lot.Id, lot.Code, remaining, units);
        }

        var pricePerKg = price * 1000m / lot.NetWeightG;
        var band = Band(tx, lot, day, options.CurrentValue);
        var overrideReason = string.IsNullOrWhiteSpace(request.OverrideReason) ? null : request.OverrideReason.Trim();
        var inBand = pricePerKg >= band.MinPerKg && pricePerKg <= band.MaxPerKg;
        if (!inBand && overrideReason is null)
        {
            return MarketRefusals.OutsideBand(pricePerKg, band, lot.Style, lot.Grade);
        }

        var check = !inBand ? PriceCheck.Override : band.ReferencePerKg is null ? PriceCheck.NoReference : PriceCheck.InBand;
        var trade = new TradeResponse(Ids.New("trd"), lot.Id, request.Buyer.Trim(), units, price, price * units, decimal.Round(pricePerKg, 2), tradedAt, day,
            string.IsNullOrWhiteSpace(request.Market) ? null : request.Market.Trim(), check, band, inBand ? null : overrideReason, remaining - units, sellerId, tx.Now);
        tx.Execute(InsertTrade, new
        {
            trade.Id,
            trade.LotId,
            trade.Units,
            UnitPriceFen = (long)(price * 100),
            TradedAt = tradedAt,
            TradeDay = TypeHandlers.Format(day),
            trade.Market,
            trade.PriceCheck,
            trade.OverrideReason,
            CreatedAt = tx.Now,
        });
        var serials = Custody.TinHoldings.Unsold(tx.Connection, tx.Transaction, lot.Id, sellerId, lot.OrgId, units);
        tx.Connection.Execute(AssignUnit, serials.Select(s => new { Serial = s, TradeId = trade.Id }), tx.Transaction);
        tx.Execute(MarkSold, new { TradeId = trade.Id });
        tx.Append(EntryTypes.TradeRecorded, trade.Id, caller, trade);
        return trade;
    }

    /// <summary>
    /// The limits a trade's price per kg is held to: the band around recent trades of the lot's style and grade, inside
    /// the range any tea sells at. With too few recent trades there is no band and the range alone applies.
    /// </summary>
    private static PriceBand Band(LedgerTransaction tx, LotRow lot, DateOnly day, MarketOptions rules)
    {
        var from = day.AddDays(-rules.PriceLookbackDays);
        var reference = tx.QuerySingleOrDefault<ReferenceRow>(SelectReference,
            new { From = TypeHandlers.Format(from), To = TypeHandlers.Format(day), lot.Style, lot.Grade });
        var (floor, ceiling) = ((decimal)rules.MinPricePerKg, (decimal)rules.MaxPricePerKg);
        if (reference is null || reference.Trades < rules.MinReferenceTrades)
        {
            return new PriceBand(lot.Style, lot.Grade, null, floor, ceiling, rules.PriceBandFactor, (int)(reference?.Trades ?? 0), from, day);
        }

        var perKg = decimal.Round((decimal)reference.FenPerKg / 100m, 2);
        var factor = (decimal)rules.PriceBandFactor;
        return new PriceBand(lot.Style, lot.Grade, perKg, Math.Max(floor, decimal.Round(perKg / factor, 2)), Math.Min(ceiling, decimal.Round(perKg * factor, 2)),
            rules.PriceBandFactor, (int)reference.Trades, from, day);
    }
}
