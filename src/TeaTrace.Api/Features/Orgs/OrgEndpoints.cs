using Microsoft.AspNetCore.Http.HttpResults;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Errors;
using TeaTrace.Api.Idempotency;

namespace TeaTrace.Api.Features.Orgs;

internal static class OrgEndpoints
{
    public static IEndpointRouteBuilder MapOrgs(this IEndpointRouteBuilder app)
    {
        var orgs = app.MapGroup("/api/orgs").WithTags("Administration");

        orgs.MapPost("/", CreateOrg)
            .WithSummary("Register an organisation")
            .WithDescription("A farm, cooperative, factory, distributor or regulator. Its id is used by keys, plots, batches and lots.")
            .Allow("admin", Roles.Admin)
            .ProducesValidationProblem();

        orgs.MapGet("/{id}", GetOrg)
            .WithSummary("Read an organisation")
            .Allow("admin, regulator, or any key of that organisation", Roles.All)
            .ProducesProblem(StatusCodes.Status404NotFound);

        orgs.MapPost("/{orgId}/keys", CreateKey)
            .WithSummary("Issue an API key")
            .WithDescription("The key is in the response once; only its hash is stored. A retry with the same Idempotency-Key gets 409 with the key's id (keyId, Location), never the key: revoke it and issue another if the first answer was lost. The role must fit the organisation's kind (422 otherwise): farmer → farm or cooperative, processor → factory, distributor → distributor or factory, regulator → regulator, lab → lab, admin → any.")
            .Allow("admin", Roles.Admin)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        app.MapDelete("/api/keys/{id}", RevokeKey)
            .WithTags("Administration")
            .WithSummary("Revoke an API key")
            .WithDescription("The key stops working at once. Revoking a revoked key is a no-op. The last working admin key cannot be revoked (409).")
            .Allow("admin", Roles.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        app.MapGet("/api/me", Me)
            .WithTags("Administration")
            .WithSummary("The calling key: its id, role and organisation")
            .WithDescription("Lets a phone or a script learn which organisation its key acts for.")
            .Allow("any key", Roles.All);

        return app;
    }

    private static Results<Ok<MeResponse>, ProblemHttpResult> Me(HttpContext http, OrgStore store)
    {
        var caller = Caller.From(http.User);
        var org = store.Find(caller.OrgId);
        return org is null
            ? Common.Refusal.NotFound(Common.Noun.Organisation, caller.OrgId).ToProblem()
            : TypedResults.Ok(new MeResponse(caller.KeyId, caller.Role, org));
    }

    private static async Task<Results<Created<OrgResponse>, ProblemHttpResult>> CreateOrg(
        CreateOrgRequest request, HttpContext http, OrgStore store, CancellationToken cancellationToken)
    {
        var reply = Reply.Created<OrgResponse>(http, org => $"/api/orgs/{org.Id}");
        var result = await store.CreateAsync(Caller.From(http.User), request, reply, cancellationToken);
        return result.ToCreated(reply);
    }

    private static Results<Ok<OrgResponse>, ProblemHttpResult> GetOrg(string id, HttpContext http, OrgStore store)
    {
        var caller = Caller.From(http.User);
        var org = store.Find(id);
        if (org is null)
        {
            return Common.Refusal.NotFound(Common.Noun.Organisation, id).ToProblem();
        }

        return caller.ActsFor(org.Id) || caller.IsRegulator
            ? TypedResults.Ok(org)
            : OrgRefusals.OtherOrganisation().ToProblem();
    }

    private static async Task<Results<Created<CreatedKeyResponse>, ProblemHttpResult>> CreateKey(
        string orgId, CreateKeyRequest request, HttpContext http, OrgStore store, CancellationToken cancellationToken)
    {
        // The key is shown once. A retry with the same Idempotency-Key is told the key exists, never given it again:
        // the stored reply holds the key's id, not the secret.
        var reply = Reply.Created<CreatedKeyResponse>(http, key => $"/api/keys/{key.Id}", KeyAlreadyIssued);
        var result = await store.CreateKeyAsync(Caller.From(http.User), orgId, request, reply, cancellationToken);
        return result.ToCreated(reply);
    }

    private static StoredResponse KeyAlreadyIssued(CreatedKeyResponse key) => new(StatusCodes.Status409Conflict, "application/problem+json",
        $"/api/keys/{key.Id}", System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["type"] = "https://tools.ietf.org/html/rfc9110#section-15.5.10",
            ["title"] = "Key already issued",
            ["status"] = StatusCodes.Status409Conflict,
            ["detail"] = $"This request already issued key {key.Id}, and a key is shown only once. If its answer was lost, revoke {key.Id} (DELETE /api/keys/{key.Id}) and issue another.",
            ["keyId"] = key.Id,
        }));

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeKey(
        string id, HttpContext http, OrgStore store, CancellationToken cancellationToken)
    {
        var result = await store.RevokeKeyAsync(Caller.From(http.User), id, cancellationToken);
        return result.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.NoContent();
    }
}
