using System.Globalization;
using System.Net;
using System.Text;
using TeaTrace.Api.Common;

namespace TeaTrace.Api.Features.Market;

/// <summary>
/// The public /market page: a price chart per grade over the last 90 days (the volume-weighted price per kg of each
/// style), drawn as SVG on the server, the recent days as a table, and production by town. No scripts at all.
/// Each day says what is not in its figures (trades outside the price band) and what still wants a look (trades with
/// no recent prices to check them against).
/// </summary>
internal static class MarketPage
{
    private static readonly string[] Colours = ["#6b2d1a", "#c47f17", "#2e7d32", "#1565c0", "#8e24aa"];

    public static string Render(IReadOnlyList<MarketDay> days, IReadOnlyList<ProductionGroup> production, IReadOnlyList<NamedCode> styles,
        IReadOnlyList<NamedCode> grades, DateOnly from, DateOnly to, MarketOptions rules)
    {
        var html = new StringBuilder(32 * 1024);
        html.Append("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>英德红茶交易行情 · Yingde black tea market</title>")
            .Append("<meta name=\"description\" content=\"英德红茶每日交易行情：近 90 天各品类、各等级的每公斤加权均价走势，最近成交日的笔数、重量与价格，以及各镇鲜叶与成茶产量。Daily Yingde black tea prices by style and grade, and production by town.\">")
            .Append("<link rel=\"icon\" href=\"/assets/icon.svg\" type=\"image/svg+xml\"><link rel=\"stylesheet\" href=\"/assets/consumer.css\">")
            .Append("<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/feed/market.atom\" title=\"Market feed\"></head><body>")
            .Append("<header class=\"top\"><span class=\"brand\">英德红茶交易行情 · Market</span><a class=\"lang\" href=\"/feed/market.atom\">Atom</a></header><main>");
        html.Append("<section><h1>价格走势 · Prices</h1><p class=\"who\">").Append(D(from)).Append(" – ").Append(D(to))
            .Append("：每公斤加权均价（元）· volume-weighted price per kg (CNY)</p></section>");
        foreach (var grade in grades)
        {
            var series = styles.Select((style, i) => (Style: style, Colour: Colours[i % Colours.Length],
                Points: days.Where(d => d.Grade == grade.Code && d.Style == style.Code && d.VwapPerKg is not null).OrderBy(d => d.Date).ToList()))
                .Where(s => s.Points.Count > 0).ToList();
            if (series.Count == 0)
            {
                continue;
            }

            html.Append("<section class=\"chart\" id=\"grade-").Append(E(grade.Code)).Append("\"><h2>").Append(E(grade.Zh)).Append(" · ").Append(E(grade.En)).Append("</h2>");
            Chart(html, series.Select(s => (s.Style, s.Colour, s.Points)).ToList(), from, to);
            html.Append("<p class=\"legend\">");
            foreach (var (style, colour, points) in series)
            {
                html.Append("<span><svg width=\"14\" height=\"4\" aria-hidden=\"true\"><rect width=\"14\" height=\"4\" fill=\"")
                    .Append(colour).Append("\"/></svg> ").Append(E(style.Zh)).Append(' ').Append(E(style.En)).Append(" (").Append(points.Count).Append(" d)</span> ");
            }

            html.Append("</p></section>");
        }

        html.Append("<section><h2>最近成交 · Latest days</h2><table class=\"market\"><thead><tr><th>日期 Day</th><th>品类 Style</th><th>等级 Grade</th><th>笔数 Trades</th><th>kg</th><th>元/kg</th><th>备注 Notes</th></tr></thead><tbody>");
        DateOnly? previous = null;
        foreach (var day in days.OrderByDescending(d => d.Date).ThenBy(d => d.Style, StringComparer.Ordinal).ThenBy(d => d.Grade, StringComparer.Ordinal).Take(30))
        {
            html.Append("<tr data-day=\"").Append(D(day.Date)).Append("\" data-style=\"").Append(E(day.Style)).Append("\" data-grade=\"").Append(E(day.Grade)).Append('"');
            if (day.Date != previous)
            {
                html.Append(" id=\"d").Append(D(day.Date)).Append('"');
                previous = day.Date;
            }

            html.Append(day.ReviewTrades > 0 ? " class=\"review\">" : ">");
            html.Append("<td>").Append(D(day.Date)).Append("</td><td>").Append(E(Name(styles, day.Style))).Append("</td><td>")
                .Append(E(Name(grades, day.Grade))).Append("</td><td>").Append(day.Trades).Append("</td><td>").Append(day.VolumeKg.ToString("0.###", CultureInfo.InvariantCulture))
                .Append("</td><td>").Append(day.VwapPerKg?.ToString("0.00", CultureInfo.InvariantCulture) ?? "–").Append("</td><td class=\"note\">")
                .Append(E(string.Join("；", Notes(day)))).Append("</td></tr>");
        }

        html.Append("</tbody></table><p class=\"who\">")
            .Append(E(string.Create(CultureInfo.InvariantCulture,
                $"每公斤价格须在同品类、同等级当日及前 {rules.PriceLookbackDays} 天成交的按重量中位价的 1/{rules.PriceBandFactor} 至 {rules.PriceBandFactor} 倍之内，且在每公斤 {rules.MinPricePerKg}–{rules.MaxPricePerKg} 元之间；超出者须注明理由方可录入，且不计入行情。近期成交不足 {rules.MinReferenceTrades} 笔时无从比较，照常计入并标为待核。成交日满 {rules.CloseAfterDays} 天后收盘，此后不再变动。")))
            .Append("<br>")
            .Append(E(string.Create(CultureInfo.InvariantCulture,
                $"A trade's price per kg must lie within ÷/× {rules.PriceBandFactor} of the kg-weighted median of its style and grade over its day and the {rules.PriceLookbackDays} days before, and every trade within {rules.MinPricePerKg}–{rules.MaxPricePerKg} CNY/kg; outside them a trade needs a written reason and is left out of the figures. With fewer than {rules.MinReferenceTrades} recent trades there is nothing to compare with: the trade counts and is marked for review. A day closes {rules.CloseAfterDays} days after it and does not change after that.")))
            .Append("</p></section>");
        html.Append("<section><h2>产量 · Production by town</h2><table class=\"market\"><thead><tr><th>镇 Town</th><th>鲜叶 kg</th><th>成茶 kg</th><th>出茶率</th><th>茶农 Farms</th><th>批次 Batches</th></tr></thead><tbody>");
        foreach (var group in production)
        {
            html.Append("<tr><td>").Append(E(group.Group)).Append("</td><td>").Append(group.FreshLeafKg.ToString("0.#", CultureInfo.InvariantCulture)).Append("</td><td>")
                .Append(group.MadeTeaKg.ToString("0.#", CultureInfo.InvariantCulture)).Append("</td><td>")
                .Append(group.YieldRatio is { } ratio ? ratio.ToString("0.0%", CultureInfo.InvariantCulture) : "–").Append("</td><td>").Append(group.Farms)
                .Append("</td><td>").Append(group.Batches).Append("</td></tr>");
        }

        html.Append("</tbody></table></section></main><footer>TeaTrace · <a href=\"/api/market/daily\">JSON</a> · <a href=\"/feed/market.atom\">Atom</a></footer></body></html>");
        return html.ToString();
    }

