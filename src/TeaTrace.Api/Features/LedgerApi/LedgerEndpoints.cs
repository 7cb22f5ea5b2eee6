using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Errors;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.LedgerApi;

internal sealed record EntryResponse(long Index, string Type, string SubjectId, DateTimeOffset RecordedAt, string LeafHash, string Body);

internal sealed record EntryPage(long From, long TreeSize, IReadOnlyList<EntryResponse> Entries);

internal static class LedgerEndpoints
{
    public const int MaxPage = 1000;

    // CAST: a body rewritten as text by hand still reads as the bytes it now holds.
    private const string EntryColumns = "idx, type, subject_id, recorded_at, CAST(body AS BLOB) AS body, leaf_hash";

    private const string SelectEntry = $"SELECT {EntryColumns} FROM ledger_entries WHERE idx = @Index";

    private const string SelectEntries = $"SELECT {EntryColumns} FROM ledger_entries WHERE idx >= @From AND idx < @To ORDER BY idx";

    private sealed class EntryRow
    {
        public long Idx { get; init; }
        public string Type { get; init; } = "";
        public string SubjectId { get; init; } = "";
        public DateTimeOffset RecordedAt { get; init; }
        public byte[] Body { get; init; } = [];
        public byte[] LeafHash { get; init; } = [];

        public EntryResponse ToResponse() => new(Idx, Type, SubjectId, RecordedAt, Convert.ToHexStringLower(LeafHash), Convert.ToBase64String(Body));
    }

    public static IEndpointRouteBuilder MapLedger(this IEndpointRouteBuilder app)
    {
        var ledger = app.MapGroup("/api/ledger").WithTags("Ledger")
            .RequireRateLimiting(RateLimitOptions.PublicPolicy)
            .RequireCors(ProtectionSetup.PublicReadCors);

        ledger.MapGet("/checkpoint", GetCheckpoint)
            .WithSummary("The latest signed checkpoint")
            .WithDescription("A C2SP signed note (text/plain): the origin, the tree size, the base64 RFC 9162 root, a blank line and an Ed25519 signature line. Verify it with the key from /api/ledger/public-key. A checkpoint is signed every minute when the ledger has grown.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .Public()
            .ProducesProblem(StatusCodes.Status404NotFound);

        ledger.MapGet("/public-key", GetPublicKey)
            .WithSummary("The log's verifier key")
            .WithDescription("verifierKey is name+hex(keyId)+base64(0x01‖Ed25519 public key), the signed-note format. Pin it: an auditor should not fetch it anew each time.")
            .Public();

        ledger.MapGet("/entries", GetEntries)
            .WithSummary("A page of ledger entries")
            .WithDescription($"Entries from index 'from' (default 0), at most 'count' (default and maximum {MaxPage}), for auditors who re-hash the whole log.")
            .Public()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        ledger.MapGet("/entries/{index:long}", GetEntry)
            .WithSummary("Read one ledger entry")
            .WithDescription("body is the base64 of the exact stored bytes (UTF-8 JSON); leafHash is hex SHA-256(0x00 ‖ those bytes). Each body's previousLeafHash is the leafHash of the entry before it (64 zeros for entry 0).")
            .Public()
            .ProducesProblem(StatusCodes.Status404NotFound);

        ledger.MapGet("/entries/{index:long}/proof", GetInclusionProof)
            .WithSummary("Inclusion proof of an entry")
            .WithDescription("RFC 9162 audit path from the entry's leaf to the root of the tree of treeSize entries (default: the latest checkpoint's size). 400 when treeSize is not above index or is larger than the tree; 404 for an entry not yet in the tree.")
            .Public()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        ledger.MapGet("/consistency", GetConsistencyProof)
            .WithSummary("Consistency proof between two tree sizes")
            .WithDescription("RFC 9162 proof that the tree of 'from' entries is a prefix of the tree of 'to' entries (default: the latest checkpoint's size). 1 ≤ from ≤ to ≤ tree size, else 400.")
            .Public()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        ledger.MapGet("/audit", Audit)
            .WithSummary("Audit the whole ledger")
            .WithDescription("Re-hashes every entry and checks indexes and links, rebuilds the tree and compares every stored node, and checks every checkpoint's root and signature; firstBadIndex names the first entry that fails.")
            .Allow("regulator, admin", Roles.Regulator, Roles.Admin);

        return app;
    }

    private static Results<ContentHttpResult, ProblemHttpResult> GetCheckpoint(LedgerTree tree)
    {
        var checkpoint = tree.LatestCheckpoint();
        return checkpoint is null
            ? LedgerRefusals.NoCheckpointYet().ToProblem()
            : TypedResults.Text(checkpoint.Note, "text/plain; charset=utf-8");
    }

    private static Ok<PublicKeyResponse> GetPublicKey(LedgerSigningKey key) =>
        TypedResults.Ok(new PublicKeyResponse(key.Origin, key.Verifier.VerifierKey));

    private static Results<Ok<EntryPage>, ProblemHttpResult> GetEntries(long? from, int? count, SqliteConnectionFactory connections)
    {
        if (from is < 0 || count is < 1 or > MaxPage)
        {
            return LedgerRefusals.Page(MaxPage).ToProblem();
        }

        using var connection = connections.Open();
        using var snapshot = connection.BeginTransaction(deferred: true);
        var start = from ?? 0;
        var size = connection.ExecuteScalar<long>(MerkleNodes.SelectTreeSize, transaction: snapshot);
        var rows = connection.Query<EntryRow>(SelectEntries, new { From = start, To = Math.Min(size, start + (count ?? MaxPage)) }, snapshot);
        return TypedResults.Ok(new EntryPage(start, size, rows.Select(r => r.ToResponse()).ToList()));
    }

    private static Results<Ok<EntryResponse>, ProblemHttpResult> GetEntry(long index, SqliteConnectionFactory connections)
    {
        using var connection = connections.Open();
        var row = connection.QuerySingleOrDefault<EntryRow>(SelectEntry, new { Index = index });
        return row is null
            ? LedgerRefusals.NoSuchEntry(index).ToProblem()
            : TypedResults.Ok(row.ToResponse());
    }

    private static Results<Ok<InclusionProofResponse>, ProblemHttpResult> GetInclusionProof(long index, long? treeSize, LedgerTree tree)
    {
        var size = treeSize ?? tree.LatestCheckpoint()?.Size ?? 0;
        if (treeSize is null && index >= size)
        {
            return LedgerRefusals.NotYetInACheckpoint(index, size).ToProblem();
        }

        var proof = tree.Inclusion(index, size);
        return proof is null
            ? LedgerRefusals.InclusionRange(tree.Size(), index, size).ToProblem()
            : TypedResults.Ok(proof);
    }

    private static Results<Ok<ConsistencyProofResponse>, ProblemHttpResult> GetConsistencyProof(long? from, long? to, LedgerTree tree)
    {
        var end = to ?? tree.LatestCheckpoint()?.Size ?? 0;
        var proof = from is { } start ? tree.Consistency(start, end) : null;
        return proof is null
            ? LedgerRefusals.ConsistencyRange(tree.Size(), from?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)", end).ToProblem()
            : TypedResults.Ok(proof);
    }

    private static Ok<AuditResult> Audit(LedgerAuditor auditor, CancellationToken cancellationToken) =>
        TypedResults.Ok(auditor.Audit(cancellationToken));
}
