using System.Diagnostics.CodeAnalysis;

namespace TeaTrace.Api.Features.Resolver;

/// <summary>
/// A request to TeaTrace's resolver: /01/{gtin}[/10/{lot}][/21/{serial}] and its query string. Stricter than
/// <see cref="DigitalLinkUri"/>: no stem, no other primary key, no consumer product variant (22), no trailing
/// slash; but GTIN-8, -12 and -13 are accepted and padded to 14 digits, since a phone may shorten them.
/// </summary>
internal sealed record ResolverPath(string Gtin, string? Lot, string? Serial, string? LinkType, IReadOnlyList<AiElement> Attributes)
{
    private static readonly HashSet<string> PathOnlyAis = ["01", "10", "21", "22"];

    // The path must be the one on the wire, still percent-encoded: ASP.NET's Request.Path is already decoded
    // (except %2F), and decoding it again would turn a serial sent as A%2525 into "A%" instead of "A%25".
    // The query string may keep its '?'.
    public static bool TryParse(string? path, string? queryString, [NotNullWhen(true)] out ResolverPath? result, out string error)
    {
        result = null;
        if (!TryParsePath(path, out var gtin, out var lot, out var serial, out error)
            || !TryParseQuery(queryString, out var linkType, out var attributes, out error))
            return false;

        result = new ResolverPath(gtin, lot, serial, linkType, attributes);
        return true;
    }

    private static bool TryParsePath(string? path, out string gtin, out string? lot, out string? serial, out string error)
    {
        (gtin, lot, serial) = ("", null, null);
        if (string.IsNullOrEmpty(path) || !path.StartsWith("/01/", StringComparison.Ordinal))
            return Fail("The link must start with /01/ followed by the GTIN.", out error);
        var bad = path.AsSpan().IndexOfAnyExcept(DigitalLinkSyntax.UriCharacters);
        if (bad < 0)
            bad = path.IndexOfAny(['?', '#']); // the caller passes the query string apart; a fragment never reaches a server
        if (bad >= 0)
            return Fail($"The link's path contains {DigitalLinkSyntax.Describe(path[bad])}, which is not allowed there.", out error);
        if (path.EndsWith('/'))
            return Fail("The link must not end with a slash.", out error);

        var segments = path[1..].Split('/');
        if (segments.Contains(""))
            return Fail("The link has an empty part between two slashes.", out error);
        if (segments.Length % 2 != 0)
            return Fail($"The link ends with '{segments[^1]}' and nothing after it; each of 01, 10 and 21 needs a value.", out error);

        if (!TryReadGtin(segments[1], out gtin, out error))
            return false;

        // /01/{gtin}/21/{serial} without a lot is accepted: GS1 lets any qualifier be left out as long as the
        // rest keep the order 22 → 10 → 21, and a TeaTrace serial is unique across the service, so the unit (and
        // its lot) can still be found.
        for (var i = 2; i < segments.Length; i += 2)
        {
            var (ai, raw) = (segments[i], segments[i + 1]);
            switch (ai)
            {
                case "10" when lot is not null:
                case "21" when serial is not null:
                    return Fail($"AI {ai} appears twice in the link.", out error);
                case "10" when serial is not null:
                    return Fail("The lot (10) must come before the serial (21) in the link.", out error);
                case "10":
                    if (!TryReadValue(ai, raw, inQuery: false, out lot, out error))
                        return false;
                    break;
                case "21":
                    if (!TryReadValue(ai, raw, inQuery: false, out serial, out error))
                        return false;
                    break;
                case "01":
                    return Fail("The link has a second GTIN (01); it may hold only one.", out error);
                case "22":
                    return Fail("TeaTrace does not use consumer product variants (22); after the GTIN a link may hold only a lot (10) and a serial (21).", out error);
                default:
                    return Fail($"The link has '{ai}' where only a lot (10) or a serial (21) may follow the GTIN.", out error);
            }
        }

        return true;
    }

    private static bool TryReadGtin(string raw, out string gtin, out string error)
    {
        gtin = "";
        if (DigitalLinkSyntax.PercentDecode(raw, inQuery: false) is not { } digits || !DigitalLinkSyntax.IsNumeric(digits))
            return Fail($"The GTIN must be digits only, but the link has {raw}.", out error);
        if (digits.Length is not (8 or 12 or 13 or 14))
            return Fail($"The GTIN must have 8, 12, 13 or 14 digits, not {digits.Length}.", out error);
        if (Gs1CheckDigits.Expected(digits) is var expected && expected != digits[^1] - '0')
            return Fail($"The GTIN check digit is wrong: {digits[..^1]} needs check digit {expected}.", out error);

        // Leading zeros change neither the check digit nor the item: GTIN-8/12/13 are GTIN-14s written short.
        gtin = digits.PadLeft(14, '0');
        error = "";
        return true;
    }

    private static bool TryParseQuery(string? queryString, out string? linkType, out IReadOnlyList<AiElement> attributes, out string error)
    {
        linkType = null;
        List<AiElement> found = [];
        attributes = found;
        foreach (var (key, raw) in DigitalLinkSyntax.QueryParameters(queryString?.TrimStart('?') ?? ""))
        {
            if (key == "linkType")
            {
                if (linkType is not null)
                    return Fail("The query string has linkType more than once.", out error);
                if (DigitalLinkSyntax.PercentDecode(raw, inQuery: true) is not { } decoded)
                    return Fail("The linkType contains an encoded null character (%00).", out error);
                // An empty linkType asks for the default link, as if it were absent.
                linkType = decoded.Length > 0 ? decoded : null;
                continue;
            }

            // Other non-numeric parameters (context, lang, tracking tags) are not GS1 data: ignored.
            if (!DigitalLinkSyntax.IsNumeric(key))
                continue;

            var definition = ApplicationIdentifiers.Find(key);
            if (definition is null)
                return Fail($"The query string has {key}, which is not a GS1 Application Identifier.", out error);
            if (PathOnlyAis.Contains(key))
                return Fail($"The {definition.Title} ({key}) belongs in the link's path, not in its query string.", out error);
            if (!definition.IsDataAttribute)
                return Fail($"The {definition.Title} (AI {key}) cannot be a data attribute in the query string.", out error);
            if (found.Exists(e => e.Ai == key))
                return Fail($"AI {key} appears more than once in the query string.", out error);
            if (!TryReadValue(key, raw, inQuery: true, out var value, out error))
                return false;
            found.Add(new AiElement(key, value));
        }

        error = "";
        return true;
    }

    private static bool TryReadValue(string ai, string raw, bool inQuery, [NotNullWhen(true)] out string? value, out string error)
    {
        var definition = ApplicationIdentifiers.Find(ai)!;
        value = DigitalLinkSyntax.PercentDecode(raw, inQuery);
        if (value is null)
            return Fail($"The {definition.Title} (AI {ai}) contains an encoded null character (%00).", out error);
        if (value.Length == 0)
            return Fail($"The {definition.Title} (AI {ai}) in the query string has no value.", out error);
        return definition.TryValidate(value, out error);
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
