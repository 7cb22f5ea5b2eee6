using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using TeaTrace.Api.Common;

namespace TeaTrace.Api.Errors;

/// <summary>
/// Writes a problem response from middleware (authentication, rate limiting). The problem-details service declines
/// when a client accepts only text/html; such clients still get the RFC 9457 body rather than an exception.
/// </summary>
internal static class ProblemWriter
{
    public static async Task WriteAsync(HttpContext http, Refusal refusal)
    {
        http.Response.StatusCode = refusal.Status;
        var context = new ProblemDetailsContext { HttpContext = http, ProblemDetails = refusal.ToProblemDetails() };
        if (await http.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(context))
        {
            return;
        }

        var problem = context.ProblemDetails;
        ProblemLanguage.Apply(http, problem);
        problem.Instance = http.Request.Path;
        problem.Extensions["traceId"] = http.TraceIdentifier;
        http.Response.ContentType = "application/problem+json";
        await JsonSerializer.SerializeAsync(http.Response.Body, problem, JsonSerializerOptions.Web, http.RequestAborted);
    }
}
