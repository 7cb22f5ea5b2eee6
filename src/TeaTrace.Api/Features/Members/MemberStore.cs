using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Features.Orgs;
using TeaTrace.Api.Idempotency;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Members;

/// <summary>
/// A cooperative's members: smallholders with no key, recorded by the cooperative. Who they are (name, phone, ID digits)
/// is kept only in the sealed part of their registration entry, so that an erasure of the member id removes it.
/// </summary>
internal sealed class MemberStore(SqliteConnectionFactory connections, ILedgerWriter writer)
{
    private const string InsertMember = """
        INSERT INTO members (id, org_id, village, key_id, created_at) VALUES (@Id, @OrgId, @Village, @KeyId, @CreatedAt)
        """;

    public Task<WriteResult<MemberResponse>> CreateAsync(Caller caller, string orgId, CreateMemberRequest request, Reply<MemberResponse>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => Create(tx, caller, orgId, request), reply, cancellationToken);

    internal static WriteResult<MemberResponse> Create(LedgerTransaction tx, Caller caller, string orgId, CreateMemberRequest request)
    {
        var org = OrgReads.Find(tx, orgId);
        if (org is null)
        {
            return Refusal.NotFound(Noun.Organisation, orgId);
        }

        if (!caller.ActsFor(org.Id))
        {
            return MemberRefusals.OtherCooperative();
        }

        if (org.Kind != "cooperative")
        {
            return MemberRefusals.NotACooperative(org.Name, org.Kind);
        }

        var member = new MemberResponse(Ids.New("mbr"), org.Id, request.Name.Trim(), request.Village.Trim(), Blank(request.Phone), request.IdLast4, false, tx.Now);
        tx.Execute(InsertMember, new { member.Id, member.OrgId, member.Village, caller.KeyId, member.CreatedAt });
        tx.Append(EntryTypes.MemberRegistered, member.Id, caller, new { member.Id, member.OrgId, member.Village, member.Name, member.Phone, member.IdLast4, member.CreatedAt });
        return member;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public IReadOnlyList<MemberResponse> List(string orgId)
    {
        using var connection = connections.Open();
        return MemberReads.OfOrg(connection, orgId);
    }

    public MemberResponse? Find(string id)
    {
        using var connection = connections.Open();
        return MemberReads.Member(connection, id);
    }
}
