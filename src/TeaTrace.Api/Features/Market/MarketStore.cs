using Dapper;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Market;

/// <summary>
/// The daily market figures, derived from the recorded trades. Rebuilding a day recomputes it from its trades and
/// writes only what changed, so a rebuild gives identical rows and changed_at moves only when the numbers do.
/// The figures are not ledger entries: the trades they come from are, and anyone can recompute them.
/// </summary>
internal sealed class MarketStore(SqliteConnectionFactory connections, ILedgerWriter writer)
{
    private const string ComputeDay = """
        SELECT b.style, b.grade, count(*) AS trades, SUM(t.units) AS units, SUM(t.units * l.net_weight_g) AS volume_g,
               SUM(t.units * t.unit_price_fen) AS total_fen, MIN(t.unit_price_fen) AS min_price_fen, MAX(t.unit_price_fen) AS max_price_fen
        FROM trades t JOIN lots l ON l.id = t.lot_id JOIN batches b ON b.id = l.batch_id
        WHERE t.trade_day = @Day
        GROUP BY b.style, b.grade
        """;

    private const string SelectStored = """
        SELECT day, style, grade, trades, units, volume_g, total_fen, min_price_fen, max_price_fen, closed, changed_at FROM market_daily WHERE day = @Day
        """;

    private const string Upsert = """
        INSERT INTO market_daily (day, style, grade, trades, units, volume_g, total_fen, min_price_fen, max_price_fen, closed, changed_at)
        VALUES (@Day, @Style, @Grade, @Trades, @Units, @VolumeG, @TotalFen, @MinPriceFen, @MaxPriceFen, @Closed, @ChangedAt)
        ON CONFLICT (day, style, grade) DO UPDATE SET trades = excluded.trades, units = excluded.units, volume_g = excluded.volume_g,
            total_fen = excluded.total_fen, min_price_fen = excluded.min_price_fen, max_price_fen = excluded.max_price_fen,
            closed = excluded.closed, changed_at = excluded.changed_at
        """;

    private const string DeleteRow = "DELETE FROM market_daily WHERE day = @Day AND style = @Style AND grade = @Grade";

    internal sealed record Figures(string Style, string Grade, long Trades, long Units, long VolumeG, long TotalFen, long MinPriceFen, long MaxPriceFen);

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
        public bool Closed { get; init; }
        public DateTimeOffset ChangedAt { get; init; }

        public Figures Figures => new(Style, Grade, Trades, Units, VolumeG, TotalFen, MinPriceFen, MaxPriceFen);

        public MarketDay ToDay() => new(Day, Style, Grade, (int)Trades, (int)Units, Weight.ToKg(VolumeG), MinPriceFen / 100m,
            decimal.Round(TotalFen / 100m / Units, 2), MaxPriceFen / 100m, decimal.Round(TotalFen / 100m / Weight.ToKg(VolumeG), 2), Closed, ChangedAt);
    }

    /// <summary>Recomputes one day; close marks it final. Returns how many rows changed.</summary>
    public async Task<int> RebuildDayAsync(DateOnly day, bool close, CancellationToken cancellationToken)
    {
        var result = await writer.WriteAsync<int>(tx =>
        {
            var dayText = TypeHandlers.Format(day);
            var computed = tx.Query<StoredRow>(ComputeDay, new { Day = dayText }).Select(r => r.Figures).ToList();
            var stored = tx.Query<StoredRow>(SelectStored, new { Day = dayText }).ToDictionary(r => (r.Style, r.Grade));
            var changed = 0;
            foreach (var figures in computed)
            {
                var same = stored.Remove((figures.Style, figures.Grade), out var row) && row.Figures == figures;
                if (same && (row!.Closed || !close))
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
                    Closed = close || (same && row!.Closed),
                    ChangedAt = same ? row!.ChangedAt : tx.Now,
                });
                changed += same ? 0 : 1;
            }

            foreach (var gone in stored.Values)
            {
                tx.Execute(DeleteRow, new { Day = dayText, gone.Style, gone.Grade });
                changed++;
            }

            return changed;
        }, cancellationToken);
        return result.Value;
    }

    public IReadOnlyList<MarketDay> Daily(DateOnly from, DateOnly to, string? style, string? grade)
    {
        using var connection = connections.Open();
        return connection.Query<StoredRow>("""
            SELECT day, style, grade, trades, units, volume_g, total_fen, min_price_fen, max_price_fen, closed, changed_at FROM market_daily
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
