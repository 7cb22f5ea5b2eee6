using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using TeaTrace.Api.Common;

namespace TeaTrace.Api.Errors;

internal static class Problems
{
    /// <summary>
    /// A refusal as an RFC 9457 response; per-field errors travel in 'errors' as ASP.NET's validation problems do. The
    /// English words are written unless the request asks for Chinese (see <see cref="ProblemLanguage"/>).
    /// </summary>
    public static ProblemHttpResult ToProblem(this Refusal refusal) => TypedResults.Problem(refusal.ToProblemDetails());

    public static ProblemDetails ToProblemDetails(this Refusal refusal)
    {
        ProblemDetails problem = refusal.Errors is { } errors
            ? new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value.Select(t => t.En).ToArray()))
            : new ProblemDetails();
        problem.Status = refusal.Status;
        problem.Title = refusal.Title.En;
        problem.Detail = refusal.Detail.En;
        if (refusal.Extensions is { } extensions)
        {
            foreach (var (key, value) in extensions)
            {
                problem.Extensions[key] = value;
            }
        }

        problem.Extensions[ProblemLanguage.ChineseKey] = new ProblemLanguage.Chinese(refusal.Title.Zh, refusal.Detail.Zh,
            refusal.Errors?.ToDictionary(e => e.Key, e => e.Value.Select(t => t.Zh).ToArray()));
        return problem;
    }

    public static Results<Created<T>, ProblemHttpResult> ToCreated<T>(this WriteResult<T> result, Func<T, string> location) =>
        result.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Created(location(result.Value!), result.Value);

    /// <summary>The answer the reply describes (and, with an Idempotency-Key, stored for a retry).</summary>
    public static Results<Created<T>, ProblemHttpResult> ToCreated<T>(this WriteResult<T> result, Idempotency.Reply<T> reply) =>
        result.ToCreated(reply.Location!);

    public static Results<Accepted<T>, ProblemHttpResult> ToAccepted<T>(this WriteResult<T> result, Idempotency.Reply<T> reply) =>
        result.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Accepted(reply.Location!(result.Value!), result.Value);

    public static Results<Ok<T>, ProblemHttpResult> ToOk<T>(this WriteResult<T> result) =>
        result.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(result.Value);
}
