using System.Buffers;
using System.Collections.Frozen;
using TeaTrace.Api.Common;

namespace TeaTrace.Api.Features.Resolver;

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
