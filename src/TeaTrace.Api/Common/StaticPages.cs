using Microsoft.AspNetCore.StaticFiles;

namespace TeaTrace.Api.Common;

/// <summary>The field pages are static files; their HTML gets the pages' security headers, and the service worker is never cached.</summary>
internal static class StaticPages
{
    public static readonly StaticFileOptions Options = new()
    {
        ContentTypeProvider = Provider(),
        OnPrepareResponse = context =>
        {
            var response = context.Context.Response;
            if (context.File.Name.EndsWith(".html", StringComparison.Ordinal))
            {
                SecurityHeaders.ForPage(response);
                response.Headers.CacheControl = "no-cache";
            }
            else if (context.File.Name == "sw.js")
            {
                response.Headers.CacheControl = "no-cache";
            }
        },
    };

    private static FileExtensionContentTypeProvider Provider()
    {
        var provider = new FileExtensionContentTypeProvider();
        provider.Mappings[".webmanifest"] = "application/manifest+json";
        return provider;
    }
}
