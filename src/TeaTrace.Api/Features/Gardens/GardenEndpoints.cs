using Microsoft.AspNetCore.Http.HttpResults;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Errors;
using TeaTrace.Api.Idempotency;

namespace TeaTrace.Api.Features.Gardens;

internal static class GardenEndpoints
{
    public static IEndpointRouteBuilder MapGardens(this IEndpointRouteBuilder app)
    {
        var plots = app.MapGroup("/api/plots").WithTags("Gardens");

        plots.MapPost("/", CreatePlot)
            .WithSummary("Register a tea garden plot")
            .WithDescription("giEligible is fixed at registration: the plot must lie inside the configured GI area and grow a GI cultivar; giReasons says why not. Plots belong to farms and cooperatives (422 otherwise).")
            .Allow(GardenAccess.PlotWriters, Roles.Farmer, Roles.Admin)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        plots.MapGet("/", ListPlots)
            .WithSummary("List plots")
            .WithDescription("A farmer sees their own organisation's plots (orgId defaults to it); regulators and admins may omit orgId to see all.")
            .Allow(GardenAccess.PlotReaders, GardenAccess.PlotReaderRoles);

        plots.MapGet("/{id}", GetPlot)
            .WithSummary("Read a plot")
            .Allow(GardenAccess.PlotReaders, GardenAccess.PlotReaderRoles)
            .ProducesProblem(StatusCodes.Status404NotFound);

        plots.MapPost("/{id}/inputs", CreateInput)
            .WithSummary("Record a farm input (fertiliser, pesticide, other)")
            .WithDescription("Pesticides need preHarvestIntervalDays (400 otherwise); pesticides banned on tea are refused (422). Records are never edited: send a new record with correctsInputId to correct one; the corrected record stops counting.")
            .Allow(GardenAccess.PlotWriters, Roles.Farmer, Roles.Admin)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        plots.MapGet("/{id}/inputs", ListInputs)
            .WithSummary("List a plot's farm inputs")
            .Allow(GardenAccess.PlotReaders, GardenAccess.PlotReaderRoles)
            .ProducesProblem(StatusCodes.Status404NotFound);

        var harvests = app.MapGroup("/api/harvests").WithTags("Gardens");

        harvests.MapPost("/", CreateHarvest)
            .WithSummary("Record a harvest of fresh leaf")
            .WithDescription("422 inside a pre-harvest interval: the problem names the input (inputId, product) and the first allowed date (firstAllowedDate). The code is printed on the harvest's tag.")
            .Allow(GardenAccess.PlotWriters, Roles.Farmer, Roles.Admin)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        harvests.MapGet("/{id}", GetHarvest)
            .WithSummary("Read a harvest by id or code, with the leaf it has left")
            .WithDescription("Processors read any harvest: they buy leaf from many gardens.")
            .Allow(GardenAccess.HarvestReaders, GardenAccess.HarvestReaderRoles)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    private static async Task<Results<Created<PlotResponse>, ProblemHttpResult>> CreatePlot(
        CreatePlotRequest request, HttpContext http, PlotStore store, CancellationToken cancellationToken)
    {
        var reply = Reply.Created<PlotResponse>(http, plot => $"/api/plots/{plot.Id}");
        var result = await store.CreateAsync(Caller.From(http.User), request, reply, cancellationToken);
        return result.ToCreated(reply);
    }

    private static Results<Ok<IReadOnlyList<PlotResponse>>, ProblemHttpResult> ListPlots(
        string? orgId, int? offset, int? limit, HttpContext http, PlotStore store)
    {
        var caller = Caller.From(http.User);
        if (caller.Role == Roles.Farmer)
        {
            orgId ??= caller.OrgId;
            if (orgId != caller.OrgId)
            {
                return GardenRefusals.PlotsOfOwnOrganisation().ToProblem();
            }
        }

        if (offset is < 0 || limit is < 1 or > 1000)
        {
            return CommonRefusals.Paging(1000).ToProblem();
        }

        return TypedResults.Ok(store.List(orgId, offset ?? 0, limit ?? 200));
    }

    private static Results<Ok<PlotResponse>, ProblemHttpResult> GetPlot(string id, HttpContext http, PlotStore store)
    {
        var plot = store.Find(id);
        return plot is null ? Refusal.NotFound(Noun.Plot, id).ToProblem()
            : GardenAccess.CanReadPlot(Caller.From(http.User), plot.OrgId) ? TypedResults.Ok(plot)
            : CommonRefusals.OtherOrganisations(Noun.Plot).ToProblem();
    }

    private static async Task<Results<Created<InputResponse>, ProblemHttpResult>> CreateInput(
        string id, CreateInputRequest request, HttpContext http, InputStore store, CancellationToken cancellationToken)
    {
        var reply = Reply.Created<InputResponse>(http, input => $"/api/plots/{id}/inputs#{input.Id}");
        var result = await store.CreateAsync(Caller.From(http.User), id, request, reply, cancellationToken);
        return result.ToCreated(reply);
    }

    private static Results<Ok<IReadOnlyList<InputResponse>>, ProblemHttpResult> ListInputs(string id, HttpContext http, PlotStore plots, InputStore inputs)
    {
        var plot = plots.Find(id);
        return plot is null ? Refusal.NotFound(Noun.Plot, id).ToProblem()
            : GardenAccess.CanReadPlot(Caller.From(http.User), plot.OrgId) ? TypedResults.Ok(inputs.List(id))
            : CommonRefusals.OtherOrganisations(Noun.Plot).ToProblem();
    }

    private static async Task<Results<Created<HarvestResponse>, ProblemHttpResult>> CreateHarvest(
        CreateHarvestRequest request, HttpContext http, HarvestStore store, CancellationToken cancellationToken)
    {
        var reply = Reply.Created<HarvestResponse>(http, harvest => $"/api/harvests/{harvest.Id}");
        var result = await store.CreateAsync(Caller.From(http.User), request, reply, cancellationToken);
        return result.ToCreated(reply);
    }

    private static Results<Ok<HarvestResponse>, ProblemHttpResult> GetHarvest(string id, HttpContext http, HarvestStore store)
    {
        var harvest = store.Find(id);
        var caller = Caller.From(http.User);
        if (harvest is null)
        {
            return Refusal.NotFound(Noun.Harvest, id).ToProblem();
        }

        if (!GardenAccess.CanReadHarvest(caller, harvest.OrgId))
        {
            return CommonRefusals.OtherOrganisations(Noun.Harvest).ToProblem();
        }

        // A buyer (a factory at its station) sees how much of this leaf it holds: received and not yet used.
        return TypedResults.Ok(caller.OrgId != harvest.OrgId && caller.Role is Roles.Processor or Roles.Farmer
            ? harvest with { HeldKg = store.HeldBy(caller.OrgId, harvest.Id) }
            : harvest);
    }
}
