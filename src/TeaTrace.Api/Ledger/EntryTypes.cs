namespace TeaTrace.Api.Ledger;

/// <summary>Every kind of ledger entry the service writes, in one place; an entry's `type` is one of these.</summary>
internal static class EntryTypes
{
    public const string OrgCreated = "org.created";
    public const string KeyIssued = "key.issued";
    public const string KeyRevoked = "key.revoked";
    public const string PlotRegistered = "plot.registered";
    public const string InputRecorded = "input.recorded";
    public const string HarvestRecorded = "harvest.recorded";
    public const string BatchStarted = "batch.started";
    public const string BatchStepRecorded = "batch.step.recorded";
    public const string BatchReadingsRecorded = "batch.readings.recorded";
    public const string BatchCompleted = "batch.completed";
    public const string LotPacked = "lot.packed";
    public const string TradeRecorded = "trade.recorded";
    public const string MarketDayClosed = "market.day-closed";
    public const string MarketDayReopened = "market.day-reopened";
    public const string RecallIssued = "recall.issued";
    public const string ErasureRecorded = "erasure.recorded";
    public const string LeafSold = "leaf.sold";
    public const string CertificateVoided = "certificate.voided";
    public const string LeafReceived = "leaf.received";
    public const string LeafRejected = "leaf.rejected";
    public const string ResidueTestRecorded = "residue-test.recorded";
    public const string ShipmentSent = "shipment.sent";
    public const string ShipmentReceived = "shipment.received";
    public const string MemberRegistered = "member.registered";
    public const string CollectionRecorded = "collection.recorded";

    /// <summary>All of them, for readers (and tests) that check a type is known.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        OrgCreated, KeyIssued, KeyRevoked, PlotRegistered, InputRecorded, HarvestRecorded, BatchStarted, BatchStepRecorded,
        BatchReadingsRecorded, BatchCompleted, LotPacked, TradeRecorded, MarketDayClosed, MarketDayReopened, RecallIssued, ErasureRecorded,
        LeafSold, CertificateVoided, LeafReceived, LeafRejected,
        ResidueTestRecorded,
        ShipmentSent, ShipmentReceived,
        MemberRegistered, CollectionRecorded,
    ];
}
