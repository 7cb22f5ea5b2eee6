namespace TeaTrace.Api.Common;

/// <summary>Headers for every response, and a strict content security policy for the service's own pages.</summary>
internal static class SecurityHeaders
{
    // Pages load only their own scripts and styles; proofs are checked with WebCrypto, nothing is fetched elsewhere.
    public const string PagePolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; manifest-src 'self'; " +
        "worker-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    // The job dashboard (Hangfire's pages) sets element styles inline; its scripts are its own files.
    public const string DashboardPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static volatile string? _docsPolicy;

    public static IApplicationBuilder UseTeaTraceSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers.XFrameOptions = "DENY";
            var path = context.Request.Path;
            if (path.StartsWithSegments("/jobs"))
            {
                headers.ContentSecurityPolicy = DashboardPolicy; // the sign-in page sets the stricter page policy itself
            }
            else if (path.Value is "/docs" or "/docs/" or "/docs/index.html")
            {
                await WithDocsPolicyAsync(context, next);
                return;
            }

            await next(context);
        });

    /// <summary>
    /// The API docs page starts its viewer with one inline script, whose hash goes into the page's policy (computed
    /// from the page as served, so it follows the viewer's version); styles are set inline by the viewer.
    /// </summary>
    private static async Task WithDocsPolicyAsync(HttpContext context, RequestDelegate next)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
        {
            _docsPolicy ??= DocsPolicy(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            context.Response.Headers.ContentSecurityPolicy = _docsPolicy;
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private static string DocsPolicy(string html)
    {
        var hashes = System.Text.RegularExpressions.Regex.Matches(html, "<script(?![^>]*\\bsrc=)[^>]*>(.*?)</script>", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Select(m => $"'sha256-{Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(m.Groups[1].Value)))}'");
        return $"default-src 'none'; script-src 'self' {string.Join(' ', hashes)}; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
            "connect-src 'self'; worker-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    public static void ForPage(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = PagePolicy;
        response.Headers["Permissions-Policy"] = "geolocation=(self), camera=(self), microphone=(), payment=()";
        response.Headers["Cross-Origin-Opener-Policy"] = "same-origin";
    }
}
