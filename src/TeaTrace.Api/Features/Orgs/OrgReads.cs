using Dapper;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Orgs;

/// <summary>An organisation as other features check it inside their writes: who it is and what kind.</summary>
internal sealed record OrgRef(string Id, string Name, string Kind, string Town);

/// <summary>Named reads of organisations for other features' writes.</summary>
internal static class OrgReads
{
    private const string SelectOrg = "SELECT id, name, kind, town FROM orgs WHERE id = @Id";

    private const string SelectGs1Prefix = "SELECT gs1_company_prefix FROM orgs WHERE id = @Id";

    private const string CountActiveAdmins = "SELECT count(*) FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL";

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string Name { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Town { get; init; } = "";
    }

    public static OrgRef? Find(LedgerTransaction tx, string id) =>
        tx.QuerySingleOrDefault<Row>(SelectOrg, new { Id = id }) is { } row ? new OrgRef(row.Id, row.Name, row.Kind, row.Town) : null;

    /// <summary>The organisation's registered GS1 company prefix; null when it has none.</summary>
    public static string? Gs1CompanyPrefix(LedgerTransaction tx, string id) => tx.ExecuteScalar<string>(SelectGs1Prefix, new { Id = id });

    public static bool AnyActiveAdmin(LedgerTransaction tx) => tx.ExecuteScalar<long>(CountActiveAdmins) > 0;

    internal static long ActiveAdmins(LedgerTransaction tx) => tx.ExecuteScalar<long>(CountActiveAdmins);
}
