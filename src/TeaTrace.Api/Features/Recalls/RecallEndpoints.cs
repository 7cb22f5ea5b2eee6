using Microsoft.AspNetCore.Http.HttpResults;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Errors;
using TeaTrace.Api.Idempotency;

namespace TeaTrace.Api.Features.Recalls;

internal static class RecallEndpoints
{
    public static IEndpointRouteBuilder MapRecalls(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/recalls", CreateRecall)
            .WithTags("Recalls and traces")
            .WithSummary("Recall a harvest, a batch or a lot")
            .WithDescription("Give exactly one of harvestId, batchId, lotId. Every lot made from it, and every unit of those lots, is recalled: scanning such a unit shows a warning. A recalled harvest cannot go into a new batch, nor a recalled batch into a new lot (422). The response lists every lot reached and the unit count.")
            .Allow("regulator, admin", Roles.Regulator, Roles.Admin)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        var trace = app.MapGroup("/api/trace").WithTags("Recalls and traces");

        trace.MapGet("/forward", Forward)
            .WithSummary("Forward trace: from a harvest to every batch, lot and unit made from it")
            .Allow("regulator, admin", Roles.Regulator, Roles.Admin)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        trace.MapGet("/backward", Backward)
            .WithSummary("Backward trace: from a unit's serial to its lot, batch, harvests, plots, farms and farm inputs")
            .Allow("regulator, admin", Roles.Regulator, Roles.Admin)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    private static async Task<Results<Created<RecallResponse>, ProblemHttpResult>> CreateRecall(
        CreateRecallRequest request, HttpContext http, RecallStore store, CancellationToken cancellationToken)
    {
        var reply = Reply.Created<RecallResponse>(http, recall => $"/api/recalls/{recall.Id}");
        var result = await store.RecallAsync(Caller.From(http.User), request, reply, cancellationToken);
        return result.ToCreated(reply);
    }

    private static Results<Ok<ForwardTrace>, ProblemHttpResult> Forward(string? harvestId, RecallStore store) =>
        string.IsNullOrWhiteSpace(harvestId) ? RecallRefusals.HarvestNeeded().ToProblem()
        : store.Forward(harvestId) is { } trace ? TypedResults.Ok(trace)
        : Refusal.NotFound(Noun.Harvest, harvestId).ToProblem();

    private static Results<Ok<BackwardTrace>, ProblemHttpResult> Backward(string? serial, RecallStore store) =>
        string.IsNullOrWhiteSpace(serial) ? RecallRefusals.SerialNeeded().ToProblem()
        : store.Backward(serial.Trim()) is { } trace ? TypedResults.Ok(trace)
        : Refusal.NotFound(Noun.Unit, serial).ToProblem();
}
