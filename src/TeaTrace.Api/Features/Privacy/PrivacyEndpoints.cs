using Microsoft.AspNetCore.Http.HttpResults;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Errors;
using TeaTrace.Api.Idempotency;

namespace TeaTrace.Api.Features.Privacy;

internal static class PrivacyEndpoints
{
    public static IEndpointRouteBuilder MapPrivacy(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/ledger/entries/{index:long}/sealed", ReadSealed)
            .WithTags("Ledger")
            .WithSummary("An entry's private fields, with the salt that opens its commitment")
            .WithDescription("SHA-256(salt ‖ canonical JSON of fields) is the entry body's sealed commitment (canonical: members sorted, no whitespace). 404 when the entry has no private fields; 410 once they were erased (erasedBy names the erasure's entry).")
            .Allow("the organisations the record is about or was written by (and a counterparty), regulator, admin", Roles.All)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone);

        app.MapPost("/api/admin/erasures", Erase)
            .WithTags("Administration")
            .WithSummary("Erase what the sealed parts hold about a person (a key holder, a cooperative member) or an organisation")
            .WithDescription("subject is a key id, an organisation id or a cooperative member's id. Every sealed part naming it loses its salt and fields; the erasure is itself a ledger entry (its reason sealed). The log, proofs and audit still verify. 404 when nothing names the subject; 422 while a record naming it must still be kept by law (erasableFrom).")
            .Allow("admin", Roles.Admin)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    private static Results<Ok<SealedPartResponse>, ProblemHttpResult> ReadSealed(long index, HttpContext http, ErasureStore store)
    {
        var read = store.Read(Caller.From(http.User), index);
        return read.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(read.Value);
    }

    private static async Task<Results<Created<ErasureResponse>, ProblemHttpResult>> Erase(ErasureRequest request, HttpContext http, ErasureStore store, CancellationToken cancellationToken)
    {
        var reply = Reply.Created<ErasureResponse>(http, erasure => $"/api/ledger/entries/{erasure.EntryIndex}");
        var result = await store.EraseAsync(Caller.From(http.User), request, reply, cancellationToken);
        return result.ToCreated(reply);
    }
}

internal static class PrivacySetup
{
    public static IServiceCollection AddPrivacy(this IServiceCollection services) => services.AddSingleton<ErasureStore>();
}
