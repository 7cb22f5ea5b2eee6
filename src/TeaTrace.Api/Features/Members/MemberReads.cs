using System.Data;
using Dapper;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Members;

/// <summary>A member as other features check it inside their writes: whose member it is.</summary>
internal sealed record MemberRef(string Id, string OrgId, string Village);

/// <summary>Named reads of members, for this feature and the features that name a member (plots).</summary>
internal static class MemberReads
{
    private const string SelectMember = "SELECT id, org_id, village, created_at FROM members WHERE id = @Id";

    private const string SelectMembersOfOrg = "SELECT id, org_id, village, created_at FROM members WHERE org_id = @OrgId ORDER BY created_at, id";

    internal sealed class Row
    {
        public string Id { get; init; } = "";
        public string OrgId { get; init; } = "";
        public string Village { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
    }

    public static MemberRef? Find(LedgerTransaction tx, string id) =>
        tx.QuerySingleOrDefault<Row>(SelectMember, new { Id = id }) is { } row ? new MemberRef(row.Id, row.OrgId, row.Village) : null;

    /// <summary>A member with the personal fields from the sealed part of their registration (null once erased).</summary>
    internal static MemberResponse? Member(IDbConnection connection, string id, IDbTransaction? transaction = null) =>
        connection.QuerySingleOrDefault<Row>(SelectMember, new { Id = id }, transaction) is { } row ? ToResponse(connection, row, transaction) : null;

    internal static IReadOnlyList<MemberResponse> OfOrg(IDbConnection connection, string orgId) =>
        [.. connection.Query<Row>(SelectMembersOfOrg, new { OrgId = orgId }).Select(row => ToResponse(connection, row, null))];

    private static MemberResponse ToResponse(IDbConnection connection, Row row, IDbTransaction? transaction)
    {
        var person = SealedReads.Fields(connection, row.Id, EntryTypes.MemberRegistered, transaction);
        return new MemberResponse(row.Id, row.OrgId, person.Text("name"), row.Village, person.Text("phone"), person.Text("idLast4"), person is null, row.CreatedAt);
    }
}
