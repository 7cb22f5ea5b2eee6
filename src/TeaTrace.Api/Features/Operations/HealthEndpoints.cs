using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Data;

namespace TeaTrace.Api.Features.Operations;

internal sealed record HealthResponse(string Status, long LedgerEntries);

internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", Health)
            .WithTags("Operations")
            .WithSummary("Liveness and database check")
            .WithDescription("200 when the database answers, 503 otherwise.")
            .Public()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static Results<Ok<HealthResponse>, ProblemHttpResult> Health(SqliteConnectionFactory connections)
    {
        try
        {
            using var connection = connections.Open();
            var entries = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_entries");
            return TypedResults.Ok(new HealthResponse("ok", entries));
        }
        catch (SqliteException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Database unavailable",
                detail: "The database did not answer.");
        }
    }
}
