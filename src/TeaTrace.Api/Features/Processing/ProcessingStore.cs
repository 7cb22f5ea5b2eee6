using System.ComponentModel.DataAnnotations;
using System.Data;
using Dapper;
using Microsoft.Extensions.Options;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Features.Gardens;
using TeaTrace.Api.Features.Orgs;
using TeaTrace.Api.Idempotency;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Processing;

/// <summary>Processing batches: leaf in by weight, the four steps in order, readings, and completion with made tea.</summary>
internal sealed class ProcessingStore(
    SqliteConnectionFactory connections,
    ILedgerWriter writer,
    IOptionsMonitor<ProcessingOptions> options)
{
    /// <summary>How far ahead of the server's clock a device's time may be.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(10);

    private const string InsertBatch = """
        INSERT INTO batches (id, code, factory_org_id, started_at, claims_gi, fresh_leaf_g, created_at)
        VALUES (@Id, @Code, @FactoryOrgId, @StartedAt, @ClaimsGi, @FreshLeafG, @CreatedAt)
        """;

    private const string InsertBatchInput = "INSERT INTO batch_inputs (batch_id, harvest_id, leaf_g) VALUES (@BatchId, @HarvestId, @LeafG)";

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

    private const string InsertStep = """
        INSERT INTO batch_steps (batch_id, seq, step, started_at, ended_at, created_at)
        VALUES (@BatchId, @Seq, @Step, @StartedAt, @EndedAt, @CreatedAt)
        """;

    private const string InsertReading = """
        INSERT INTO sensor_readings (batch_id, step, at, temperature_c, humidity_pct)
        VALUES (@BatchId, @Step, @At, @TemperatureC, @HumidityPct)
        """;

    private const string CompleteBatch = """
        UPDATE batches SET status = 'completed', completed_at = @CompletedAt, made_tea_g = @MadeTeaG, style = @Style, grade = @Grade,
                           moisture_pct = @MoisturePct, override_reason = @OverrideReason
        WHERE id = @Id AND status = 'processing'
        """;

    private const string CodeExists = "SELECT EXISTS (SELECT 1 FROM batches WHERE code = @Code)";

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

    private sealed class StepRow
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

    private sealed record ReadingData(DateTimeOffset At, double TemperatureC, double HumidityPct);

    private sealed record StepReadingData(DateTimeOffset At, string Step, double TemperatureC, double HumidityPct);

    // ---- create

    public Task<WriteResult<BatchResponse>> CreateAsync(Caller caller, CreateBatchRequest request, Reply<BatchResponse>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => Create(tx, caller, request), reply, cancellationToken);

    private WriteResult<BatchResponse> Create(LedgerTransaction tx, Caller caller, CreateBatchRequest request)
    {
        var startedAt = request.StartedAt!.Value;
        if (startedAt > tx.Now + ClockSkew)
        {
            return Refusal.Invalid("startedAt", "startedAt cannot be in the future.");
        }

        var duplicate = request.Inputs.GroupBy(i => i.HarvestId).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            return Refusal.Invalid("inputs", $"Harvest '{duplicate.Key}' is listed more than once; give its leaf as one input.");
        }

        var factory = OrgStore.FindOrg(tx, request.FactoryOrgId);
        if (factory is null)
        {
            return Refusal.NotFound("organisation", request.FactoryOrgId);
        }

        if (!caller.ActsFor(factory.Id))
        {
            return Refusal.Forbidden("A processor records batches only for their own factory.");
        }

        if (factory.Kind != "factory")
        {
            return Refusal.Rule("Not a factory", $"Batches are made in factories; '{factory.Name}' is a {factory.Kind}.");
        }

        var inputs = new List<(GardenStore.HarvestRow Harvest, long Grams)>();
        foreach (var input in request.Inputs)
        {
            var harvest = tx.QuerySingleOrDefault<GardenStore.HarvestRow>(GardenStore.SelectHarvest, new { Id = input.HarvestId });
            if (harvest is null)
            {
                return Refusal.NotFound("harvest", input.HarvestId);
            }

            var grams = Weight.ToGrams(input.Kg!.Value);
            if (grams > harvest.RemainingG)
            {
                return Refusal.Rule("Not enough leaf left",
                    $"Harvest {harvest.Code} has {Weight.ToKg(harvest.RemainingG)} kg of fresh leaf left; this batch asks for {input.Kg} kg.",
                    new Dictionary<string, object?>
                    {
                        ["harvestId"] = harvest.Id,
                        ["remainingKg"] = Weight.ToKg(harvest.RemainingG),
                        ["requestedKg"] = input.Kg,
                    });
            }

            if (tx.ExecuteScalar<string>(Recalls.RecallStore.RecallsOfHarvest, new { HarvestId = harvest.Id }) is { } recallId)
            {
                return Refusal.Rule("Recalled leaf",
                    $"Harvest {harvest.Code} was recalled ({recallId}); its leaf cannot go into a batch.",
                    new Dictionary<string, object?> { ["harvestId"] = harvest.Id, ["recallId"] = recallId });
            }

            if (request.ClaimsGi == true && !harvest.GiEligible)
            {
                return Refusal.Rule("GI segregation",
                    $"Harvest {harvest.Code} is not GI-eligible leaf (plot {harvest.PlotId}, cultivar {harvest.Cultivar}); a batch that claims the Yingde black tea GI takes GI leaf only.",
                    new Dictionary<string, object?> { ["harvestId"] = harvest.Id, ["plotId"] = harvest.PlotId });
            }

            if (ChinaTime.DateOf(startedAt) < harvest.PickedOn)
            {
                return Refusal.Rule("Leaf not yet picked",
                    $"Harvest {harvest.Code} was picked on {TypeHandlers.Format(harvest.PickedOn)}, after this batch started.",
                    new Dictionary<string, object?> { ["harvestId"] = harvest.Id });
            }

            inputs.Add((harvest, grams));
        }

        var batch = new BatchRow
        {
            Id = Ids.New("bat"),
            Code = UniqueCode(tx),
            FactoryOrgId = factory.Id,
            StartedAt = startedAt,
            ClaimsGi = request.ClaimsGi!.Value,
            FreshLeafG = inputs.Sum(i => i.Grams),
            Status = "processing",
            CreatedAt = tx.Now,
        };
        tx.Execute(InsertBatch, batch);
        foreach (var (harvest, grams) in inputs)
        {
            tx.Execute(InsertBatchInput, new { BatchId = batch.Id, HarvestId = harvest.Id, LeafG = grams });
        }

        var response = Load(tx.Connection, tx.Transaction, batch.Id)!;
        tx.Append("batch.started", batch.Id, caller.KeyId, new
        {
            response.Id,
            response.Code,
            response.FactoryOrgId,
            response.StartedAt,
            response.ClaimsGi,
            response.FreshLeafKg,
            Inputs = response.Inputs.Select(i => new { i.HarvestId, i.HarvestCode, i.Kg }),
        });
        return response;
    }

    private static string UniqueCode(LedgerTransaction tx)
    {
        while (true)
        {
            var code = Ids.Code('B');
            if (!tx.ExecuteScalar<bool>(CodeExists, new { Code = code }))
            {
                return code;
            }
        }
    }

    // ---- steps

    public Task<WriteResult<StepResponse>> RecordStepAsync(Caller caller, string batchId, RecordStepRequest request, Reply<StepResponse>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => RecordStep(tx, caller, batchId, request), reply, cancellationToken);

    private static WriteResult<StepResponse> RecordStep(LedgerTransaction tx, Caller caller, string batchId, RecordStepRequest request)
    {
        var (startedAt, endedAt) = (request.StartedAt!.Value, request.EndedAt!.Value);
        if (endedAt <= startedAt)
        {
            return Refusal.Invalid("endedAt", "endedAt must be after startedAt.");
        }

        if (endedAt > tx.Now + ClockSkew)
        {
            return Refusal.Invalid("endedAt", "endedAt cannot be in the future; record a step when it has ended.");
        }

        var readings = request.Readings ?? [];
        for (var i = 0; i < readings.Count; i++)
        {
            if (ValidationError(readings[i]) is { } error)
            {
                return Refusal.Invalid($"readings[{i}]", error);
            }

            if (readings[i].At < startedAt || readings[i].At > endedAt)
            {
                return Refusal.Invalid($"readings[{i}].at", "A step's readings must fall between its startedAt and endedAt.");
            }
        }

        var (batch, refusal) = OpenBatch(tx, caller, batchId, "This batch is already completed.");
        if (refusal is not null)
        {
            return refusal;
        }

        var steps = tx.Query<StepRow>(SelectSteps, new { Id = batchId }).ToList();
        if (steps.Count == BatchLimits.Steps.Length)
        {
            return Refusal.Conflict("All four steps of this batch are recorded; complete it.");
        }

        var expected = BatchLimits.Steps[steps.Count];
        if (request.Step != expected)
        {
            return new Refusal(StatusCodes.Status409Conflict, "Step out of order",
                $"Steps go withering → rolling → fermentation → drying; the next step for this batch is {expected}, not {request.Step}.")
            {
                Extensions = new Dictionary<string, object?> { ["expectedStep"] = expected },
            };
        }

        var notBefore = steps.Count == 0 ? batch.StartedAt : steps[^1].EndedAt;
        if (startedAt < notBefore)
        {
            return Refusal.Rule("Step starts too early",
                $"{request.Step} cannot start before {(steps.Count == 0 ? "the batch started" : steps[^1].Step + " ended")} ({TypeHandlers.Format(notBefore)}).");
        }

        var seq = steps.Count + 1;
        tx.Execute(InsertStep, new { BatchId = batchId, Seq = seq, request.Step, StartedAt = startedAt, EndedAt = endedAt, CreatedAt = tx.Now });
        var data = readings.Select(r => new ReadingData(r.At!.Value, r.TemperatureC!.Value, r.HumidityPct!.Value)).ToList();
        InsertReadings(tx, batchId, data.Select(r => new StepReadingData(r.At, request.Step, r.TemperatureC, r.HumidityPct)));
        // The step's entry carries its first readings; the rest follow in readings entries, so no entry outgrows the limit.
        tx.Append("batch.step.recorded", batchId, caller.KeyId, new
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

    private static ReadingSummary Summarise(IReadOnlyCollection<ReadingData> readings) => readings.Count == 0
        ? new ReadingSummary(0, null, null, null, null, null, null, null, null)
        : new ReadingSummary(readings.Count, readings.Min(r => r.At), readings.Max(r => r.At),
            readings.Min(r => r.TemperatureC), Math.Round(readings.Average(r => r.TemperatureC), 2), readings.Max(r => r.TemperatureC),
            readings.Min(r => r.HumidityPct), Math.Round(readings.Average(r => r.HumidityPct), 2), readings.Max(r => r.HumidityPct));

    // ---- bulk readings

    public Task<WriteResult<ReadingsAccepted>> AddReadingsAsync(Caller caller, string batchId, IReadOnlyList<BulkReadingRequest>? readings, Reply<ReadingsAccepted>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => AddReadings(tx, caller, batchId, readings), reply, cancellationToken);

    private static WriteResult<ReadingsAccepted> AddReadings(LedgerTransaction tx, Caller caller, string batchId, IReadOnlyList<BulkReadingRequest>? readings)
    {
        if (readings is null || readings.Count is 0 or > BatchLimits.MaxReadings)
        {
            return Refusal.Invalid("$", $"Send a JSON array of 1 to {BatchLimits.MaxReadings} readings.");
        }

        for (var i = 0; i < readings.Count; i++)
        {
            if (ValidationError(readings[i]) is { } error)
            {
                return Refusal.Invalid($"[{i}]", error);
            }

            if (readings[i].At > tx.Now + ClockSkew)
            {
                return Refusal.Invalid($"[{i}].at", "A reading cannot be in the future.");
            }
        }

        var (batch, refusal) = OpenBatch(tx, caller, batchId, "This batch is completed; its readings are closed.");
        if (refusal is not null)
        {
            return refusal;
        }

        var early = readings.Select((r, i) => (r, i)).FirstOrDefault(x => x.r.At < batch.StartedAt);
        if (early.r is not null)
        {
            return Refusal.Rule("Reading before the batch started",
                $"Reading [{early.i}] at {TypeHandlers.Format(early.r.At!.Value)} is before the batch started ({TypeHandlers.Format(batch.StartedAt)}).");
        }

        var data = readings.Select(r => new StepReadingData(r.At!.Value, r.Step, r.TemperatureC!.Value, r.HumidityPct!.Value)).ToList();
        InsertReadings(tx, batchId, data);
        AppendReadings(tx, caller, batchId, data);
        return new ReadingsAccepted(batchId, data.Count);
    }

    /// <summary>Readings into the ledger, at most <see cref="BatchLimits.ReadingsPerEntry"/> to an entry.</summary>
    private static void AppendReadings(LedgerTransaction tx, Caller caller, string batchId, IEnumerable<StepReadingData> readings)
    {
        foreach (var chunk in readings.Chunk(BatchLimits.ReadingsPerEntry))
        {
            tx.Append("batch.readings.recorded", batchId, caller.KeyId, new { BatchId = batchId, Readings = chunk });
        }
    }

    // ---- complete

    public Task<WriteResult<BatchResponse>> CompleteAsync(Caller caller, string batchId, CompleteBatchRequest request, Reply<BatchResponse>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => Complete(tx, caller, batchId, request), reply, cancellationToken);

    private WriteResult<BatchResponse> Complete(LedgerTransaction tx, Caller caller, string batchId, CompleteBatchRequest request)
    {
        var rules = options.CurrentValue;
        if (!rules.EffectiveStyles.Any(s => s.Code == request.Style))
        {
            return Refusal.Invalid("style", $"style must be one of: {string.Join(", ", rules.EffectiveStyles.Select(s => $"{s.Code} ({s.Zh})"))}.");
        }

        if (!rules.EffectiveGrades.Any(g => g.Code == request.Grade))
        {
            return Refusal.Invalid("grade", $"grade must be one of: {string.Join(", ", rules.EffectiveGrades.Select(g => $"{g.Code} ({g.Zh})"))}.");
        }

        var completedAt = request.CompletedAt!.Value;
        if (completedAt > tx.Now + ClockSkew)
        {
            return Refusal.Invalid("completedAt", "completedAt cannot be in the future.");
        }

        var (batch, refusal) = OpenBatch(tx, caller, batchId, "This batch is already completed.");
        if (refusal is not null)
        {
            return refusal;
        }

        var steps = tx.Query<StepRow>(SelectSteps, new { Id = batchId }).ToList();
        if (steps.Count < BatchLimits.Steps.Length)
        {
            return Refusal.Conflict($"A batch is completed after drying; the next step for this batch is {BatchLimits.Steps[steps.Count]}.");
        }

        var dried = steps[^1].EndedAt;
        if (completedAt < dried)
        {
            return Refusal.Rule("Completed before drying ended", $"completedAt cannot be before drying ended ({TypeHandlers.Format(dried)}).");
        }

        if (request.MoisturePct is { } moisture && moisture > rules.MaxMoisturePct)
        {
            return Refusal.Rule("Too moist",
                $"Finished black tea is dried to at most {rules.MaxMoisturePct} % moisture; this batch has {moisture} %.",
                new Dictionary<string, object?> { ["maxMoisturePct"] = rules.MaxMoisturePct });
        }

        var madeG = Weight.ToGrams(request.MadeTeaKg!.Value);
        var minMadeG = (long)Math.Ceiling(batch.FreshLeafG / rules.MaxLeafPerTeaKg);
        var maxMadeG = (long)Math.Floor(batch.FreshLeafG / rules.MinLeafPerTeaKg);
        var ratio = Math.Round((double)madeG / batch.FreshLeafG, 4);
        var bandExtensions = new Dictionary<string, object?>
        {
            ["freshLeafKg"] = Weight.ToKg(batch.FreshLeafG),
            ["yieldRatio"] = ratio,
            ["minMadeTeaKg"] = Weight.ToKg(minMadeG),
            ["maxMadeTeaKg"] = Weight.ToKg(maxMadeG),
        };
        if (madeG > batch.FreshLeafG)
        {
            return Refusal.Rule("More tea than leaf", "Made tea cannot weigh more than the fresh leaf put into the batch.", bandExtensions);
        }

        var overrideReason = string.IsNullOrWhiteSpace(request.OverrideReason) ? null : request.OverrideReason.Trim();
        var inBand = madeG >= minMadeG && madeG <= maxMadeG;
        if (!inBand && overrideReason is null)
        {
            return Refusal.Rule("Outside the yield band",
                $"{Weight.ToKg(batch.FreshLeafG)} kg of fresh leaf should make between {Weight.ToKg(minMadeG)} and {Weight.ToKg(maxMadeG)} kg of tea; {request.MadeTeaKg} kg is outside that band. Send overrideReason to record it anyway.",
                bandExtensions);
        }

        tx.Execute(CompleteBatch, new
        {
            Id = batchId,
            CompletedAt = completedAt,
            MadeTeaG = madeG,
            request.Style,
            request.Grade,
            request.MoisturePct,
            OverrideReason = inBand ? null : overrideReason,
        });
        var response = Load(tx.Connection, tx.Transaction, batchId)!;
        tx.Append("batch.completed", batchId, caller.KeyId, new
        {
            BatchId = batchId,
            response.Completion,
            response.FreshLeafKg,
        });
        return response;
    }

    /// <summary>The batch, if it exists, belongs to the caller's factory and is still being processed; else why not.</summary>
    private static (BatchRow Batch, Refusal? Refusal) OpenBatch(LedgerTransaction tx, Caller caller, string batchId, string completedMessage)
    {
        var batch = FindBatch(tx, batchId);
        return batch is null ? (null!, Refusal.NotFound("batch", batchId))
            : !caller.ActsFor(batch.FactoryOrgId) ? (batch, Refusal.Forbidden("This batch belongs to another factory."))
            : batch.IsCompleted ? (batch, Refusal.Conflict(completedMessage))
            : (batch, null);
    }

    // ---- reads

    internal static BatchRow? FindBatch(LedgerTransaction tx, string id) => tx.QuerySingleOrDefault<BatchRow>(SelectBatch, new { Id = id });

    public BatchResponse? Find(string idOrCode)
    {
        using var connection = connections.Open();
        var id = idOrCode.StartsWith("B-", StringComparison.OrdinalIgnoreCase)
            ? connection.ExecuteScalar<string>(SelectBatchByCode, new { Code = idOrCode.ToUpperInvariant() }) ?? idOrCode
            : idOrCode;
        return Load(connection, null, id);
    }

    private static BatchResponse? Load(IDbConnection connection, IDbTransaction? transaction, string id)
    {
        var batch = connection.QuerySingleOrDefault<BatchRow>(SelectBatch, new { Id = id }, transaction);
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
        var readings = BatchLimits.Steps.Where(summaries.ContainsKey).Select(s => new StepReadings(s, summaries[s])).ToList();
        var completion = batch.IsCompleted
            ? new CompletionResponse(batch.CompletedAt!.Value, Weight.ToKg(batch.MadeTeaG!.Value), batch.Style!, batch.Grade!,
                batch.MoisturePct, Math.Round((double)batch.MadeTeaG.Value / batch.FreshLeafG, 4), batch.OverrideReason)
            : null;
        return new BatchResponse(batch.Id, batch.Code, batch.FactoryOrgId, batch.StartedAt, batch.ClaimsGi, Weight.ToKg(batch.FreshLeafG),
            batch.Status, steps.Count < BatchLimits.Steps.Length && !batch.IsCompleted ? BatchLimits.Steps[steps.Count] : null,
            inputs, steps, readings, completion,
            batch.IsCompleted ? Weight.ToKg(batch.PackedG) : null,
            batch.IsCompleted ? Weight.ToKg(batch.MadeTeaG!.Value - batch.PackedG) : null,
            batch.CreatedAt);
    }

    private static DateTimeOffset? ParseTime(string? text) =>
        text is null ? null : DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 2) : null;

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
