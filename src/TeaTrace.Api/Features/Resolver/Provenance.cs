using TeaTrace.Api.Common;
using TeaTrace.Api.Features.Processing;

namespace TeaTrace.Api.Features.Resolver;

internal sealed record ProductInfo(string Gtin, string Name, int? NetWeightG, NamedCode? Style, NamedCode? Grade, bool GiClaim, int Lots);

internal sealed record PackerInfo(string Name, string Town);

internal sealed record LotInfo(string Code, DateOnly PackedOn, DateOnly? BestBefore, int UnitCount, PackerInfo Packer, string Link);

internal sealed record UnitInfo(string Serial, bool Issued, string? Status, int ScanCount, DateTimeOffset? FirstScanAt, bool FirstScan, string? ScanToken);

internal sealed record FactoryInfo(string Name, string Town, string? LicenceNo);

internal sealed record StepInfo(string Step, DateTimeOffset StartedAt, DateTimeOffset EndedAt, ReadingSummary Readings);

internal sealed record BatchInfo(string Code, FactoryInfo Factory, DateTimeOffset StartedAt, DateTimeOffset? CompletedAt, bool ClaimsGi, decimal FreshLeafKg,
    decimal? MadeTeaKg, double? MoisturePct, IReadOnlyList<StepInfo> Steps);

internal sealed record OriginInfo(string Farm, string PlotName, string Town, string Cultivar, double? AltitudeM, bool GiEligible, DateOnly PickedOn,
    string PluckingStandard, decimal Kg);

internal sealed record RecallInfo(string Id, string Reason, DateTimeOffset RecalledAt);

internal sealed record SerialProof(long Index, long Count, string SerialsRoot, IReadOnlyList<string> AuditPath);

/// <summary>What a phone needs to check the record itself: the lot's ledger entry, its inclusion proof and the signed checkpoint.</summary>
internal sealed record LedgerProof(long EntryIndex, string EntryType, string EntryBody, string LeafHash, long TreeSize, IReadOnlyList<string> AuditPath,
    string RootHash, string Checkpoint, string VerifierKey, SerialProof? Serial);

/// <summary>The provenance document: what the resolver answers for application/json, and what the page shows.</summary>
internal sealed record ProvenanceDocument(
    string Link,
    ProductInfo Product,
    LotInfo? Lot,
    UnitInfo? Unit,
    BatchInfo? Batch,
    IReadOnlyList<OriginInfo> Origins,
    IReadOnlyList<string> Certifications,
    IReadOnlyList<RecallInfo> Recalls,
    Risk Risk,
    LedgerProof? Proof,
    string? ProofPending,
    IReadOnlyList<Custody.HandOverInfo> Custody);
