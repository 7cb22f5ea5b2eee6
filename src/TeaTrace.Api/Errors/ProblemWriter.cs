using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace TeaTrace.Api.Errors;

/// <summary>
/// Writes a problem response from middleware (authentication, rate limiting). The problem-details service declines
/// when a client accepts only text/html; such clients still get the RFC 9457 body rather than an exception.
/// </summary>
internal static class ProblemWriter
{
    public static async Task WriteAsync(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        var context = new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        };
        if (await http.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(context))
        {
            return;
        }

        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = http.Request.Path };
        problem.Extensions["traceId"] = http.TraceIdentifier;
        http.Response.ContentType = "application/problem+json";
        await JsonSerializer.SerializeAsync(http.Response.Body, problem, JsonSerializerOptions.Web, http.RequestAborted);
    }
}
