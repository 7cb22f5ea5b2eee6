using System.Globalization;
using System.Text;
using System.Xml;
using TeaTrace.Api.Common;

namespace TeaTrace.Api.Features.Market;

/// <summary>
/// Atom 1.0 (RFC 4287): one entry per day and product style, its grades in the content. Entry ids are stable URNs;
/// an entry's updated time is the last time its figures changed, so readers see a day again only when it moved.
/// Trades outside the price band are named in the entry but are not in its figures.
/// </summary>
internal static class MarketFeed
{
    public const string AtomNamespace = "http://www.w3.org/2005/Atom";
    public const string FeedId = "urn:teatrace:market:daily";

    private static readonly DateTimeOffset EmptyFeedUpdated = new(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));

    public static string Render(IReadOnlyList<MarketDay> days, IReadOnlyList<NamedCode> styles, IReadOnlyList<NamedCode> grades, string baseUrl)
    {
        var entries = days.GroupBy(d => (d.Date, d.Style)).OrderByDescending(g => g.Key.Date).ThenBy(g => g.Key.Style, StringComparer.Ordinal).ToList();
        var output = new StringBuilder();
        using (var xml = XmlWriter.Create(output, new XmlWriterSettings { Indent = true, Encoding = Encoding.UTF8, OmitXmlDeclaration = false }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("feed", AtomNamespace);
            xml.WriteAttributeString("xml", "lang", null, "zh-CN");
            xml.WriteElementString("id", AtomNamespace, FeedId);
            xml.WriteElementString("title", AtomNamespace, "英德红茶交易行情 · Yingde black tea market");
            xml.WriteElementString("subtitle", AtomNamespace, "每日成交：笔数、数量、成交量、单价与每公斤加权均价 · Daily trades, units, volume, unit prices and the volume-weighted price per kg");
            xml.WriteElementString("updated", AtomNamespace, Time(entries.Count == 0 ? EmptyFeedUpdated : days.Max(d => d.ChangedAt)));
            xml.WriteStartElement("author", AtomNamespace);
            xml.WriteElementString("name", AtomNamespace, "TeaTrace");
            xml.WriteEndElement();
            Link(xml, "self", "application/atom+xml", $"{baseUrl}/feed/market.atom");
            Link(xml, "alternate", "text/html", $"{baseUrl}/market");
            foreach (var entry in entries)
            {
                var style = styles.FirstOrDefault(s => s.Code == entry.Key.Style);
                var date = entry.Key.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                xml.WriteStartElement("entry", AtomNamespace);
                xml.WriteElementString("id", AtomNamespace, $"urn:teatrace:market:{date}:{entry.Key.Style}");
                xml.WriteElementString("title", AtomNamespace, $"{date} {style?.Zh ?? entry.Key.Style} {style?.En}".TrimEnd());
                xml.WriteElementString("updated", AtomNamespace, Time(entry.Max(d => d.ChangedAt)));
                Link(xml, "alternate", "text/html", $"{baseUrl}/market#d{date}");
                var lines = entry.OrderBy(d => Order(grades, d.Grade)).Select(d =>
                {
                    var grade = grades.FirstOrDefault(g => g.Code == d.Grade);
                    var figures = d.Units == 0
                        ? "no trades in the figures"
                        : string.Create(CultureInfo.InvariantCulture,
                            $"{d.Trades} trades, {d.Units} units, {d.VolumeKg} kg; unit price ¥{d.MinPrice:0.00}–¥{d.MaxPrice:0.00}, average ¥{d.AvgPrice:0.00}; ¥{d.VwapPerKg:0.00}/kg");
                    var notes = string.Create(CultureInfo.InvariantCulture,
                        $"{(d.ExcludedTrades > 0 ? $"; {d.ExcludedTrades} excluded (outside the price band)" : "")}{(d.ReviewTrades > 0 ? $"; {d.ReviewTrades} to review (no recent prices)" : "")}");
                    return $"{grade?.Zh ?? d.Grade} {grade?.En}: {figures}{notes}{(d.Closed ? "" : " (provisional)")}";
                }).ToList();
                xml.WriteElementString("summary", AtomNamespace, lines[0]);
                xml.WriteStartElement("content", AtomNamespace);
                xml.WriteAttributeString("type", "text");
                xml.WriteString(string.Join("\n", lines));
                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        // StringBuilder output is UTF-16; the declaration must name the encoding the response is sent in.
        return output.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"", StringComparison.Ordinal);
    }

    private static int Order(IReadOnlyList<NamedCode> grades, string code)
    {
        for (var i = 0; i < grades.Count; i++)
        {
            if (grades[i].Code == code)
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    private static void Link(XmlWriter xml, string rel, string type, string href)
    {
        xml.WriteStartElement("link", AtomNamespace);
        xml.WriteAttributeString("rel", rel);
        xml.WriteAttributeString("type", type);
        xml.WriteAttributeString("href", href);
        xml.WriteEndElement();
    }

    private static string Time(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
