using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace TeaTrace.Api.Features.Resolver;

internal sealed record AiElement(string Ai, string Value);

/// <summary>
/// Any GS1 Digital Link URI, parsed the way GS1's reference parser (gs1-syntax-engine, gs1_parseDLuri) does
/// with its default options: no convenience alphas, no zero-suppressed GTINs, no unknown AIs.
/// </summary>
internal sealed record DigitalLinkUri(string Stem, IReadOnlyList<AiElement> PathElements, IReadOnlyList<AiElement> Attributes, string ElementString)
{
    public AiElement PrimaryKey => PathElements[0];

    public IReadOnlyList<AiElement> KeyQualifiers => [.. PathElements.Skip(1)];

    public static bool TryParse(string? uri, [NotNullWhen(true)] out DigitalLinkUri? result, out string error)
    {
        result = null;
        if (string.IsNullOrEmpty(uri))
            return Fail("The link is empty.", out error);
        if (uri.AsSpan().IndexOfAnyExcept(DigitalLinkSyntax.UriCharacters) is var bad and >= 0)
            return Fail($"The link contains {DigitalLinkSyntax.Describe(uri[bad])}, which is not allowed in a URI.", out error);

        // The reference parser accepts an all-lower-case or all-upper-case scheme only.
        var schemeLength = uri.StartsWith("https://", StringComparison.Ordinal) || uri.StartsWith("HTTPS://", StringComparison.Ordinal) ? 8
            : uri.StartsWith("http://", StringComparison.Ordinal) || uri.StartsWith("HTTP://", StringComparison.Ordinal) ? 7
            : 0;
        if (schemeLength == 0)
            return Fail("A Digital Link must start with https:// or http://.", out error);

        var rest = uri[schemeLength..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash < 1)
            return Fail("The link needs a host name followed by a path.", out error);
        var host = rest[..slash];
        if (host.AsSpan().IndexOfAny(DigitalLinkSyntax.BadHostCharacters) is var badHost and >= 0)
            return Fail($"The host name contains {DigitalLinkSyntax.Describe(host[badHost])}, which a host name cannot have.", out error);

        var (path, query) = DigitalLinkSyntax.SplitPathAndQuery(rest[slash..]);
        // The last value would be empty: the engine rejects this too, just less plainly.
        if (path.Length > 1 && path.EndsWith('/'))
            return Fail("A Digital Link must not end with a slash.", out error);
        var segments = path[1..].Split('/');

        // Walk back from the end in /AI/value pairs to the rightmost primary key: whatever precedes it is the
        // stem, so a stem may itself look like AI pairs (https://a/00/faux/00/…).
        var keyAt = segments.Length - 2;
        while (keyAt >= 0 && ApplicationIdentifiers.Find(segments[keyAt]) is { } walked && !walked.IsPrimaryKey)
            keyAt -= 2;
        if (keyAt < 0 || ApplicationIdentifiers.Find(segments[keyAt]) is null)
            return Fail("The link's path has no GS1 primary key, such as /01/ followed by a GTIN.", out error);

        List<AiElement> pathElements = [];
        for (var i = keyAt; i < segments.Length; i += 2)
        {
            if (!TryReadElement(segments[i], segments[i + 1], inQuery: false, out var element, out error))
                return false;
            pathElements.Add(element);
        }

        List<AiElement> attributes = [];
        foreach (var (key, rawValue) in DigitalLinkSyntax.QueryParameters(query))
        {
            // Non-numeric parameters (linkType, context, …) are for the resolver, not GS1 data.
            if (!DigitalLinkSyntax.IsNumeric(key))
                continue;
            if (ApplicationIdentifiers.Find(key) is null)
                return Fail($"The query string has {key}, which is not a GS1 Application Identifier.", out error);
            if (!TryReadElement(key, rawValue, inQuery: true, out var element, out error))
                return false;
            attributes.Add(element);
        }

        var pathAis = pathElements.ConvertAll(e => e.Ai);
        if (!ApplicationIdentifiers.IsValidPathSequence(pathAis))
            return Fail($"The path's AIs {string.Join(", ", pathAis)} are not a primary key with its key qualifiers in order.", out error);
        if (!TryCheckAttributes(pathAis, attributes, out error))
            return false;

        result = new DigitalLinkUri(uri[..(schemeLength + slash)] + string.Join("", segments[..keyAt].Select(s => "/" + s)),
            pathElements, attributes, ElementStringOf([.. pathElements, .. attributes]));
        return true;
    }

