using System.Text.RegularExpressions;
using TeaTrace.Api.Common;

namespace TeaTrace.Api.Features.Custody;

/// <summary>
/// Certificate numbers: 12 characters of Crockford's base 32, 60 random bits, printed in groups of four
/// (7KQ3-M9TX-2HFD) so a gate clerk can type one. A phone working offline mints its own the same way.
/// </summary>
internal static partial class CertificateNumbers
{
    public const int Length = 12;

    public static string Mint() => Ids.Random(Length);

    /// <summary>The number as stored, from what a person typed or a scanner read (any case, dashes and spaces, I/L for 1, O for 0); null when it cannot be one.</summary>
    public static string? Normalize(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed))
        {
            return null;
        }

        var chars = typed.Trim().ToUpperInvariant().Where(c => c is not ('-' or ' ')).Select(c => c switch
        {
            'I' or 'L' => '1',
            'O' => '0',
            _ => c,
        }).ToArray();
        var number = new string(chars);
        return Shape().IsMatch(number) ? number : null;
    }

    public static string Display(string number) => number.Length == Length ? $"{number[..4]}-{number[4..8]}-{number[8..]}" : number;

    [GeneratedRegex("^[0-9A-HJKMNP-TV-Z]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
