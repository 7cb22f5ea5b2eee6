using System.ComponentModel.DataAnnotations;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Idempotency;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Processing;

/// <summary>A batch's steps in order, with their sensor readings, and readings uploaded in bulk by a factory gateway.</summary>
internal sealed class StepStore(ILedgerWriter writer)
{
    private const string InsertStep = """
        INSERT INTO batch_steps (batch_id, seq, step, started_at, ended_at, created_at)
        VALUES (@BatchId, @Seq, @Step, @StartedAt, @EndedAt, @CreatedAt)
        """;

    private const string InsertReading = """
        INSERT INTO sensor_readings (batch_id, step, at, temperature_c, humidity_pct)
        VALUES (@BatchId, @Step, @At, @TemperatureC, @HumidityPct)
        """;

    private sealed record ReadingData(DateTimeOffset At, double TemperatureC, double HumidityPct);

    private sealed record StepReadingData(DateTimeOffset At, string Step, double TemperatureC, double HumidityPct);

    public Task<WriteResult<StepResponse>> RecordAsync(Caller caller, string batchId, RecordStepRequest request, Reply<StepResponse>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => Record(tx, caller, batchId, request), reply, cancellationToken);

    private static WriteResult<StepResponse> Record(LedgerTransaction tx, Caller caller, string batchId, RecordStepRequest request)
    {
        var (startedAt, endedAt) = (request.StartedAt!.Value, request.EndedAt!.Value);
        if (endedAt <= startedAt)
        {
            return ProcessingRefusals.EndedBeforeStarted();
        }

        if (endedAt > tx.Now + BatchLimits.ClockSkew)
        {
            return ProcessingRefusals.StepNotEnded();
        }

        var readings = request.Readings ?? [];
        for (var i = 0; i < readings.Count; i++)
        {
            if (ValidationError(readings[i]) is { } error)
            {
                return ProcessingRefusals.ReadingInvalid($"readings[{i}]", error);
            }

            if (readings[i].At < startedAt || readings[i].At > endedAt)
            {
                return ProcessingRefusals.ReadingOutsideStep(i);
            }
        }

        var (batch, refusal) = BatchReads.Open(tx, caller, batchId, ProcessingRefusals.AlreadyCompleted);
        if (refusal is not null)
        {
            return refusal;
        }

        var steps = BatchReads.Steps(tx, batchId);
        if (StepOrder.Next(steps.Count) is not { } expected)
        {
            return ProcessingRefusals.AllStepsRecorded();
        }

        if (request.Step != expected)
        {
            return ProcessingRefusals.StepOutOfOrder(expected, request.Step);
        }

        var notBefore = StepOrder.NotBefore(batch.StartedAt, steps.Count == 0 ? null : steps[^1].EndedAt);
        if (startedAt < notBefore)
        {
            return ProcessingRefusals.StepStartsTooEarly(request.Step, steps.Count == 0 ? null : steps[^1].Step, notBefore);
        }

        var seq = steps.Count + 1;
        tx.Execute(InsertStep, new { BatchId = batchId, Seq = seq, request.Step, StartedAt = startedAt, EndedAt = endedAt, CreatedAt = tx.Now });
        var data = readings.Select(r => new ReadingData(r.At!.Value, r.TemperatureC!.Value, r.HumidityPct!.Value)).ToList();
        InsertReadings(tx, batchId, data.Select(r => new StepReadingData(r.At, request.Step, r.TemperatureC, r.HumidityPct)));
        // The step's entry carries its first readings; the rest follow in readings entries, so no entry outgrows the limit.
        tx.Append(EntryTypes.BatchStepRecorded, batchId, caller, new
        {
            BatchId = batchId,
            Seq = seq,
            request.Step,
            StartedAt = startedAt,
            EndedAt = endedAt,
            ReadingCount = data.Count,
            Readings = data.Take(BatchLimits.ReadingsPerEntry),
        });
        AppendReadings(tx, caller, batchId, data.Skip(BatchLimits.ReadingsPerEntry).Select(r => new StepReadingData(r.At, request.Step, r.TemperatureC, r.HumidityPct)));
        return new StepResponse(batchId, seq, request.Step, startedAt, endedAt, Summarise(data), tx.Now);
    }

