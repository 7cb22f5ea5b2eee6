using Microsoft.AspNetCore.Http.HttpResults;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Errors;
using TeaTrace.Api.Features.Gardens;
using TeaTrace.Api.Idempotency;

namespace TeaTrace.Api.Features.Residues;

internal static class ResidueEndpoints
{
    private const string Writers = "lab (an entrusted test of any plot), farmer of the plot's organisation (a self-test), admin";
    private const string Readers = "the lab that recorded it, farmer of the plot's organisation, regulator, admin";

    public static IEndpointRouteBuilder MapResidues(this IEndpointRouteBuilder app)
    {
        var tests = app.MapGroup("/api/residue-tests").WithTags("Residue tests");

        tests.MapPost("/", CreateTest)
            .WithSummary("Record a pesticide residue test of a plot's leaf")
            .WithDescription("""
                The server judges the verdict against TeaTrace:Residues. Method lab: results [{pesticide, activeIngredient?, mgPerKg | notDetected: true}];
                a pesticide above its limit fails (at the limit passes) and is listed in exceedances; a banned pesticide fails on any detection (limitMgPerKg 0);
                a pesticide with no configured limit, matched by English or Chinese name or activeIngredient, is 422 naming it. Method rapid: results
                [{class, inhibitionPct, pass?}]; a class fails at an inhibition of PositiveInhibitionPct (50) or more; pass may be left out, and when sent
                must agree (422 otherwise); an unknown class is 422; a failed class shows in results, not in exceedances. A lab key records entrusted tests
                (method lab, reportNo required); a farmer records self-tests of its own organisation's plots. harvestId must be a harvest of the plot (404
                unknown, 422 another plot's); lotId must exist; planLineId is kept as given.
                """)
            .Allow(Writers, Roles.Lab, Roles.Farmer, Roles.Admin)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        tests.MapGet("/{id}", GetTest)
            .WithSummary("Read a residue test with its results and verdict")
            .Allow(Readers, Roles.Lab, Roles.Farmer, Roles.Regulator, Roles.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGroup("/api/plots").WithTags("Residue tests").MapGet("/{id}/residue-tests", ListForPlot)
            .WithSummary("A plot's residue tests, newest sample first, failed ones included")
            .Allow(GardenAccess.PlotReaders, GardenAccess.PlotReaderRoles)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    private static async Task<Results<Created<ResidueTestResponse>, ProblemHttpResult>> CreateTest(
        CreateResidueTestRequest request, HttpContext http, ResidueStore store, CancellationToken cancellationToken)
    {
        var reply = Reply.Created<ResidueTestResponse>(http, test => $"/api/residue-tests/{test.Id}");
        var result = await store.CreateAsync(Caller.From(http.User), request, reply, cancellationToken);
        return result.ToCreated(reply);
    }

    private static Results<Ok<ResidueTestResponse>, ProblemHttpResult> GetTest(string id, HttpContext http, ResidueStore store)
    {
        var test = store.Find(id);
        if (test is null)
        {
            return Refusal.NotFound(ResidueRefusals.ResidueTest, id).ToProblem();
        }

        var caller = Caller.From(http.User);
        var plot = store.FindPlot(test.PlotId);
        var allowed = caller.IsAdmin || caller.IsRegulator
            || (caller.Role == Roles.Lab && caller.OrgId == test.RecordedByOrgId)
            || (caller.Role == Roles.Farmer && caller.OrgId == plot?.OrgId);
        return allowed ? TypedResults.Ok(test) : CommonRefusals.OtherOrganisations(ResidueRefusals.ResidueTest).ToProblem();
    }

    private static Results<Ok<IReadOnlyList<ResidueTestResponse>>, ProblemHttpResult> ListForPlot(string id, HttpContext http, ResidueStore store)
    {
        var plot = store.FindPlot(id);
        return plot is null ? Refusal.NotFound(Noun.Plot, id).ToProblem()
            : GardenAccess.CanReadPlot(Caller.From(http.User), plot.OrgId) ? TypedResults.Ok(store.ListForPlot(id))
            : CommonRefusals.OtherOrganisations(Noun.Plot).ToProblem();
    }
}
