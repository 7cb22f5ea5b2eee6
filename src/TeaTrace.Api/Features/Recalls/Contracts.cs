using System.ComponentModel.DataAnnotations;

namespace TeaTrace.Api.Features.Recalls;

public sealed record CreateRecallRequest(
    [property: StringLength(40)] string? HarvestId,
    [property: StringLength(40)] string? BatchId,
    [property: StringLength(40)] string? LotId,
    [property: Required, StringLength(500, MinimumLength = 1)] string Reason);

internal sealed record RecalledLot(string LotId, string Code, string Gtin, string ProductName, int Units);

internal sealed record RecallResponse(string Id, string Scope, string SubjectId, string Reason, DateTimeOffset RecalledAt, IReadOnlyList<RecalledLot> Lots, int UnitCount);

internal sealed record TraceLot(string LotId, string Code, string Gtin, string ProductName, int Units, int NetWeightG, IReadOnlyDictionary<string, int> UnitsByStatus);

internal sealed record TraceBatch(string BatchId, string Code, string FactoryOrgId, string FactoryName, decimal LeafKg, string Status, IReadOnlyList<TraceLot> Lots);

internal sealed record ForwardTrace(string HarvestId, string HarvestCode, string PlotId, DateOnly PickedOn, decimal FreshLeafKg, decimal RemainingKg, IReadOnlyList<TraceBatch> Batches, IReadOnlyList<string> RecallIds);

internal sealed record TraceInput(string Id, string Kind, string Product, string? ActiveIngredient, DateOnly AppliedOn, int? PreHarvestIntervalDays);

internal sealed record TraceHarvest(string HarvestId, string Code, DateOnly PickedOn, string PluckingStandard, decimal Kg, string PlotId, string PlotName, string Town, string Cultivar, bool GiEligible, string OrgId, string OrgName, IReadOnlyList<TraceInput> Inputs);

internal sealed record BackwardTrace(string Serial, string UnitStatus, string LotId, string LotCode, string Gtin, string BatchId, string BatchCode, string FactoryOrgId, string FactoryName, IReadOnlyList<TraceHarvest> Harvests, IReadOnlyList<string> RecallIds);
