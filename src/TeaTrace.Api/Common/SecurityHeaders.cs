namespace TeaTrace.Api.Common;

/// <summary>Headers for every response, and a strict content security policy for the service's own pages.</summary>
internal static class SecurityHeaders
{
    // Pages load only their own scripts and styles; proofs are checked with WebCrypto, nothing is fetched elsewhere.
    public const string PagePolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; manifest-src 'self'; " +
        "worker-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseTeaTraceSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers.XFrameOptions = "DENY";
            await next(context);
        });

    public static void ForPage(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = PagePolicy;
        response.Headers["Permissions-Policy"] = "geolocation=(self), camera=(self), microphone=(), payment=()";
        response.Headers["Cross-Origin-Opener-Policy"] = "same-origin";
    }
}
