using Dapper;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Idempotency;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Market;

/// <summary>
/// The daily market figures, derived from the recorded trades. Rebuilding a day recomputes it from its trades and
/// writes only what changed, so a rebuild gives identical rows and changed_at moves only when the numbers do.
/// The figures are not ledger entries: the trades they come from are, and anyone can recompute them. Closing a day is
/// an entry, carrying the figures it fixed: from then on no trade may be dated on that day unless an admin reopens it.
/// </summary>
internal sealed class MarketStore(SqliteConnectionFactory connections, ILedgerWriter writer)
{
    public const string Closed = "closed";
    public const string Reopened = "reopened";

    // Trades recorded outside the price band (with a reason) are counted apart and kept out of every figure.
    private const string ComputeDay = """
        SELECT b.style, b.grade,
               COUNT(*) FILTER (WHERE t.price_check <> 'override') AS trades,
               COALESCE(SUM(t.units) FILTER (WHERE t.price_check <> 'override'), 0) AS units,
               COALESCE(SUM(t.units * l.net_weight_g) FILTER (WHERE t.price_check <> 'override'), 0) AS volume_g,
               COALESCE(SUM(t.units * t.unit_price_fen) FILTER (WHERE t.price_check <> 'override'), 0) AS total_fen,
               COALESCE(MIN(t.unit_price_fen) FILTER (WHERE t.price_check <> 'override'), 0) AS min_price_fen,
               COALESCE(MAX(t.unit_price_fen) FILTER (WHERE t.price_check <> 'override'), 0) AS max_price_fen,
               COUNT(*) FILTER (WHERE t.price_check = 'override') AS excluded_trades,
               COUNT(*) FILTER (WHERE t.price_check = 'no-reference') AS review_trades
        FROM trades t JOIN lots l ON l.id = t.lot_id JOIN batches b ON b.id = l.batch_id
        WHERE t.trade_day = @Day
        GROUP BY b.style, b.grade
        """;

    private const string Columns = "day, style, grade, trades, units, volume_g, total_fen, min_price_fen, max_price_fen, excluded_trades, review_trades, closed, changed_at";

    private const string SelectStored = $"SELECT {Columns} FROM market_daily WHERE day = @Day";

    private const string Upsert = $"""
        INSERT INTO market_daily ({Columns})
        VALUES (@Day, @Style, @Grade, @Trades, @Units, @VolumeG, @TotalFen, @MinPriceFen, @MaxPriceFen, @ExcludedTrades, @ReviewTrades, @Closed, @ChangedAt)
        ON CONFLICT (day, style, grade) DO UPDATE SET trades = excluded.trades, units = excluded.units, volume_g = excluded.volume_g,
            total_fen = excluded.total_fen, min_price_fen = excluded.min_price_fen, max_price_fen = excluded.max_price_fen,
            excluded_trades = excluded.excluded_trades, review_trades = excluded.review_trades, closed = excluded.closed, changed_at = excluded.changed_at
        """;

    private const string DeleteRow = "DELETE FROM market_daily WHERE day = @Day AND style = @Style AND grade = @Grade";

    private const string SelectDayState = "SELECT day AS date, state, reason, changed_at FROM market_days WHERE day = @Day";

    private const string UpsertDayState = """
        INSERT INTO market_days (day, state, changed_at, reason) VALUES (@Day, @State, @ChangedAt, @Reason)
        ON CONFLICT (day) DO UPDATE SET state = excluded.state, changed_at = excluded.changed_at, reason = excluded.reason
        """;

    private const string ReopenFigures = "UPDATE market_daily SET closed = 0 WHERE day = @Day";

    // Days the close has not reached although they are due: any with trades (dated late, or from before the close
    // existed) and any an admin reopened.
    private const string SelectUnclosedDays = """
        SELECT DISTINCT t.trade_day FROM trades t
        WHERE t.trade_day <= @Through AND NOT EXISTS (SELECT 1 FROM market_days d WHERE d.day = t.trade_day AND d.state = 'closed')
        UNION
        SELECT day FROM market_days WHERE state = 'reopened' AND day <= @Through
        """;

    private const string SelectReopenedDays = "SELECT day FROM market_days WHERE state = 'reopened' ORDER BY day";

    internal sealed record Figures(string Style, string Grade, long Trades, long Units, long VolumeG, long TotalFen, long MinPriceFen, long MaxPriceFen,
        long ExcludedTrades, long ReviewTrades);

