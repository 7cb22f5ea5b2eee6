using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using TeaTrace.Api.Errors;

namespace TeaTrace.Api.Common;

internal sealed class RequestLimitOptions
{
    public const string SectionName = "TeaTrace:Requests";

    /// <summary>The largest request body accepted (a bulk upload of 5,000 readings is about 500 KB).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxBodyBytes { get; set; } = 1024 * 1024;
}

internal static class RequestLimits
{
    /// <summary>
    /// Kestrel enforces the limit on any body; this also answers a declared oversize body with a problem at once, and
    /// a body declared in a charset other than UTF-8 with 415.
    /// </summary>
    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var limit = context.RequestServices.GetRequiredService<IOptionsMonitor<RequestLimitOptions>>().CurrentValue.MaxBodyBytes;
            if (context.Request.ContentLength > limit)
            {
                await ProblemWriter.WriteAsync(context, HttpRefusals.TooLarge(context.Request.ContentLength.Value, limit));
                return;
            }

            // Bodies are read as UTF-8, whatever they declare: text in another charset would be stored garbled, for good.
            if (context.Request.ContentType is { } contentType && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
                && media.Charset.HasValue && !media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !media.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
            {
                await ProblemWriter.WriteAsync(context, HttpRefusals.Charset(media.Charset.ToString()));
                return;
            }

            if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = limit;
            }

            await next(context);
        });
}
