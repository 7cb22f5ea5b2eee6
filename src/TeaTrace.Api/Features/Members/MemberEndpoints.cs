using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Errors;
using TeaTrace.Api.Features.Orgs;
using TeaTrace.Api.Idempotency;

namespace TeaTrace.Api.Features.Members;

internal static class MemberEndpoints
{
    public static IEndpointRouteBuilder MapMembers(this IEndpointRouteBuilder app)
    {
        var members = app.MapGroup("/api/orgs/{orgId}/members").WithTags("Cooperatives");

        members.MapPost("/", CreateMember)
            .WithSummary("Register a member of a cooperative: a smallholder with no key of their own")
            .WithDescription("Only a cooperative has members (422 otherwise). idLast4 is the last 4 characters of the member's ID card (3 digits, then a digit or X). name, phone and idLast4 are sealed in the ledger and named by the member id, which POST /api/admin/erasures takes as its subject; the member id and village are public.")
            .Allow(MemberAccess.Writers, MemberAccess.WriterRoles)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        members.MapGet("/", ListMembers)
            .WithSummary("A cooperative's members")
            .WithDescription("name, phone and idLast4 are null, and erased true, once an erasure removed them.")
            .Allow(MemberAccess.Readers, MemberAccess.ReaderRoles)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        members.MapGet("/{memberId}/statement", Statement)
            .WithSummary("A member's monthly statement: every collection with its weight, price and amount, and the totals")
            .WithDescription("month is YYYY-MM (Asia/Shanghai; default this month). Amounts are the weight to the gram times the price, each rounded to the fen; amountCny is their sum. Accept: text/html gives the page the cooperative prints for the member (Chinese with English, A5 or A4).")
            .Allow(MemberAccess.Readers, MemberAccess.ReaderRoles)
            .Produces<StatementResponse>(StatusCodes.Status200OK, "application/json", "text/html")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        app.MapPost("/api/collections", CreateCollection)
            .WithTags("Cooperatives")
            .WithSummary("Record a member's leaf bought at the cooperative's collection point")
            .WithDescription("Records a harvest of the plot under the same rules as POST /api/harvests (422 inside a pre-harvest interval, naming the input and the first allowed date), held by the cooperative, which may sell it pooled with other harvests on one certificate. The plot must be the cooperative's and either the member's or farmed in common (no member named); another member's plot is 422. pricePerKgCny (to the fen) and amountCny (kg to the gram × price, rounded to the fen) are sealed in the ledger and kept two years.")
            .Allow(MemberAccess.Writers, MemberAccess.WriterRoles)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        return app;
    }

    private static async Task<Results<Created<MemberResponse>, ProblemHttpResult>> CreateMember(
        string orgId, CreateMemberRequest request, HttpContext http, MemberStore store, CancellationToken cancellationToken)
    {
        var reply = Reply.Created<MemberResponse>(http, member => $"/api/orgs/{member.OrgId}/members#{member.Id}");
        var result = await store.CreateAsync(Caller.From(http.User), orgId, request, reply, cancellationToken);
        return result.ToCreated(reply);
    }

    private static Results<Ok<IReadOnlyList<MemberResponse>>, ProblemHttpResult> ListMembers(string orgId, HttpContext http, OrgStore orgs, MemberStore store)
    {
        var org = orgs.Find(orgId);
        return org is null ? Refusal.NotFound(Noun.Organisation, orgId).ToProblem()
            : !MemberAccess.CanRead(Caller.From(http.User), org.Id) ? MemberRefusals.OtherCooperative().ToProblem()
            : org.Kind != "cooperative" ? MemberRefusals.NotACooperative(org.Name, org.Kind).ToProblem()
            : TypedResults.Ok(store.List(org.Id));
    }

    private static IResult Statement(string orgId, string memberId, string? month, HttpContext http, OrgStore orgs, MemberStore members, CollectionStore collections, TimeProvider clock)
    {
        var now = ChinaTime.Now(clock);
        var (year, monthNo) = (now.Year, now.Month);
        if (month is not null)
        {
            if (!DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
            {
                return MemberRefusals.MonthRequired().ToProblem();
            }

            (year, monthNo) = (first.Year, first.Month);
        }

        var org = orgs.Find(orgId);
        if (org is null)
        {
            return Refusal.NotFound(Noun.Organisation, orgId).ToProblem();
        }

        if (!MemberAccess.CanRead(Caller.From(http.User), org.Id))
        {
            return MemberRefusals.OtherCooperative().ToProblem();
        }

        var member = members.Find(memberId);
        if (member is null || member.OrgId != org.Id)
        {
            return Refusal.NotFound(Noun.Member, memberId).ToProblem();
        }

        var statement = collections.Statement(member, org.Name, year, monthNo);
        if (WantsPage(http))
        {
            SecurityHeaders.ForPage(http.Response);
            return TypedResults.Text(StatementPage.Render(statement, now), "text/html; charset=utf-8");
        }

        return TypedResults.Ok(statement);
    }

    private static bool WantsPage(HttpContext http) =>
        MediaTypeHeaderValue.TryParseList(http.Request.Headers.Accept, out var accepted)
        && accepted.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) && a.Quality is not 0);

    private static async Task<Results<Created<CollectionResponse>, ProblemHttpResult>> CreateCollection(
        CreateCollectionRequest request, HttpContext http, CollectionStore store, CancellationToken cancellationToken)
    {
        var reply = Reply.Created<CollectionResponse>(http, collection => $"/api/orgs/{collection.OrgId}/members/{collection.MemberId}/statement?month={collection.CollectedAt:yyyy-MM}");
        var result = await store.CreateAsync(Caller.From(http.User), request, reply, cancellationToken);
        return result.ToCreated(reply);
    }
}

internal static class MembersSetup
{
    public static IServiceCollection AddMembers(this IServiceCollection services)
    {
        services.AddSingleton<MemberStore>();
        services.AddSingleton<CollectionStore>();
        return services;
    }
}
