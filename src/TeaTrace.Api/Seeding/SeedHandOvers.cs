using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Features.Custody;

namespace TeaTrace.Api.Seeding;

/// <summary>Demo leaf changes hands as real leaf does: sold with its certificate by the grower, received at the factory's gate.</summary>
internal sealed class SeedHandOvers(LeafSaleStore sales, LeafReceiptStore receipts)
{
    /// <summary>One load (a mixed load when several harvests), sold two hours before the batch starts and received, weighed in full, an hour later.</summary>
    public async Task<string> HandOverAsync(Caller seller, Caller buyer, string buyerOrgId, DateTimeOffset batchStartsAt,
        IReadOnlyList<LeafSaleLineRequest> lines, string basis, IReadOnlyList<string>? residueTestIds, decimal? pricePerKgCny, CancellationToken cancellationToken)
    {
        var sale = Check(await sales.CreateAsync(seller, new CreateLeafSaleRequest(buyerOrgId, batchStartsAt.AddHours(-2), lines, pricePerKgCny, basis, residueTestIds, null),
            "", reply: null, cancellationToken));
        Check(await receipts.ReceiveAsync(buyer, new LeafReceiptRequest(sale.CertificateNo, batchStartsAt.AddHours(-1), sale.Certificate.Kg, null), reply: null, cancellationToken));
        return sale.CertificateNo;
    }

    private static T Check<T>(WriteResult<T> result) =>
        result.IsRefused ? throw new InvalidOperationException($"The demo hand-over was refused: {result.Refusal!.Detail.En}") : result.Value!;
}
