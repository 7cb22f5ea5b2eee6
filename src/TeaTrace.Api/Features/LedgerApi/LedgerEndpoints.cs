using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Errors;

namespace TeaTrace.Api.Features.LedgerApi;

internal sealed record EntryResponse(long Index, string Type, string SubjectId, DateTimeOffset RecordedAt, string LeafHash, string Body);

internal static class LedgerEndpoints
{
    private const string SelectEntry = "SELECT idx, type, subject_id, recorded_at, body, leaf_hash FROM ledger_entries WHERE idx = @Index";

    private sealed class EntryRow
    {
        public long Idx { get; init; }
        public string Type { get; init; } = "";
        public string SubjectId { get; init; } = "";
        public DateTimeOffset RecordedAt { get; init; }
        public byte[] Body { get; init; } = [];
        public byte[] LeafHash { get; init; } = [];
    }

    public static IEndpointRouteBuilder MapLedger(this IEndpointRouteBuilder app)
    {
        var ledger = app.MapGroup("/api/ledger").WithTags("Ledger");

        ledger.MapGet("/entries/{index:long}", GetEntry)
            .WithSummary("Read one ledger entry")
            .WithDescription("body is the base64 of the exact stored bytes (UTF-8 JSON); leafHash is hex SHA-256(0x00 ‖ those bytes). Each body's previousLeafHash is the leafHash of the entry before it (64 zeros for entry 0).")
            .Public()
            .ProducesProblem(StatusCodes.Status404NotFound);

        ledger.MapGet("/audit", Audit)
            .WithSummary("Audit the whole ledger")
            .WithDescription("Re-hashes every entry and checks indexes and links; firstBadIndex names the first entry that fails.")
            .Allow("regulator, admin", Roles.Regulator, Roles.Admin);

        return app;
    }

    private static Results<Ok<EntryResponse>, ProblemHttpResult> GetEntry(long index, SqliteConnectionFactory connections)
    {
        using var connection = connections.Open();
        var row = connection.QuerySingleOrDefault<EntryRow>(SelectEntry, new { Index = index });
        return row is null
            ? new Refusal(StatusCodes.Status404NotFound, "Not found", $"The ledger has no entry {index}.").ToProblem()
            : TypedResults.Ok(new EntryResponse(row.Idx, row.Type, row.SubjectId, row.RecordedAt, Convert.ToHexStringLower(row.LeafHash), Convert.ToBase64String(row.Body)));
    }

    private static Ok<AuditResult> Audit(LedgerAuditor auditor, CancellationToken cancellationToken) =>
        TypedResults.Ok(auditor.Audit(cancellationToken));
}
