using System.Data;
using Dapper;
using TeaTrace.Api.Common;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Processing;

/// <summary>
/// A batch as packing and shipping need it: its factory, whether it is completed, what it made and what all its lots
/// packed. Who holds how much of the made tea is Custody's MadeTeaHoldings.
/// </summary>
internal sealed record BatchForPacking(string Id, string Code, string FactoryOrgId, bool ClaimsGi, bool IsCompleted, DateTimeOffset? CompletedAt, long MadeTeaG, long PackedG, string? Style, string? Grade);

/// <summary>Named reads of batches: the whole batch for the API, and what other features need of one.</summary>
internal static class BatchReads
{
    private const string SelectBatch = """
        SELECT id, code, factory_org_id, started_at, claims_gi, fresh_leaf_g, status, completed_at, made_tea_g, style, grade,
               moisture_pct, override_reason, created_at,
               (SELECT COALESCE(SUM(l.net_weight_g * l.unit_count), 0) FROM lots l WHERE l.batch_id = batches.id) AS packed_g
        FROM batches WHERE id = @Id
        """;

    private const string SelectBatchByCode = "SELECT id FROM batches WHERE code = @Code";

    private const string SelectBatchInputs = """
        SELECT bi.harvest_id, h.code AS harvest_code, h.plot_id, h.picked_on, p.gi_eligible, bi.leaf_g
        FROM batch_inputs bi JOIN harvests h ON h.id = bi.harvest_id JOIN plots p ON p.id = h.plot_id
        WHERE bi.batch_id = @Id ORDER BY h.picked_on, h.code
        """;

    private const string SelectSteps = "SELECT batch_id, seq, step, started_at, ended_at, created_at FROM batch_steps WHERE batch_id = @Id ORDER BY seq";

    private const string SelectReadingSummaries = """
        SELECT step, count(*) AS count, min(at) AS first_at, max(at) AS last_at,
               min(temperature_c) AS min_t, avg(temperature_c) AS avg_t, max(temperature_c) AS max_t,
               min(humidity_pct) AS min_h, avg(humidity_pct) AS avg_h, max(humidity_pct) AS max_h
        FROM sensor_readings WHERE batch_id = @Id GROUP BY step
        """;

