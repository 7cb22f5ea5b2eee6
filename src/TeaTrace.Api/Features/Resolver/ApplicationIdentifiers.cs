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

// One format component of an AI value, e.g. "N13,csum" or the optional "[X..17]".
internal sealed record AiComponent(char CharacterSet, int Min, int Max, bool Optional, IReadOnlyList<string> Checks)
{
    public bool IsFixedLength => Min == Max;

    public static AiComponent Parse(string text)
    {
        var optional = text.StartsWith('[');
        var parts = text.Trim('[', ']').Split(',');
        var format = parts[0];
        var variable = format.Contains("..", StringComparison.Ordinal);
        var max = int.Parse(variable ? format[(format.IndexOf("..", StringComparison.Ordinal) + 2)..] : format[1..]);
        return new AiComponent(format[0], variable ? 1 : max, max, optional, parts[1..]);
    }
}

internal sealed class AiDefinition
{
    // CSET 82 in GS1's order, which gives each character its value in the GMN check character pair.
    private const string Cset82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
    private static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");
    private static readonly SearchValues<char> Cset82Values = SearchValues.Create(Cset82);
    private static readonly SearchValues<char> Cset39Values = SearchValues.Create("#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    private const string Cset32 = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string ImporterIndexes = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

    private AiDefinition(string ai, string title, IReadOnlyList<AiComponent> components, IReadOnlyList<string[]> qualifierSequences, bool isDataAttribute)
    {
        Ai = ai;
        Title = title;
        Components = components;
        QualifierSequences = qualifierSequences;
        IsDataAttribute = isDataAttribute;
        MinLength = components.Where(c => !c.Optional).Sum(c => c.Min);
        MaxLength = components.Sum(c => c.Max);
    }

    public string Ai { get; }
    public string Title { get; }
    public IReadOnlyList<AiComponent> Components { get; }

    // A primary key has at least one (possibly empty) qualifier sequence; other AIs have none.
    public IReadOnlyList<string[]> QualifierSequences { get; }

    public bool IsPrimaryKey => QualifierSequences.Count > 0;
    public bool IsDataAttribute { get; }
    public int MinLength { get; }
    public int MaxLength { get; }

    public static AiDefinition Create(string ai, string spec, string keys, string title)
    {
        var components = spec.Split(' ').Select(AiComponent.Parse).ToList();
        List<string[]> sequences = [];
        var isDataAttribute = true;
        foreach (var key in keys.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (key == "dlpkey")
                sequences.Add([]);
            else if (key.StartsWith("dlpkey=", StringComparison.Ordinal))
                sequences.AddRange(key["dlpkey=".Length..].Split('|').Select(s => s.Split(',')));
            else if (key == "noattr")
                isDataAttribute = false;
        }

        return new AiDefinition(ai, title, components, sequences, isDataAttribute);
    }

    public bool TryValidate(string value, out string error)
    {
        if (value.Length < MinLength || value.Length > MaxLength)
        {
            error = LengthError(value);
            return false;
        }

        var position = 0;
        foreach (var component in Components)
        {
            var left = value.Length - position;
            if (left == 0)
                break; // only optional components remain, since the value is at least MinLength long

            if (component.IsFixedLength && left < component.Max)
            {
                error = LengthError(value);
                return false;
            }

            var part = value.Substring(position, Math.Min(left, component.Max));
            if (!TryCheckCharacters(component, part, out error) || !TryRunChecks(component, part, out error))
                return false;
            position += part.Length;
        }

        if (position != value.Length)
        {
            error = LengthError(value);
            return false;
        }

        error = "";
        return true;
    }

    private string Named => $"The {Title} (AI {Ai})";

    private string LengthError(string value)
    {
        var unit = Components.All(c => c.CharacterSet == 'N') ? "digits" : "characters";
        if (MinLength == MaxLength)
            return $"{Named} must be exactly {MaxLength} {unit} long, not {value.Length}.";
        if (value.Length > MaxLength)
            return $"{Named} is {value.Length} characters long; it may have at most {MaxLength}.";
        return value.Length < MinLength
            ? $"{Named} is {value.Length} characters long; it needs at least {MinLength}."
            : $"{Named} cannot be {value.Length} characters long.";
    }

    private bool TryCheckCharacters(AiComponent component, string part, out string error)
    {
        var allowed = component.CharacterSet switch { 'N' => Digits, 'Y' => Cset39Values, _ => Cset82Values };
        var bad = part.AsSpan().IndexOfAnyExcept(allowed);
        error = bad < 0 ? ""
            : component.CharacterSet == 'N' ? $"{Named} may contain only digits, not {DigitalLinkSyntax.Describe(part[bad])}."
            : $"{Named} contains {DigitalLinkSyntax.Describe(part[bad])}, which GS1 does not allow there.";
        return bad < 0;
    }

    private bool TryRunChecks(AiComponent component, string part, out string error)
    {
        foreach (var check in component.Checks)
        {
            error = check switch
            {
                "csum" when Gs1CheckDigits.Expected(part) is var d && d != part[^1] - '0' =>
                    $"The {Title} check digit is wrong: {part[..^1]} needs check digit {d}.",
                "csumalpha" when !Gs1CheckDigits.IsValidCheckCharacterPair(part) =>
                    $"The {Title} check character pair is wrong: {part}.",
                "yymmdd" when !IsDate(part, dayZeroAllowed: false) => $"{Named} is not a valid YYMMDD date: {part}.",
                "yymmd0" when !IsDate(part, dayZeroAllowed: true) => $"{Named} is not a valid YYMMDD date: {part}.",
                "zero" when part != "0" => $"{Named} must start with a zero.",
                "nozeroprefix" when part.Length > 1 && part[0] == '0' => $"{Named} must not start with a zero.",
                "pieceoftotal" when !IsPieceOfTotal(part) => $"{Named} has a piece number that is zero or above the total: {part}.",
                "importeridx" when !ImporterIndexes.Contains(part, StringComparison.Ordinal) =>
                    $"{Named} ends with an importer index GS1 does not define: {part}.",
                _ => "",
            };
            if (error.Length > 0)
                return false;
        }

        error = "";
        return true;
    }

    // GS1 dates carry no century; a 29 February is accepted in every year divisible by four, as GS1's linters
    // do. Day 00 means "end of the month" where the AI allows it (yymmd0).
    private static bool IsDate(string yymmdd, bool dayZeroAllowed)
    {
        var year = int.Parse(yymmdd[..2]);
        var month = int.Parse(yymmdd[2..4]);
        var day = int.Parse(yymmdd[4..6]);
        if (month is < 1 or > 12)
            return false;
        var days = month == 2 ? (year % 4 == 0 ? 29 : 28) : DateTime.DaysInMonth(2001, month);
        return day <= days && (day > 0 || dayZeroAllowed);
    }

    private static bool IsPieceOfTotal(string nnnn)
    {
        var (piece, total) = (int.Parse(nnnn[..2]), int.Parse(nnnn[2..]));
        return piece >= 1 && total >= 1 && piece <= total;
    }

    internal static int Cset82Value(char c) => Cset82.IndexOf(c, StringComparison.Ordinal);

    internal static char Cset32Character(int value) => Cset32[value];
}

/// <summary>GS1 check digits and the alphanumeric check character pair of the GMN (AI 8013).</summary>
internal static class Gs1CheckDigits
{
    public static int Expected(string digitsWithCheck) => Gtin.CheckDigit(digitsWithCheck.AsSpan(0, digitsWithCheck.Length - 1));

    public static bool IsValid(string digits) =>
        digits.Length >= 2 && digits.All(char.IsAsciiDigit) && Expected(digits) == digits[^1] - '0';

    // GS1 General Specifications, "check character calculation (for alphanumeric keys)": CSET 82 values
    // weighted by successive primes from the right, mod 1021, split into two 5-bit CSET 32 characters.
    public static bool IsValidCheckCharacterPair(string value)
    {
        if (value.Length < 2)
            return false;

        using var primes = Primes().GetEnumerator();
        var sum = 0;
        for (var i = value.Length - 3; i >= 0; i--)
        {
            primes.MoveNext();
            sum += AiDefinition.Cset82Value(value[i]) * primes.Current;
        }

        sum %= 1021;
        return value[^2] == AiDefinition.Cset32Character(sum >> 5) && value[^1] == AiDefinition.Cset32Character(sum & 31);
    }

    private static IEnumerable<int> Primes()
    {
        for (var n = 2; ; n++)
        {
            var prime = true;
            for (var d = 2; d * d <= n && prime; d++)
                prime = n % d != 0;
            if (prime)
                yield return n;
        }
    }
}
