using System.ComponentModel.DataAnnotations;

namespace TeaTrace.Api.Ledger;

internal sealed class LedgerOptions
{
    public const string SectionName = "TeaTrace:Ledger";

    /// <summary>The checkpoint origin line, and the signing key's name.</summary>
    [Required, RegularExpression(@"^[^\s+]+$", ErrorMessage = "TeaTrace:Ledger:Origin is one word with no spaces or '+', such as teatrace.local/ledger.")]
    public string Origin { get; set; } = "teatrace.local/ledger";

    [Required]
    public string SigningKeyPath { get; set; } = "data/ledger.key";
}
