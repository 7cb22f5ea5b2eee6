using System.ComponentModel.DataAnnotations;
using TeaTrace.Api.Common;

namespace TeaTrace.Api.Features.Custody;

public sealed record LeafSaleLineRequest(
    [property: Required, StringLength(40)] string HarvestId,
    [property: Required, Kilograms(100000)] decimal? Kg);

public sealed record CreateLeafSaleRequest(
    [property: Required, StringLength(40)] string BuyerOrgId,
    [property: Required] DateTimeOffset? SoldAt,
    [property: Required, MinLength(1), MaxLength(50)] IReadOnlyList<LeafSaleLineRequest> Harvests,
    [property: Range(0.0, 100000.0)] decimal? PricePerKgCny,
    [property: Required, AllowedValues("control", "self-test", "entrusted-test", ErrorMessage = "{0} must be one of: control, self-test, entrusted-test.")] string Basis,
    [property: MaxLength(20)] IReadOnlyList<string>? ResidueTestIds,
    [property: StringLength(20)] string? CertificateNo);

public sealed record ReasonRequest(
    [property: Required, StringLength(500, MinimumLength = 1)] string Reason);

public sealed record LeafRejectionRequest(
    [property: Required, StringLength(20)] string CertificateNo,
    [property: Required, StringLength(500, MinimumLength = 1)] string Reason,
    DateTimeOffset? RejectedAt);

public sealed record LeafReceiptRequest(
    [property: Required, StringLength(20)] string CertificateNo,
    [property: Required] DateTimeOffset? ReceivedAt,
    [property: Required, Kilograms(100000)] decimal? ReceivedKg,
    [property: StringLength(40)] string? CorrectsReceiptId);

internal sealed record CertificateLine(string HarvestId, string HarvestCode, string PlotId, string Town, string Cultivar, DateOnly PickedOn, string PluckingStandard, decimal Kg);

internal sealed record CertificateParty(string OrgId, string Name, string Kind, string Town);

internal sealed record CertificateReceipt(string Id, string ReceivedBy, DateTimeOffset ReceivedAt, decimal ReceivedKg, string? CorrectsReceiptId);

internal sealed record CertificateEnd(string Kind, string Reason, DateTimeOffset At);

/// <summary>The electronic 承诺达标合格证: what the law asks it to say, and what became of the load.</summary>
internal sealed record CertificateResponse(
    string SaleId,
    string CertificateNo,
    string DisplayNo,
    string Status,
    string ProductName,
    decimal Kg,
    string Basis,
    IReadOnlyList<string> ResidueTestIds,
    string CommitmentVersion,
    IReadOnlyList<CommitmentItem> Commitment,
    string Origin,
    CertificateParty Issuer,
    string? Contact,
    CertificateParty Buyer,
    DateTimeOffset IssuedAt,
    IReadOnlyList<CertificateLine> Harvests,
    CertificateReceipt? Receipt,
    CertificateEnd? Ended,
    string Url);

internal sealed record LeafSaleResponse(string Id, string CertificateNo, decimal? PricePerKgCny, CertificateResponse Certificate);

internal sealed record LeafReceiptResponse(
    string Id,
    string CertificateNo,
    string BuyerOrgId,
    DateTimeOffset ReceivedAt,
    decimal ReceivedKg,
    decimal SoldKg,
    string? CorrectsReceiptId,
    IReadOnlyList<ReceiptLine> Harvests);

internal sealed record ReceiptLine(string HarvestId, string HarvestCode, decimal Kg);

/// <summary>The factory's purchase ledger (收购台账) for one day.</summary>
internal sealed record PurchaseLedgerResponse(string OrgId, string OrgName, DateOnly Day, IReadOnlyList<PurchaseLedgerRow> Receipts, decimal SoldKg, decimal ReceivedKg, int Loads);

internal sealed record PurchaseLedgerRow(
    string ReceiptId,
    string CertificateNo,
    string SellerName,
    string Basis,
    DateTimeOffset ReceivedAt,
    decimal SoldKg,
    decimal ReceivedKg,
    decimal? PricePerKgCny,
    IReadOnlyList<string> HarvestCodes,
    string? CorrectsReceiptId);

/// <summary>Made tea by weight (batchId, kg) or packed tins by count (lotId, units); never both.</summary>
public sealed record CreateShipmentRequest(
    [property: StringLength(40)] string? BatchId,
    [property: StringLength(40)] string? LotId,
    [property: Required, StringLength(40)] string ToOrgId,
    [property: Kilograms(100000)] decimal? Kg,
    [property: Range(1, Lots.LotLimits.MaxUnits)] int? Units,
    [property: Required] DateTimeOffset? ShippedAt);

/// <summary>Made tea is weighed in (receivedKg); tins are counted in (receivedUnits, by default all that were shipped).</summary>
public sealed record ShipmentReceiptRequest(
    [property: Required] DateTimeOffset? ReceivedAt,
    [property: Kilograms(100000)] decimal? ReceivedKg,
    [property: Range(1, Lots.LotLimits.MaxUnits)] int? ReceivedUnits,
    [property: StringLength(500)] string? Note);

internal sealed record ShipmentReceipt(string Id, string ReceivedBy, DateTimeOffset ReceivedAt, decimal ReceivedKg, int? ReceivedUnits, string? Note);

/// <summary>A delivery note: what left whom for whom, and its receipt once the receiver counted or weighed it in.</summary>
internal sealed record ShipmentResponse(
    string Id,
    string NoteNo,
    string DisplayNo,
    string Kind,
    string Status,
    CertificateParty Shipper,
    CertificateParty Receiver,
    string BatchId,
    string BatchCode,
    string? LotId,
    string? LotCode,
    string? Gtin,
    int? NetWeightG,
    decimal Kg,
    int? Units,
    DateTimeOffset ShippedAt,
    ShipmentReceipt? Receipt,
    string Url);

internal sealed record ShipmentReceiptResponse(
    string Id,
    string ShipmentId,
    string NoteNo,
    string ReceiverOrgId,
    DateTimeOffset ReceivedAt,
    decimal ReceivedKg,
    int? ReceivedUnits,
    decimal ShippedKg,
    int? ShippedUnits,
    string? Note);