    internal sealed class BatchRow
    {
        public string Id { get; init; } = "";
        public string Code { get; init; } = "";
        public string FactoryOrgId { get; init; } = "";
        public DateTimeOffset StartedAt { get; init; }
        public bool ClaimsGi { get; init; }
        public long FreshLeafG { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset? CompletedAt { get; init; }
        public long? MadeTeaG { get; init; }
        public string? Style { get; init; }
        public string? Grade { get; init; }
        public double? MoisturePct { get; init; }
        public string? OverrideReason { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public long PackedG { get; init; }

        public bool IsCompleted => Status == "completed";
    }

    private sealed class InputRow
    {
        public string HarvestId { get; init; } = "";
        public string HarvestCode { get; init; } = "";
        public string PlotId { get; init; } = "";
        public DateOnly PickedOn { get; init; }
        public bool GiEligible { get; init; }
        public long LeafG { get; init; }
    }

    internal sealed class StepRow
    {
        public string BatchId { get; init; } = "";
        public long Seq { get; init; }
        public string Step { get; init; } = "";
        public DateTimeOffset StartedAt { get; init; }
        public DateTimeOffset EndedAt { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
    }

    private sealed class SummaryRow
    {
        public string Step { get; init; } = "";
        public long Count { get; init; }
        public string? FirstAt { get; init; }
        public string? LastAt { get; init; }
        public double? MinT { get; init; }
        public double? AvgT { get; init; }
        public double? MaxT { get; init; }
        public double? MinH { get; init; }
        public double? AvgH { get; init; }
        public double? MaxH { get; init; }
    }

    /// <summary>The batch a lot would be packed from, read inside the lot's write; null when there is none.</summary>
    public static BatchForPacking? ForPacking(LedgerTransaction tx, string id) =>
        Row(tx.Connection, tx.Transaction, id) is { } b
            ? new BatchForPacking(b.Id, b.Code, b.FactoryOrgId, b.ClaimsGi, b.IsCompleted, b.CompletedAt, b.MadeTeaG ?? 0, b.PackedG, b.Style, b.Grade)
            : null;

    internal static BatchRow? Row(IDbConnection connection, IDbTransaction? transaction, string id) =>
        connection.QuerySingleOrDefault<BatchRow>(SelectBatch, new { Id = id }, transaction);

    /// <summary>The batch, if it exists, belongs to the caller's factory and is still being processed; else why not.</summary>
    internal static (BatchRow Batch, Refusal? Refusal) Open(LedgerTransaction tx, Auth.Caller caller, string batchId, Func<Refusal> whenCompleted)
    {
        var batch = Row(tx.Connection, tx.Transaction, batchId);
        return batch is null ? (null!, Refusal.NotFound(Noun.Batch, batchId))
            : !caller.ActsFor(batch.FactoryOrgId) ? (batch, ProcessingRefusals.OtherFactory())
            : batch.IsCompleted ? (batch, whenCompleted())
            : (batch, null);
    }

    internal static List<StepRow> Steps(LedgerTransaction tx, string batchId) => tx.Query<StepRow>(SelectSteps, new { Id = batchId }).ToList();

    /// <summary>By id, or by the code on its tag.</summary>
    internal static BatchResponse? Find(IDbConnection connection, string idOrCode)
    {
        var id = idOrCode.StartsWith("B-", StringComparison.OrdinalIgnoreCase)
            ? connection.ExecuteScalar<string>(SelectBatchByCode, new { Code = idOrCode.ToUpperInvariant() }) ?? idOrCode
            : idOrCode;
        return Load(connection, null, id);
    }

    internal static BatchResponse? Load(IDbConnection connection, IDbTransaction? transaction, string id)
    {
        var batch = Row(connection, transaction, id);
        if (batch is null)
        {
            return null;
        }

        var inputs = connection.Query<InputRow>(SelectBatchInputs, new { Id = id }, transaction)
            .Select(i => new BatchInputResponse(i.HarvestId, i.HarvestCode, i.PlotId, i.PickedOn, i.GiEligible, Weight.ToKg(i.LeafG)))
            .ToList();
        var summaries = connection.Query<SummaryRow>(SelectReadingSummaries, new { Id = id }, transaction)
            .ToDictionary(s => s.Step, s => new ReadingSummary((int)s.Count, ParseTime(s.FirstAt), ParseTime(s.LastAt),
                s.MinT, Round(s.AvgT), s.MaxT, s.MinH, Round(s.AvgH), s.MaxH));
        var empty = new ReadingSummary(0, null, null, null, null, null, null, null, null);
        var steps = connection.Query<StepRow>(SelectSteps, new { Id = id }, transaction)
            .Select(s => new StepResponse(s.BatchId, (int)s.Seq, s.Step, s.StartedAt, s.EndedAt, summaries.GetValueOrDefault(s.Step, empty), s.CreatedAt))
            .ToList();
        var readings = StepOrder.Steps.Where(summaries.ContainsKey).Select(s => new StepReadings(s, summaries[s])).ToList();
        var completion = batch.IsCompleted
            ? new CompletionResponse(batch.CompletedAt!.Value, Weight.ToKg(batch.MadeTeaG!.Value), batch.Style!, batch.Grade!,
                batch.MoisturePct, Math.Round((double)batch.MadeTeaG.Value / batch.FreshLeafG, 4), batch.OverrideReason)
            : null;
        return new BatchResponse(batch.Id, batch.Code, batch.FactoryOrgId, batch.StartedAt, batch.ClaimsGi, Weight.ToKg(batch.FreshLeafG),
            batch.Status, batch.IsCompleted ? null : StepOrder.Next(steps.Count),
            inputs, steps, readings, completion,
            batch.IsCompleted ? Weight.ToKg(batch.PackedG) : null,
            // What the factory still holds: made, less what it packed and what it shipped (or handed over before shipments).
            batch.IsCompleted ? Weight.ToKg(Custody.MadeTeaHoldings.Of(connection, transaction, batch.FactoryOrgId, batch.Id).LeftG) : null,
            batch.CreatedAt);
    }

    private static DateTimeOffset? ParseTime(string? text) =>
        text is null ? null : DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 2) : null;
}