    /// <summary>One chart: x is the day, y the price per kg, a polyline per style; the y axis starts at a round number below the lowest price.</summary>
    private static void Chart(StringBuilder html, IReadOnlyList<(NamedCode Style, string Colour, List<MarketDay> Points)> series, DateOnly from, DateOnly to)
    {
        const double Width = 340, Height = 180, Left = 44, Right = 8, Top = 10, Bottom = 22;
        var prices = series.SelectMany(s => s.Points).Select(p => (double)p.VwapPerKg!.Value).ToList();
        var (low, high) = (Math.Floor(prices.Min() / 100) * 100, Math.Ceiling(prices.Max() / 100) * 100);
        if (high <= low)
        {
            high = low + 100;
        }

        var span = Math.Max(1, to.DayNumber - from.DayNumber);
        double X(DateOnly day) => Left + ((Width - Left - Right) * (day.DayNumber - from.DayNumber) / span);
        double Y(decimal price) => Top + ((Height - Top - Bottom) * (1 - (((double)price - low) / (high - low))));
        string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

        html.Append("<svg class=\"chart\" viewBox=\"0 0 ").Append(F(Width)).Append(' ').Append(F(Height)).Append("\" width=\"100%\" role=\"img\" aria-label=\"price per kg\">")
            .Append("<rect x=\"").Append(F(Left)).Append("\" y=\"").Append(F(Top)).Append("\" width=\"").Append(F(Width - Left - Right)).Append("\" height=\"")
            .Append(F(Height - Top - Bottom)).Append("\" fill=\"#faf6f0\" stroke=\"#d9b99b\"/>");
        foreach (var (value, label) in new[] { (low, low), (high, high), ((low + high) / 2, (low + high) / 2) })
        {
            var y = Y((decimal)value);
            html.Append("<line x1=\"").Append(F(Left)).Append("\" x2=\"").Append(F(Width - Right)).Append("\" y1=\"").Append(F(y)).Append("\" y2=\"").Append(F(y))
                .Append("\" stroke=\"#e8d8c8\"/><text x=\"").Append(F(Left - 4)).Append("\" y=\"").Append(F(y + 4)).Append("\" font-size=\"10\" text-anchor=\"end\">")
                .Append(label.ToString("0", CultureInfo.InvariantCulture)).Append("</text>");
        }

        html.Append("<text x=\"").Append(F(Left)).Append("\" y=\"").Append(F(Height - 6)).Append("\" font-size=\"10\">").Append(D(from)).Append("</text><text x=\"")
            .Append(F(Width - Right)).Append("\" y=\"").Append(F(Height - 6)).Append("\" font-size=\"10\" text-anchor=\"end\">").Append(D(to)).Append("</text>");
        foreach (var (style, colour, points) in series)
        {
            html.Append("<polyline class=\"series\" data-style=\"").Append(E(style.Code)).Append("\" fill=\"none\" stroke=\"").Append(colour)
                .Append("\" stroke-width=\"1.5\" points=\"").Append(string.Join(' ', points.Select(p => $"{F(X(p.Date))},{F(Y(p.VwapPerKg!.Value))}"))).Append("\"/>");
        }

        html.Append("</svg>");
    }

    private static IEnumerable<string> Notes(MarketDay day)
    {
        if (day.ExcludedTrades > 0)
        {
            yield return $"{day.ExcludedTrades} 笔超出价格区间未计入 · {day.ExcludedTrades} excluded (outside the price band)";
        }

        if (day.ReviewTrades > 0)
        {
            yield return $"{day.ReviewTrades} 笔无近期行情待核 · {day.ReviewTrades} to review (no recent prices)";
        }

        if (!day.Closed)
        {
            yield return "暂定 · provisional";
        }
    }

    private static string Name(IReadOnlyList<NamedCode> names, string code) => names.FirstOrDefault(n => n.Code == code)?.Zh ?? code;

    private static string D(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
