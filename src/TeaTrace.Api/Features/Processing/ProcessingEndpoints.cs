using Microsoft.AspNetCore.Http.HttpResults;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Errors;
using TeaTrace.Api.Idempotency;

namespace TeaTrace.Api.Features.Processing;

internal static class ProcessingEndpoints
{
    public static IEndpointRouteBuilder MapProcessing(this IEndpointRouteBuilder app)
    {
        var batches = app.MapGroup("/api/batches").WithTags("Processing");

        batches.MapPost("/", CreateBatch)
            .WithSummary("Start a processing batch from harvested leaf")
            .WithDescription("Consumes fresh leaf by weight. 422 when a harvest has less leaf left than asked (remainingKg), when a GI batch would take non-GI leaf, or when a harvest was picked after the batch started. 404 for an unknown harvest or factory.")
            .Allow("processor of factoryOrgId, admin", Roles.Processor, Roles.Admin)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        batches.MapGet("/{id}", GetBatch)
            .WithSummary("Read a batch by id or code, with its inputs, steps and a summary of its readings")
            .Allow(BatchAccess.Readers, BatchAccess.ReaderRoles)
            .ProducesProblem(StatusCodes.Status404NotFound);

        batches.MapPost("/{id}/steps", RecordStep)
            .WithSummary("Record a processing step with its readings")
            .WithDescription("Steps go withering → rolling → fermentation → drying, each once: 409 out of order or after completion (expectedStep says which is next). A step cannot start before the previous one ended (422). Readings must fall inside the step (400).")
            .Allow(BatchAccess.Writers, Roles.Processor, Roles.Admin)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        batches.MapPost("/{id}/readings", AddReadings)
            .WithSummary("Upload sensor readings in bulk (factory gateway)")
            .WithDescription($"A JSON array of 1 to {BatchLimits.MaxReadings} readings, each naming its step. 409 once the batch is completed; 422 for a reading before the batch started.")
            .Allow(BatchAccess.Writers, Roles.Processor, Roles.Admin)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        batches.MapPost("/{id}/complete", CompleteBatch)
            .WithSummary("Complete a batch with its made tea")
            .WithDescription("409 before drying is recorded or when already completed. Made tea must be within the configured yield band of the fresh leaf (by default between 1/6 and 1/3.8); outside it the batch is refused (422, with minMadeTeaKg and maxMadeTeaKg) unless overrideReason is given, which goes into the ledger. Made tea heavier than the leaf, or moisture above the limit, is always refused (422).")
            .Allow(BatchAccess.Writers, Roles.Processor, Roles.Admin)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        return app;
    }

    private static async Task<Results<Created<BatchResponse>, ProblemHttpResult>> CreateBatch(
        CreateBatchRequest request, HttpContext http, BatchStore store, CancellationToken cancellationToken)
    {
        var reply = Reply.Created<BatchResponse>(http, batch => $"/api/batches/{batch.Id}");
        var result = await store.CreateAsync(Caller.From(http.User), request, reply, cancellationToken);
        return result.ToCreated(reply);
    }

    private static Results<Ok<BatchResponse>, ProblemHttpResult> GetBatch(string id, HttpContext http, BatchStore store)
    {
        var batch = store.Find(id);
        return batch is null ? Refusal.NotFound(Noun.Batch, id).ToProblem()
            : BatchAccess.CanRead(Caller.From(http.User), batch.FactoryOrgId) ? TypedResults.Ok(batch)
            : ProcessingRefusals.OtherFactory().ToProblem();
    }

    private static async Task<Results<Created<StepResponse>, ProblemHttpResult>> RecordStep(
        string id, RecordStepRequest request, HttpContext http, StepStore store, CancellationToken cancellationToken)
    {
        var reply = Reply.Created<StepResponse>(http, step => $"/api/batches/{id}#{step.Step}");
        var result = await store.RecordAsync(Caller.From(http.User), id, request, reply, cancellationToken);
        return result.ToCreated(reply);
    }

    private static async Task<Results<Accepted<ReadingsAccepted>, ProblemHttpResult>> AddReadings(
        string id, IReadOnlyList<BulkReadingRequest> readings, HttpContext http, StepStore store, CancellationToken cancellationToken)
    {
        var reply = Reply.Accepted<ReadingsAccepted>(http, _ => $"/api/batches/{id}");
        var result = await store.AddReadingsAsync(Caller.From(http.User), id, readings, reply, cancellationToken);
        return result.ToAccepted(reply);
    }

    private static async Task<Results<Ok<BatchResponse>, ProblemHttpResult>> CompleteBatch(
        string id, CompleteBatchRequest request, HttpContext http, CompletionStore store, CancellationToken cancellationToken)
    {
        var result = await store.CompleteAsync(Caller.From(http.User), id, request, Reply.Ok<BatchResponse>(http), cancellationToken);
        return result.ToOk();
    }
}