    private static bool TryReadElement(string ai, string rawValue, bool inQuery, [NotNullWhen(true)] out AiElement? element, out string error)
    {
        element = null;
        var where = inQuery ? "query string" : "path";
        if (rawValue.Length == 0)
            return Fail($"AI {ai} in the {where} has no value.", out error);
        if (DigitalLinkSyntax.PercentDecode(rawValue, inQuery) is not { } value)
            return Fail($"The value of AI {ai} in the {where} contains an encoded null character (%00).", out error);
        if (!ApplicationIdentifiers.Find(ai)!.TryValidate(value, out error))
            return false;
        element = new AiElement(ai, value);
        return true;
    }

    private static bool TryCheckAttributes(List<string> pathAis, List<AiElement> attributes, out string error)
    {
        List<string> seen = [.. pathAis];
        foreach (var attribute in attributes)
        {
            var definition = ApplicationIdentifiers.Find(attribute.Ai)!;
            if (seen.Contains(attribute.Ai))
                return Fail($"AI {attribute.Ai} appears more than once in the link.", out error);
            if (!definition.IsDataAttribute)
                return Fail($"The {definition.Title} (AI {attribute.Ai}) cannot be a data attribute in the query string.", out error);

            // An AI that would make a valid key-qualifier sequence somewhere after the primary key belongs in
            // the path: ?10=… is refused after /01/…, but allowed after /01/…/235/… or /00/….
            for (var at = 1; at <= pathAis.Count; at++)
            {
                if (ApplicationIdentifiers.IsValidPathSequence([.. pathAis[..at], attribute.Ai, .. pathAis[at..]]))
                    return Fail($"The {definition.Title} (AI {attribute.Ai}) qualifies AI {pathAis[0]} and belongs in the path, not the query string.", out error);
            }

            seen.Add(attribute.Ai);
        }

        error = "";
        return true;
    }

    // The engine's unbracketed element string: '^' (FNC1) first, then each AI and value, with '^' after a
    // value whose AI is not of predefined length when another AI follows.
    private static string ElementStringOf(List<AiElement> elements)
    {
        var text = new StringBuilder("^");
        for (var i = 0; i < elements.Count; i++)
        {
            if (i > 0 && !ApplicationIdentifiers.IsPredefinedLength(elements[i - 1].Ai))
                text.Append('^');
            text.Append(elements[i].Ai).Append(elements[i].Value);
        }

        return text.ToString();
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}

/// <summary>URI syntax shared by the general Digital Link parser and the resolver's path parser.</summary>
internal static class DigitalLinkSyntax
{
    // RFC 3986 unreserved and reserved characters plus '%'; anything else must arrive percent-encoded.
    public static readonly SearchValues<char> UriCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%");

    // URI characters a host cannot hold; IPv6 literals and ports keep '[', ']' and ':'. A zone id needs '%'.
    public static readonly SearchValues<char> BadHostCharacters = SearchValues.Create("_~?#@!$&'()*+,;=%");

    public static bool IsNumeric(string text) => text.Length > 0 && text.All(char.IsAsciiDigit);

    // The fragment is cut first, so a '?' inside it starts no query; a fragment is never data.
    public static (string Path, string Query) SplitPathAndQuery(string pathAndMore)
    {
        var hash = pathAndMore.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
            pathAndMore = pathAndMore[..hash];
        var question = pathAndMore.IndexOf('?', StringComparison.Ordinal);
        return question < 0 ? (pathAndMore, "") : (pathAndMore[..question], pathAndMore[(question + 1)..]);
    }

    // Empty parameters (&&) and keys without '=' carry no data; keys stay encoded, as the engine compares them raw.
    public static IEnumerable<(string Key, string RawValue)> QueryParameters(string query)
    {
        foreach (var parameter in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
                yield return (parameter[..equals], parameter[(equals + 1)..]);
        }
    }

    // Byte for byte, as the engine does: a UTF-8 sequence decodes to characters outside every GS1 character
    // set and fails the AI's check with a clear message. '+' is a space only in a query; a '%' without two hex
    // digits stays as it is. Null when the text decodes %00, which no AI value may hold.
    public static string? PercentDecode(string text, bool inQuery)
    {
        var decoded = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%' && i + 2 < text.Length && char.IsAsciiHexDigit(text[i + 1]) && char.IsAsciiHexDigit(text[i + 2]))
            {
                c = (char)Convert.ToByte(text.Substring(i + 1, 2), 16);
                if (c == '\0')
                    return null;
                i += 2;
            }
            else if (c == '+' && inQuery)
            {
                c = ' ';
            }

            decoded.Append(c);
        }

        return decoded.ToString();
    }

    // Error messages are read on a phone: name spaces and invisible or non-ASCII characters.
    public static string Describe(char c) => c switch
    {
        ' ' => "a space",
        _ when char.IsControl(c) || c > '~' => $"the character U+{(int)c:X4}",
        _ => $"'{c}'",
    };
}
