using System.ComponentModel.DataAnnotations;

namespace TeaTrace.Api.Common;

internal sealed class TeaTraceOptions
{
    public const string SectionName = "TeaTrace";

    /// <summary>The scheme and host printed into Digital Links; required in Production, the request's own elsewhere when unset.</summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>When set and no admin key exists, this string becomes an admin key.</summary>
    [MinLength(32, ErrorMessage = "TeaTrace:BootstrapAdminKey must be at least 32 characters: it opens everything, so it must not be guessable.")]
    public string? BootstrapAdminKey { get; set; }

    /// <summary>"demo" loads seeds/demo.json into an empty database; "none" loads nothing. Defaults by environment.</summary>
    [RegularExpression("^(demo|none)$", ErrorMessage = "TeaTrace:Seed must be 'demo' or 'none'.")]
    public string? Seed { get; set; }
}
