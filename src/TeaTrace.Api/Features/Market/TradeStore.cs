using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Features.Lots;
using TeaTrace.Api.Features.Recalls;
using TeaTrace.Api.Ledger;
using TeaTrace.Api.Idempotency;

namespace TeaTrace.Api.Features.Market;

/// <summary>Trades: units of a lot sold to a buyer at a price. A unit is sold once; each trade is a ledger entry.</summary>
internal sealed class TradeStore(ILedgerWriter writer)
{
    private const string SelectLot = """
        SELECT l.id, l.code, l.org_id, l.packed_on, b.factory_org_id,
               (SELECT count(*) FROM units u WHERE u.lot_id = l.id AND u.status = 'issued') AS remaining
        FROM lots l JOIN batches b ON b.id = l.batch_id WHERE l.id = @Id
        """;

    private const string InsertTrade = """
        INSERT INTO trades (id, lot_id, buyer, units, unit_price_fen, traded_at, trade_day, market, created_at)
        VALUES (@Id, @LotId, @Buyer, @Units, @UnitPriceFen, @TradedAt, @TradeDay, @Market, @CreatedAt)
        """;

    // The units leave in packing order; which tin a buyer gets is not recorded by a trade of a count.
    private const string AssignUnits = """
        INSERT INTO trade_units (serial, trade_id)
        SELECT serial, @TradeId FROM units WHERE lot_id = @LotId AND status = 'issued' ORDER BY seq LIMIT @Units
        """;

    private const string MarkSold = "UPDATE units SET status = 'sold' WHERE serial IN (SELECT serial FROM trade_units WHERE trade_id = @TradeId)";

    private sealed class LotRow
    {
        public string Id { get; init; } = "";
        public string Code { get; init; } = "";
        public string OrgId { get; init; } = "";
        public DateOnly PackedOn { get; init; }
        public string FactoryOrgId { get; init; } = "";
        public long Remaining { get; init; }
    }

    public Task<WriteResult<TradeResponse>> RecordAsync(Caller caller, CreateTradeRequest request, Reply<TradeResponse>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => Record(tx, caller, request), reply, cancellationToken);

    internal static WriteResult<TradeResponse> Record(LedgerTransaction tx, Caller caller, CreateTradeRequest request)
    {
        var tradedAt = request.TradedAt!.Value;
        if (tradedAt > tx.Now.AddMinutes(10))
        {
            return Refusal.Invalid("tradedAt", "tradedAt cannot be in the future.");
        }

        var price = request.UnitPriceCny!.Value;
        if (decimal.Round(price, 2) != price)
        {
            return Refusal.Invalid("unitPriceCny", "unitPriceCny is in yuan to the fen: at most 2 decimal places.");
        }

        var lot = tx.QuerySingleOrDefault<LotRow>(SelectLot, new { Id = request.LotId });
        if (lot is null)
        {
            return Refusal.NotFound("lot", request.LotId);
        }

        if (!caller.IsAdmin && caller.OrgId != lot.OrgId && caller.OrgId != lot.FactoryOrgId)
        {
            return Refusal.Forbidden("Only the lot's packer or its factory sells its units.");
        }

        if (tx.ExecuteScalar<string>(RecallStore.RecallsReachingLot, new { LotId = lot.Id }) is { } recallId)
        {
            return Refusal.Rule("Recalled lot", $"Lot {lot.Code} is under recall {recallId}; its units cannot be sold.",
                new Dictionary<string, object?> { ["recallId"] = recallId });
        }

        var day = ChinaTime.DateOf(tradedAt);
        if (day < lot.PackedOn)
        {
            return Refusal.Rule("Sold before packed", $"Lot {lot.Code} was packed on {TypeHandlers.Format(lot.PackedOn)}; it cannot be sold before.");
        }

        var units = request.Units!.Value;
        if (units > lot.Remaining)
        {
            return Refusal.Rule("More units than remain",
                $"Lot {lot.Code} has {lot.Remaining} units left to sell; this trade asks for {units}.",
                new Dictionary<string, object?> { ["lotId"] = lot.Id, ["remainingUnits"] = lot.Remaining, ["requestedUnits"] = units });
        }

        var trade = new TradeResponse(Ids.New("trd"), lot.Id, request.Buyer.Trim(), units, price, price * units, tradedAt, day,
            string.IsNullOrWhiteSpace(request.Market) ? null : request.Market.Trim(), (int)lot.Remaining - units, tx.Now);
        tx.Execute(InsertTrade, new
        {
            trade.Id,
            trade.LotId,
            trade.Buyer,
            trade.Units,
            UnitPriceFen = (long)(price * 100),
            TradedAt = tradedAt,
            TradeDay = TypeHandlers.Format(day),
            trade.Market,
            CreatedAt = tx.Now,
        });
        tx.Execute(AssignUnits, new { TradeId = trade.Id, trade.LotId, Units = units });
        tx.Execute(MarkSold, new { TradeId = trade.Id });
        tx.Append("trade.recorded", trade.Id, caller.KeyId, trade);
        return trade;
    }
}
