using System.Buffers;
using System.Collections.Frozen;
using TeaTrace.Api.Common;

namespace TeaTrace.Api.Features.Resolver;

/// <summary>
/// The GS1 Application Identifiers the Digital Link parsers understand, in the notation of GS1's Syntax
/// Dictionary: format components (N digits, X CSET 82, Y CSET 39; "N13" fixed, "X..20" up to 20, "[...]"
/// optional) with their content checks, and the Digital Link primary keys with their key-qualifier sequences.
/// </summary>
internal static class ApplicationIdentifiers
{
    // An AI outside this table is rejected, as GS1's reference parser does by default for unknown AIs.
    // "noattr" marks AIs that may not be query-string data attributes: 22 and 235 only qualify a GTIN in the
    // path (GS1's generation tests reject them as attributes), and 8200 is a URL, not data about the item.
    private static readonly (string Ais, string Spec, string Keys, string Title)[] Rows =
    [
        ("00", "N18,csum", "dlpkey", "SSCC"),
        ("01", "N14,csum", "dlpkey=22,10,21|235", "GTIN"),
        ("02", "N14,csum", "", "GTIN of the contained items"),
        ("10", "X..20", "", "lot"),
        ("11", "N6,yymmd0", "", "production date"),
        ("12", "N6,yymmd0", "", "due date"),
        ("13", "N6,yymmd0", "", "packaging date"),
        ("15", "N6,yymmd0", "", "best before date"),
        ("16", "N6,yymmd0", "", "sell by date"),
        ("17", "N6,yymmd0", "", "expiry date"),
        ("20", "N2", "", "variant"),
        ("21", "X..20", "", "serial"),
        ("22", "X..20", "noattr", "consumer product variant"),
        ("235", "X..28", "noattr", "third-party serial"),
        ("240", "X..30", "", "additional product identification"),
        ("241", "X..30", "", "customer part number"),
        ("242", "N..6", "", "made-to-order variant"),
        ("243", "X..20", "", "packaging component number"),
        ("250", "X..30", "", "secondary serial"),
        ("251", "X..30", "", "reference to source entity"),
        ("253", "N13,csum [X..17]", "dlpkey", "GDTI"),
        ("254", "X..20", "", "GLN extension"),
        ("255", "N13,csum [N..12]", "dlpkey", "GCN"),
        ("30", "N..8", "", "variable count"),
        ("3100-3105", "N6", "", "net weight in kg"),
        ("3110-3165", "N6", "", "trade measure"),
        ("3200-3295", "N6", "", "trade measure"),
        ("3300-3305", "N6", "", "gross weight in kg"),
        ("3310-3375", "N6", "", "logistic measure"),
        ("3400-3495", "N6", "", "logistic measure"),
        ("3500-3575", "N6", "", "trade measure"),
        ("3600-3695", "N6", "", "trade measure"),
        ("37", "N..8", "", "count of trade items"),
        ("3920-3929", "N..15", "", "price"),
        ("400", "X..30", "", "order number"),
        ("401", "X..30", "dlpkey", "GINC"),
        ("402", "N17,csum", "dlpkey", "GSIN"),
        ("403", "X..30", "", "routing code"),
        ("410", "N13,csum", "", "ship-to GLN"),
        ("411", "N13,csum", "", "bill-to GLN"),
        ("412", "N13,csum", "", "purchased-from GLN"),
        ("413", "N13,csum", "", "ship-for GLN"),
        ("414", "N13,csum", "dlpkey=254|7040", "GLN of a location"),
        ("415", "N13,csum", "dlpkey=8020", "GLN of the invoicing party"),
        ("416", "N13,csum", "", "GLN of the production or service location"),
        ("417", "N13,csum", "dlpkey=7040", "party GLN"),
        ("7007", "N6,yymmdd [N6,yymmdd]", "", "harvest date"),
        ("7040", "N1 X1 X1 X1,importeridx", "", "UIC with extension"),
        ("8003", "N1,zero N13,csum [X..16]", "dlpkey", "GRAI"),
        ("8004", "X..30", "dlpkey=7040", "GIAI"),
        ("8006", "N14,csum N4,pieceoftotal", "dlpkey=22,10,21", "ITIP"),
        ("8010", "Y..30", "dlpkey=8011", "CPID"),
        ("8011", "N..12,nozeroprefix", "", "CPID serial"),
        ("8013", "X..25,csumalpha", "dlpkey", "GMN"),
        ("8017", "N18,csum", "dlpkey=8019", "GSRN of a provider"),
        ("8018", "N18,csum", "dlpkey=8019", "GSRN of a recipient"),
        ("8019", "N..10", "", "service relation instance number"),
        ("8020", "X..25", "", "payment slip reference"),
        ("8200", "X..70", "noattr", "product URL"),
        ("90", "X..30", "", "internal data"),
        ("91-99", "X..90", "", "company internal data"),
    ];

    private static readonly FrozenDictionary<string, AiDefinition> Table = Rows
        .SelectMany(row => Expand(row.Ais).Select(ai => AiDefinition.Create(ai, row.Spec, row.Keys, row.Title)))
        .ToFrozenDictionary(d => d.Ai);

    public static AiDefinition? Find(string ai) => Table.GetValueOrDefault(ai);

    // Qualifiers may be left out, but those present keep the order of one of the key's sequences.
    public static bool IsValidPathSequence(IReadOnlyList<string> ais)
    {
        if (ais.Count == 0 || Find(ais[0]) is not { IsPrimaryKey: true } key)
            return false;

        foreach (var sequence in key.QualifierSequences)
        {
            var next = 0;
            var matched = true;
            for (var i = 1; i < ais.Count && matched; i++)
            {
                var at = Array.IndexOf(sequence, ais[i], next);
                matched = at >= 0;
                next = at + 1;
            }

            if (matched)
                return true;
        }

        return false;
    }

    // GS1's predefined-length AIs (first two digits 00–04, 11–20, 31–36 or 41) need no FNC1 after their value
    // in an element string; this goes by the prefix, not by the AI's format.
    public static bool IsPredefinedLength(string ai)
    {
        var prefix = (ai[0] - '0') * 10 + (ai[1] - '0');
        return prefix is <= 4 or (>= 11 and <= 20) or (>= 31 and <= 36) or 41;
    }

    private static IEnumerable<string> Expand(string ais)
    {
        var dash = ais.IndexOf('-');
        if (dash < 0)
            return [ais];

        var (first, last) = (int.Parse(ais[..dash]), int.Parse(ais[(dash + 1)..]));
        // Measure AIs (31nn–36nn) end in a decimal-point position 0–5 only: 3106–3109 do not exist.
        var measures = ais[0] == '3' && ais[1] != '9';
        return Enumerable.Range(first, last - first + 1)
            .Where(n => !measures || n % 10 <= 5)
            .Select(n => n.ToString().PadLeft(dash, '0'));
    }
}
