using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Common;

/// <summary>Short printed codes (harvest and batch tags, lot numbers) are random; a code already taken is drawn again.</summary>
internal static class UniqueCodes
{
    /// <param name="exists">SQL that selects whether @Code is taken.</param>
    public static string Draw(LedgerTransaction tx, string exists, Func<string> draw)
    {
        while (true)
        {
            var code = draw();
            if (!tx.ExecuteScalar<bool>(exists, new { Code = code }))
            {
                return code;
            }
        }
    }
}