    internal sealed class StoredRow
    {
        public DateOnly Day { get; init; }
        public string Style { get; init; } = "";
        public string Grade { get; init; } = "";
        public long Trades { get; init; }
        public long Units { get; init; }
        public long VolumeG { get; init; }
        public long TotalFen { get; init; }
        public long MinPriceFen { get; init; }
        public long MaxPriceFen { get; init; }
        public long ExcludedTrades { get; init; }
        public long ReviewTrades { get; init; }
        public bool Closed { get; init; }
        public DateTimeOffset ChangedAt { get; init; }

        public Figures Figures => new(Style, Grade, Trades, Units, VolumeG, TotalFen, MinPriceFen, MaxPriceFen, ExcludedTrades, ReviewTrades);

        public MarketDay ToDay() => Units == 0
            ? new(Day, Style, Grade, (int)Trades, 0, 0m, null, null, null, null, (int)ExcludedTrades, (int)ReviewTrades, Closed, ChangedAt)
            : new(Day, Style, Grade, (int)Trades, (int)Units, Weight.ToKg(VolumeG), MinPriceFen / 100m, decimal.Round(TotalFen / 100m / Units, 2), MaxPriceFen / 100m,
                decimal.Round(TotalFen / 100m / Weight.ToKg(VolumeG), 2), (int)ExcludedTrades, (int)ReviewTrades, Closed, ChangedAt);
    }

    private sealed class DayStateRow
    {
        public DateOnly Date { get; init; }
        public string State { get; init; } = "";
        public string? Reason { get; init; }
        public DateTimeOffset ChangedAt { get; init; }
    }

    /// <summary>closed, reopened, or null for a day the close has not reached.</summary>
    internal static string? DayState(LedgerTransaction tx, DateOnly day) =>
        tx.QuerySingleOrDefault<DayStateRow>(SelectDayState, new { Day = TypeHandlers.Format(day) })?.State;

    /// <summary>
    /// Recomputes one day. close fixes it: its figures are marked final and, if it was not closed yet, the close is
    /// appended to the ledger with the figures. A day already closed stays closed whatever close says. Returns how many
    /// rows of figures changed.
    /// </summary>
    public async Task<int> RebuildDayAsync(DateOnly day, bool close, CancellationToken cancellationToken)
    {
        var result = await writer.WriteAsync<int>(tx =>
        {
            var dayText = TypeHandlers.Format(day);
            var state = DayState(tx, day);
            var closed = close || state == Closed;
            var computed = tx.Query<StoredRow>(ComputeDay, new { Day = dayText }).Select(r => r.Figures).ToList();
            var stored = tx.Query<StoredRow>(SelectStored, new { Day = dayText }).ToDictionary(r => (r.Style, r.Grade));
            var changed = 0;
            foreach (var figures in computed)
            {
                var same = stored.Remove((figures.Style, figures.Grade), out var row) && row.Figures == figures;
                if (same && row!.Closed == closed)
                {
                    continue;
                }

                tx.Execute(Upsert, new
                {
                    Day = dayText,
                    figures.Style,
                    figures.Grade,
                    figures.Trades,
                    figures.Units,
                    figures.VolumeG,
                    figures.TotalFen,
                    figures.MinPriceFen,
                    figures.MaxPriceFen,
                    figures.ExcludedTrades,
                    figures.ReviewTrades,
                    Closed = closed,
                    ChangedAt = same ? row!.ChangedAt : tx.Now,
                });
                changed += same ? 0 : 1;
            }

            foreach (var gone in stored.Values)
            {
                tx.Execute(DeleteRow, new { Day = dayText, gone.Style, gone.Grade });
                changed++;
            }

            if (close && state != Closed)
            {
                tx.Execute(UpsertDayState, new { Day = dayText, State = Closed, ChangedAt = tx.Now, Reason = (string?)null });
                tx.Append(EntryTypes.MarketDayClosed, dayText, Caller.System, new { Day = day, WasReopened = state == Reopened, Figures = computed });
            }

            return changed;
        }, cancellationToken);
        return result.Value;
    }