    public Task<WriteResult<ReadingsAccepted>> AddReadingsAsync(Caller caller, string batchId, IReadOnlyList<BulkReadingRequest>? readings, Reply<ReadingsAccepted>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => AddReadings(tx, caller, batchId, readings), reply, cancellationToken);

    private static WriteResult<ReadingsAccepted> AddReadings(LedgerTransaction tx, Caller caller, string batchId, IReadOnlyList<BulkReadingRequest>? readings)
    {
        if (readings is null || readings.Count is 0 or > BatchLimits.MaxReadings)
        {
            return ProcessingRefusals.ReadingsCount(BatchLimits.MaxReadings);
        }

        for (var i = 0; i < readings.Count; i++)
        {
            if (ValidationError(readings[i]) is { } error)
            {
                return ProcessingRefusals.ReadingInvalid($"[{i}]", error);
            }

            if (readings[i].At > tx.Now + BatchLimits.ClockSkew)
            {
                return ProcessingRefusals.ReadingInTheFuture(i);
            }
        }

        var (batch, refusal) = BatchReads.Open(tx, caller, batchId, ProcessingRefusals.ReadingsClosed);
        if (refusal is not null)
        {
            return refusal;
        }

        var early = readings.Select((r, i) => (r, i)).FirstOrDefault(x => x.r.At < batch.StartedAt);
        if (early.r is not null)
        {
            return ProcessingRefusals.ReadingBeforeStart(early.i, early.r.At!.Value, batch.StartedAt);
        }

        var data = readings.Select(r => new StepReadingData(r.At!.Value, r.Step, r.TemperatureC!.Value, r.HumidityPct!.Value)).ToList();
        InsertReadings(tx, batchId, data);
        AppendReadings(tx, caller, batchId, data);
        return new ReadingsAccepted(batchId, data.Count);
    }

    private static void InsertReadings(LedgerTransaction tx, string batchId, IEnumerable<StepReadingData> readings)
    {
        var command = tx.Prepared(InsertReading, "@BatchId", "@Step", "@At", "@TemperatureC", "@HumidityPct");
        command.Parameters["@BatchId"].Value = batchId;
        foreach (var reading in readings)
        {
            command.Parameters["@Step"].Value = reading.Step;
            command.Parameters["@At"].Value = TypeHandlers.Format(reading.At);
            command.Parameters["@TemperatureC"].Value = reading.TemperatureC;
            command.Parameters["@HumidityPct"].Value = reading.HumidityPct;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Readings into the ledger, at most <see cref="BatchLimits.ReadingsPerEntry"/> to an entry.</summary>
    private static void AppendReadings(LedgerTransaction tx, Caller caller, string batchId, IEnumerable<StepReadingData> readings)
    {
        foreach (var chunk in readings.Chunk(BatchLimits.ReadingsPerEntry))
        {
            tx.Append(EntryTypes.BatchReadingsRecorded, batchId, caller, new { BatchId = batchId, Readings = chunk });
        }
    }

    private static ReadingSummary Summarise(IReadOnlyCollection<ReadingData> readings) => readings.Count == 0
        ? new ReadingSummary(0, null, null, null, null, null, null, null, null)
        : new ReadingSummary(readings.Count, readings.Min(r => r.At), readings.Max(r => r.At),
            readings.Min(r => r.TemperatureC), Math.Round(readings.Average(r => r.TemperatureC), 2), readings.Max(r => r.TemperatureC),
            readings.Min(r => r.HumidityPct), Math.Round(readings.Average(r => r.HumidityPct), 2), readings.Max(r => r.HumidityPct));

    private static string? ValidationError(object? item)
    {
        if (item is null)
        {
            return "A reading cannot be null.";
        }

        var results = new List<ValidationResult>();
        return Validator.TryValidateObject(item, new ValidationContext(item), results, validateAllProperties: true)
            ? null
            : string.Join(" ", results.Select(r => r.ErrorMessage));
    }
}
