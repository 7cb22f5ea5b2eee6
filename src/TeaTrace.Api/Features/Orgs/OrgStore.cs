using Dapper;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Idempotency;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Orgs;

internal sealed class OrgStore(SqliteConnectionFactory connections, ILedgerWriter writer)
{
    private const string InsertOrg = """
        INSERT INTO orgs (id, name, kind, town, licence_no, gs1_company_prefix, created_at)
        VALUES (@Id, @Name, @Kind, @Town, @LicenceNo, @Gs1CompanyPrefix, @CreatedAt)
        """;

    private const string SelectOrg = "SELECT id, name, kind, town, licence_no, gs1_company_prefix, created_at FROM orgs WHERE id = @Id";

    private const string InsertKey = """
        INSERT INTO api_keys (id, org_id, role, key_hash, created_at)
        VALUES (@Id, @OrgId, @Role, @KeyHash, @CreatedAt)
        """;

    private const string SelectKey = "SELECT id, org_id, role, revoked_at FROM api_keys WHERE id = @Id";

    private const string RevokeKey = "UPDATE api_keys SET revoked_at = @RevokedAt WHERE id = @Id AND revoked_at IS NULL";

    internal sealed class OrgRow
    {
        public string Id { get; init; } = "";
        public string Name { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Town { get; init; } = "";
        public string? LicenceNo { get; init; }
        public string? Gs1CompanyPrefix { get; init; }
        public DateTimeOffset CreatedAt { get; init; }

        public OrgResponse ToResponse() => new(Id, Name, Kind, Town, LicenceNo, Gs1CompanyPrefix, CreatedAt);
    }

    private sealed class KeyRow
    {
        public string Id { get; init; } = "";
        public string OrgId { get; init; } = "";
        public string Role { get; init; } = "";
        public string? RevokedAt { get; init; }
    }

    /// <summary>The organisation, with its phone from its sealed part (the API lets only its own keys, regulators and admins read it).</summary>
    public OrgResponse? Find(string id)
    {
        using var connection = connections.Open();
        var org = connection.QuerySingleOrDefault<OrgRow>(SelectOrg, new { Id = id })?.ToResponse();
        return org is null ? null : org with { Phone = SealedReads.Fields(connection, id, EntryTypes.OrgCreated).Text("phone") };
    }

    public Task<WriteResult<OrgResponse>> CreateAsync(Caller caller, CreateOrgRequest request, Reply<OrgResponse>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => Create(tx, caller, request), reply, cancellationToken);

    /// <summary>Also used for the platform's own organisation, whose kind the public API does not offer.</summary>
    internal static WriteResult<OrgResponse> Create(LedgerTransaction tx, Caller caller, CreateOrgRequest request)
    {
        var org = new OrgResponse(Ids.New("org"), request.Name.Trim(), request.Kind, request.Town.Trim(),
            Blank(request.LicenceNo), Blank(request.Gs1CompanyPrefix), tx.Now, Blank(request.Phone));
        tx.Execute(InsertOrg, org);
        tx.Append(EntryTypes.OrgCreated, org.Id, caller, org);
        return org;
    }

    public Task<WriteResult<CreatedKeyResponse>> CreateKeyAsync(Caller caller, string orgId, CreateKeyRequest request, Reply<CreatedKeyResponse>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => CreateKey(tx, caller, orgId, request, ApiKeys.Generate()), reply, cancellationToken);

    /// <summary>Registers a key; the caller chooses the key string only for demo data and the bootstrap key.</summary>
    internal static WriteResult<CreatedKeyResponse> CreateKey(LedgerTransaction tx, Caller caller, string orgId, CreateKeyRequest request, string apiKey)
    {
        var org = tx.QuerySingleOrDefault<OrgRow>(SelectOrg, new { Id = orgId });
        if (org is null)
        {
            return Refusal.NotFound(Noun.Organisation, orgId);
        }

        if (!Roles.FitsOrgKind(request.Role, org.Kind))
        {
            return OrgRefusals.RoleDoesNotFit(request.Role, org.Kind);
        }

        var key = new CreatedKeyResponse(Ids.New("key"), org.Id, request.Role, request.HolderName.Trim(), apiKey, tx.Now);
        tx.Execute(InsertKey, new { key.Id, key.OrgId, key.Role, KeyHash = ApiKeys.Hash(apiKey), key.CreatedAt });
        // The ledger learns who holds which role (the holder's name sealed); it never sees the key or its hash.
        tx.Append(EntryTypes.KeyIssued, key.Id, caller, new { key.Id, key.OrgId, key.Role, key.HolderName, key.CreatedAt });
        return key;
    }

    public enum RevokeOutcome
    {
        Revoked,
        AlreadyRevoked,
    }

    public Task<WriteResult<RevokeOutcome>> RevokeKeyAsync(Caller caller, string keyId, CancellationToken cancellationToken) =>
        writer.WriteAsync<RevokeOutcome>(tx =>
        {
            var key = tx.QuerySingleOrDefault<KeyRow>(SelectKey, new { Id = keyId });
            if (key is null)
            {
                return Refusal.NotFound(Noun.Key, keyId);
            }

            if (key.RevokedAt is not null)
            {
                return RevokeOutcome.AlreadyRevoked;
            }

            if (key.Role == Roles.Admin && OrgReads.ActiveAdmins(tx) <= 1)
            {
                return OrgRefusals.LastAdminKey();
            }

            tx.Execute(RevokeKey, new { Id = keyId, RevokedAt = TypeHandlers.Format(tx.Now) });
            tx.Append(EntryTypes.KeyRevoked, keyId, caller, new { id = keyId, key.OrgId, key.Role, revokedAt = tx.Now });
            return RevokeOutcome.Revoked;
        }, cancellationToken);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
