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
    /// <summary>Kestrel enforces the limit on any body; this also answers a declared oversize body with a problem at once.</summary>
    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var limit = context.RequestServices.GetRequiredService<IOptionsMonitor<RequestLimitOptions>>().CurrentValue.MaxBodyBytes;
            if (context.Request.ContentLength > limit)
            {
                await ProblemWriter.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request too large",
                    $"The request body is {context.Request.ContentLength} bytes; the most this service accepts is {limit}.");
                return;
            }

            if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = limit;
            }

            await next(context);
        });
}
