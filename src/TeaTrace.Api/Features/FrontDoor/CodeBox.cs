using System.Text;
using System.Text.RegularExpressions;
using TeaTrace.Api.Features.Resolver;

namespace TeaTrace.Api.Features.FrontDoor;

internal enum CodeKind
{
    Empty,
    Bare,
    DigitalLink,
    Harvest,
    Batch,
    Certificate,
    NotACode,
}

/// <summary>What a typed or scanned text turned out to be. Bare holds the code as typed and as it most likely was meant.</summary>
internal sealed record TypedCode(CodeKind Kind, string Value, string? Lot = null, string? Serial = null, string? Reason = null)
{
    public static readonly TypedCode Empty = new(CodeKind.Empty, "");
}

/// <summary>
/// Reads what a person types or scans into the front door's code box, without looking anything up: a tin's serial,
/// a GS1 Digital Link (any host; only its GTIN, lot and serial are kept), a harvest or batch tag (its code or its
/// /h/ or /b/ link), or a certificate's /c/ link.
/// </summary>
internal static partial class CodeBox
{
    public const int MaxLength = 512;

    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    [GeneratedRegex(@"^([HB])[-\s]?([0-9A-Z]{8})$")]
    private static partial Regex TagCode();

    [GeneratedRegex(@"^/([hbc])/([^/]+)(?:/tag)?/?$", RegexOptions.IgnoreCase)]
    private static partial Regex TagPath();

    public static TypedCode Read(string? text)
    {
        var value = text?.Trim() ?? "";
        if (value.Length == 0)
        {
            return TypedCode.Empty;
        }

        if (value.Length > MaxLength)
        {
            return new TypedCode(CodeKind.NotACode, value[..MaxLength], Reason: $"A code is at most {MaxLength} characters.");
        }

        if (value.StartsWith('/') || value.Contains("://", StringComparison.Ordinal))
        {
            return ReadLink(value.StartsWith('/') ? "https://localhost" + value : value);
        }

        // A scanner app may drop the scheme: tea.example.cn/01/…
        if (value.Contains('/', StringComparison.Ordinal) && !value.Contains(' ', StringComparison.Ordinal))
        {
            return ReadLink("https://" + value);
        }

        var typed = Typeable(value);
        if (TagCode().Match(typed) is { Success: true } tag)
        {
            return new TypedCode(tag.Groups[1].Value == "H" ? CodeKind.Harvest : CodeKind.Batch, $"{tag.Groups[1].Value}-{tag.Groups[2].Value}");
        }

        // Serials are at most 20 characters (GS1 AI 21); printed in groups, they may be typed with spaces or dashes.
        var compact = typed.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        return compact.Length is > 0 and <= 20 && compact.All(c => char.IsAsciiLetterOrDigit(c))
            ? new TypedCode(CodeKind.Bare, value, Serial: compact)
            : new TypedCode(CodeKind.NotACode, value, Reason: "This is not a serial, a Digital Link or a harvest or batch tag.");
    }

    /// <summary>
    /// Upper case, with the letters Crockford's base-32 leaves out read as the digits people mistake them for
    /// (O as 0, I and L as 1): TeaTrace's codes and serials never hold them.
    /// </summary>
    public static string Typeable(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var c in text.ToUpperInvariant())
        {
            result.Append(c switch
            {
                'O' => '0',
                'I' or 'L' => '1',
                _ => c,
            });
        }

        return result.ToString();
    }

    private static TypedCode ReadLink(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return new TypedCode(CodeKind.NotACode, value, Reason: "This is not a web address TeaTrace knows.");
        }

        if (TagPath().Match(uri.AbsolutePath) is { Success: true } tag)
        {
            var code = Uri.UnescapeDataString(tag.Groups[2].Value);
            return char.ToLowerInvariant(tag.Groups[1].Value[0]) switch
            {
                'c' => new TypedCode(CodeKind.Certificate, code),
                var kind when TagCode().Match(Typeable(code)) is { Success: true } read && read.Groups[1].Value == (kind == 'h' ? "H" : "B") =>
                    new TypedCode(kind == 'h' ? CodeKind.Harvest : CodeKind.Batch, $"{read.Groups[1].Value}-{read.Groups[2].Value}"),
                _ => new TypedCode(CodeKind.NotACode, value, Reason: "The tag's link does not hold a harvest or batch code."),
            };
        }

        if (!DigitalLinkUri.TryParse(value, out var link, out var error))
        {
            return new TypedCode(CodeKind.NotACode, value, Reason: error);
        }

        if (link.PrimaryKey.Ai != "01")
        {
            return new TypedCode(CodeKind.NotACode, value, Reason: $"TeaTrace resolves products by GTIN (01), not by the {link.PrimaryKey.Ai} this link holds.");
        }

        // Another host's link to the same GTIN names the same tin; a consumer product variant (22) is not one TeaTrace uses.
        var lot = link.KeyQualifiers.FirstOrDefault(e => e.Ai == "10")?.Value;
        var serial = link.KeyQualifiers.FirstOrDefault(e => e.Ai == "21")?.Value;
        return new TypedCode(CodeKind.DigitalLink, link.PrimaryKey.Value, lot, serial);
    }
}
