using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace TeaTrace.Api.Errors;

/// <summary>
/// Turns requests the framework could not bind (bad JSON, wrong types, wrong content type, too large) into 4xx
/// problem responses that say what was wrong, and everything else into a 500 with no internals.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        ProblemDetails problem;
        if (FindJsonException(bad) is { } json)
        {
            problem = HttpRefusals.UnreadableJson(string.IsNullOrEmpty(json.Path) ? "$" : json.Path, (json as Common.JsonInputException)?.Text).ToProblemDetails();
        }
        else
        {
            problem = new ProblemDetails { Title = "Bad request", Detail = bad.Message };
        }

        problem.Status = bad.StatusCode;
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static JsonException? FindJsonException(Exception exception)
    {
        for (var e = exception.InnerException; e is not null; e = e.InnerException)
        {
            if (e is JsonException json)
            {
                return json;
            }
        }

        return null;
    }
}