    /// <summary>Opens a closed day again for late trades, with the admin's reason; the next close fixes it again.</summary>
    public Task<WriteResult<MarketDayState>> ReopenAsync(Caller caller, DateOnly day, string reason, Reply<MarketDayState>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync<MarketDayState>(tx =>
        {
            var dayText = TypeHandlers.Format(day);
            var state = DayState(tx, day);
            if (state != Closed)
            {
                return state == Reopened ? MarketRefusals.AlreadyReopened(day) : MarketRefusals.NotClosed(day);
            }

            var reopened = new MarketDayState(day, Reopened, reason.Trim(), tx.Now);
            tx.Execute(UpsertDayState, new { Day = dayText, State = Reopened, ChangedAt = tx.Now, reopened.Reason });
            tx.Execute(ReopenFigures, new { Day = dayText });
            tx.Append(EntryTypes.MarketDayReopened, dayText, caller, reopened);
            return reopened;
        }, reply, cancellationToken);

    /// <summary>Days up to and including through that the close has yet to fix: days with unclosed trades, and reopened days.</summary>
    public IReadOnlyList<DateOnly> UnclosedDays(DateOnly through)
    {
        using var connection = connections.Open();
        return connection.Query<string>(SelectUnclosedDays, new { Through = TypeHandlers.Format(through) }).Select(ParseDay).Order().ToList();
    }

    public IReadOnlyList<DateOnly> ReopenedDays()
    {
        using var connection = connections.Open();
        return connection.Query<string>(SelectReopenedDays).Select(ParseDay).ToList();
    }

    private static DateOnly ParseDay(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public IReadOnlyList<MarketDay> Daily(DateOnly from, DateOnly to, string? style, string? grade)
    {
        using var connection = connections.Open();
        return connection.Query<StoredRow>($"""
            SELECT {Columns} FROM market_daily
            WHERE day BETWEEN @From AND @To AND (@Style IS NULL OR style = @Style) AND (@Grade IS NULL OR grade = @Grade)
            ORDER BY day, style, grade
            """, new { From = TypeHandlers.Format(from), To = TypeHandlers.Format(to), Style = style, Grade = grade })
            .Select(r => r.ToDay()).ToList();
    }

    private sealed class ProductionRow
    {
        public string Grp { get; init; } = "";
        public long FreshLeafG { get; init; }
        public double MadeTeaG { get; init; }
        public long ProcessedLeafG { get; init; }
        public long Farms { get; init; }
        public long Batches { get; init; }
    }

    /// <summary>
    /// Leaf picked in the period by group; made tea attributed to each harvest by its share of the leaf in completed
    /// batches; the yield ratio is made tea over the leaf those completed batches took (leaf not yet processed is not counted).
    /// </summary>
    public IReadOnlyList<ProductionGroup> Production(DateOnly from, DateOnly to, string groupBy)
    {
        var group = groupBy switch
        {
            "town" => "p.town",
            "cultivar" => "p.cultivar",
            _ => "substr(h.picked_on, 1, 7)",
        };
        using var connection = connections.Open();
        return connection.Query<ProductionRow>($"""
            SELECT {group} AS grp,
                   SUM(h.fresh_leaf_g) AS fresh_leaf_g,
                   COALESCE(SUM((SELECT SUM(CAST(b.made_tea_g AS REAL) * bi.leaf_g / b.fresh_leaf_g) FROM batch_inputs bi JOIN batches b ON b.id = bi.batch_id
                                 WHERE bi.harvest_id = h.id AND b.status = 'completed')), 0.0) AS made_tea_g,
                   COALESCE(SUM((SELECT SUM(bi.leaf_g) FROM batch_inputs bi JOIN batches b ON b.id = bi.batch_id
                                 WHERE bi.harvest_id = h.id AND b.status = 'completed')), 0) AS processed_leaf_g,
                   COUNT(DISTINCT p.org_id) AS farms,
                   (SELECT COUNT(DISTINCT bi.batch_id) FROM batch_inputs bi JOIN harvests h2 ON h2.id = bi.harvest_id JOIN plots p2 ON p2.id = h2.plot_id
                    WHERE h2.picked_on BETWEEN @From AND @To AND {group.Replace("p.", "p2.", StringComparison.Ordinal).Replace("h.", "h2.", StringComparison.Ordinal)} = {group}) AS batches
            FROM harvests h JOIN plots p ON p.id = h.plot_id
            WHERE h.picked_on BETWEEN @From AND @To
            GROUP BY grp ORDER BY grp
            """, new { From = TypeHandlers.Format(from), To = TypeHandlers.Format(to) })
            .Select(r => new ProductionGroup(r.Grp, Weight.ToKg(r.FreshLeafG), Weight.ToKg((long)Math.Round(r.MadeTeaG)),
                r.ProcessedLeafG == 0 ? null : Math.Round(r.MadeTeaG / r.ProcessedLeafG, 4), (int)r.Farms, (int)r.Batches))
            .ToList();
    }
}
