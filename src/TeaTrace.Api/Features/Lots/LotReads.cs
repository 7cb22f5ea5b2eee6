using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Lots;

/// <summary>Named reads of lots for other features' writes.</summary>
internal static class LotReads
{
    private const string LotExists = "SELECT EXISTS (SELECT 1 FROM lots WHERE id = @Id)";

    public static bool Exists(LedgerTransaction tx, string id) => tx.ExecuteScalar<long>(LotExists, new { Id = id }) == 1;
}
