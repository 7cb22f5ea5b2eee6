using System.Net;
using System.Net.Http.Json;

namespace TeaTrace.Api.Tests;

public sealed class ProcessingTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>, IAsyncLifetime
{
    private World _world = null!;

    public async Task InitializeAsync() => _world = await app.CreateWorldAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string> GiHarvestAsync(decimal kg = 100m) =>
        (await app.HarvestAsync(_world.CoopFarmerKey, await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId), kg)).GetProperty("id").GetString()!;

    [Fact]
    public async Task Batch_ConsumesLeafByWeight()
    {
        var h1 = await GiHarvestAsync(100m);
        var h2 = await GiHarvestAsync(50m);

        var batch = await app.BatchAsync(_world.ProcessorKey, _world.FactoryId, true, (h1, 60.5m), (h2, 50m));

        Assert.Equal(110.5m, batch.GetProperty("freshLeafKg").GetDecimal());
        Assert.Matches("^B-[0-9A-Z]{8}$", batch.GetProperty("code").GetString());
        Assert.Equal("withering", batch.GetProperty("nextStep").GetString());
        var harvest = await TeaTraceApp.Expect(await app.Client(_world.ProcessorKey).GetAsync($"/api/harvests/{h1}"), HttpStatusCode.OK);
        Assert.Equal(39.5m, harvest.GetProperty("remainingKg").GetDecimal());
    }

    [Fact]
    public async Task Batch_MoreLeafThanLeft_Is422AndWritesNothing()
    {
        var h = await GiHarvestAsync(100m);
        await app.HandOverAsync(_world.FactoryId, h, 100m);
        await TeaTraceApp.Created(await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/batches", new
        {
            factoryOrgId = _world.FactoryId,
            startedAt = "2026-04-03T15:00:00+08:00",
            claimsGi = true,
            inputs = new[] { new { harvestId = h, kg = 70m } },
        }));
        var before = app.Snapshot();

        var response = await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/batches", new
        {
            factoryOrgId = _world.FactoryId,
            startedAt = "2026-04-03T16:00:00+08:00",
            claimsGi = true,
            inputs = new[] { new { harvestId = h, kg = 30.001m } },
        });

        var problem = await TeaTraceApp.Problem(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(30m, problem.GetProperty("remainingKg").GetDecimal());
        Assert.Equal(100m, problem.GetProperty("receivedKg").GetDecimal());
        Assert.Equal(h, problem.GetProperty("harvestId").GetString());
        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task Batch_OfLeafNotReceived_Is422_NamingTheHarvest_AndWritesNothing()
    {
        var h = await GiHarvestAsync(100m);
        var before = app.Snapshot();

        var response = await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/batches", new
        {
            factoryOrgId = _world.FactoryId,
            startedAt = "2026-04-03T16:00:00+08:00",
            claimsGi = true,
            inputs = new[] { new { harvestId = h, kg = 10m } },
        });

        var problem = await TeaTraceApp.Problem(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(h, problem.GetProperty("harvestId").GetString());
        Assert.Equal(0m, problem.GetProperty("receivedKg").GetDecimal());
        Assert.Contains("certificate", problem.GetProperty("detail").GetString());
        Assert.Equal(before, app.Snapshot());

        // Leaf received by another factory is not this factory's either.
        await app.HandOverAsync(_world.OtherFactoryId, h, 50m);
        var other = await TeaTraceApp.Problem(await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/batches", new
        {
            factoryOrgId = _world.FactoryId,
            startedAt = "2026-04-03T16:00:00+08:00",
            claimsGi = true,
            inputs = new[] { new { harvestId = h, kg = 10m } },
        }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(0m, other.GetProperty("receivedKg").GetDecimal());
    }

    [Fact]
    public async Task Batch_GiClaimWithNonGiLeaf_Is422AndWritesNothing()
    {
        var gi = await GiHarvestAsync();
        var nonGiPlot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId, cultivar: "金萱");
        var nonGi = (await app.HarvestAsync(_world.CoopFarmerKey, nonGiPlot, 40m)).GetProperty("id").GetString()!;
        await app.HandOverAsync(_world.FactoryId, gi, 20m);
        await app.HandOverAsync(_world.FactoryId, nonGi, 20m);
        var before = app.Snapshot();

        var response = await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/batches", new
        {
            factoryOrgId = _world.FactoryId,
            startedAt = "2026-04-03T16:00:00+08:00",
            claimsGi = true,
            inputs = new[] { new { harvestId = gi, kg = 10m }, new { harvestId = nonGi, kg = 10m } },
        });

        var problem = await TeaTraceApp.Problem(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(nonGi, problem.GetProperty("harvestId").GetString());
        Assert.Contains("GI", problem.GetProperty("detail").GetString());
        Assert.Equal(before, app.Snapshot());

        // The same leaf may go into a batch that makes no GI claim (the factory already holds it).
        await app.BatchWithoutHandOverAsync(_world.ProcessorKey, _world.FactoryId, false, (gi, 10m), (nonGi, 10m));
    }

    [Fact]
    public async Task Batch_ForAnotherFactory_Is403_AndDuplicateHarvest_Is400()
    {
        var h = await GiHarvestAsync();
        var before = app.Snapshot();
        var other = await app.Client(_world.OtherProcessorKey).PostAsJsonAsync("/api/batches", new
        {
            factoryOrgId = _world.FactoryId,
            startedAt = "2026-04-03T16:00:00+08:00",
            claimsGi = true,
            inputs = new[] { new { harvestId = h, kg = 1m } },
        });
        await TeaTraceApp.Problem(other, HttpStatusCode.Forbidden);

        var duplicate = await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/batches", new
        {
            factoryOrgId = _world.FactoryId,
            startedAt = "2026-04-03T16:00:00+08:00",
            claimsGi = true,
            inputs = new[] { new { harvestId = h, kg = 1m }, new { harvestId = h, kg = 2m } },
        });
        await TeaTraceApp.Problem(duplicate, HttpStatusCode.BadRequest);

        var empty = await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/batches", new
        {
            factoryOrgId = _world.FactoryId,
            startedAt = "2026-04-03T16:00:00+08:00",
            claimsGi = true,
            inputs = Array.Empty<object>(),
        });
        var problem = await TeaTraceApp.Problem(empty, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("inputs", out _), problem.GetRawText());
        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task Batch_StartedBeforeTheLeafWasPicked_Is422()
    {
        var h = await GiHarvestAsync();
        var response = await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/batches", new
        {
            factoryOrgId = _world.FactoryId,
            startedAt = "2026-03-30T08:00:00+08:00",
            claimsGi = true,
            inputs = new[] { new { harvestId = h, kg = 1m } },
        });
        await TeaTraceApp.Problem(response, HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Steps_OutOfOrder_Is409AndWritesNothing()
    {
        var batch = (await app.BatchAsync(_world.ProcessorKey, _world.FactoryId, true, (await GiHarvestAsync(), 50m))).GetProperty("id").GetString()!;
        var client = app.Client(_world.ProcessorKey);
        var before = app.Snapshot();

        var skip = await client.PostAsJsonAsync($"/api/batches/{batch}/steps", new { step = "rolling", startedAt = "2026-04-04T07:15:00+08:00", endedAt = "2026-04-04T08:35:00+08:00" });

        var problem = await TeaTraceApp.Problem(skip, HttpStatusCode.Conflict);
        Assert.Equal("withering", problem.GetProperty("expectedStep").GetString());
        Assert.Equal(before, app.Snapshot());

        await app.StepsAsync(_world.ProcessorKey, batch, 2);
        var again = await client.PostAsJsonAsync($"/api/batches/{batch}/steps", new { step = "rolling", startedAt = "2026-04-04T09:00:00+08:00", endedAt = "2026-04-04T10:00:00+08:00" });
        Assert.Equal("fermentation", (await TeaTraceApp.Problem(again, HttpStatusCode.Conflict)).GetProperty("expectedStep").GetString());
    }

    [Fact]
    public async Task Steps_ReadingsOutsideTheStep_Is400_OverlappingStep_Is422()
    {
        var batch = (await app.BatchAsync(_world.ProcessorKey, _world.FactoryId, true, (await GiHarvestAsync(), 50m))).GetProperty("id").GetString()!;
        var client = app.Client(_world.ProcessorKey);
        var before = app.Snapshot();

        var outside = await client.PostAsJsonAsync($"/api/batches/{batch}/steps", new
        {
            step = "withering",
            startedAt = "2026-04-03T15:00:00+08:00",
            endedAt = "2026-04-04T07:00:00+08:00",
            readings = new[] { new { at = "2026-04-04T09:00:00+08:00", temperatureC = 25.0, humidityPct = 70.0 } },
        });
        var problem = await TeaTraceApp.Problem(outside, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("readings[0].at", out _), problem.GetRawText());

        var early = await client.PostAsJsonAsync($"/api/batches/{batch}/steps", new { step = "withering", startedAt = "2026-04-03T14:00:00+08:00", endedAt = "2026-04-04T07:00:00+08:00" });
        await TeaTraceApp.Problem(early, HttpStatusCode.UnprocessableEntity);

        var backwards = await client.PostAsJsonAsync($"/api/batches/{batch}/steps", new { step = "withering", startedAt = "2026-04-04T07:00:00+08:00", endedAt = "2026-04-03T15:00:00+08:00" });
        await TeaTraceApp.Problem(backwards, HttpStatusCode.BadRequest);

        var noOffset = await client.PostAsJsonAsync($"/api/batches/{batch}/steps", new { step = "withering", startedAt = "2026-04-03T15:00:00", endedAt = "2026-04-04T07:00:00+08:00" });
        await TeaTraceApp.Problem(noOffset, HttpStatusCode.BadRequest);
        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task Readings_BulkUpload_IsAcceptedAndSummarised()
    {
        var batch = (await app.BatchAsync(_world.ProcessorKey, _world.FactoryId, true, (await GiHarvestAsync(), 50m))).GetProperty("id").GetString()!;
        var readings = Enumerable.Range(0, 12).Select(i => new
        {
            at = new DateTimeOffset(2026, 4, 3, 16, 0, 0, TimeSpan.FromHours(8)).AddMinutes(30 * i),
            step = "withering",
            temperatureC = 24.0 + (i % 3),
            humidityPct = 65.0 + i,
        }).ToArray();

        var response = await app.Client(_world.ProcessorKey).PostAsJsonAsync($"/api/batches/{batch}/readings", readings);

        var accepted = await TeaTraceApp.Expect(response, HttpStatusCode.Accepted);
        Assert.Equal(12, accepted.GetProperty("accepted").GetInt32());
        var read = await TeaTraceApp.Expect(await app.Client(_world.ProcessorKey).GetAsync($"/api/batches/{batch}"), HttpStatusCode.OK);
        var summary = read.GetProperty("readings").EnumerateArray().Single(r => r.GetProperty("step").GetString() == "withering").GetProperty("summary");
        Assert.Equal(12, summary.GetProperty("count").GetInt32());
        Assert.Equal(24.0, summary.GetProperty("minTemperatureC").GetDouble());
        Assert.Equal(26.0, summary.GetProperty("maxTemperatureC").GetDouble());
        Assert.Equal(70.5, summary.GetProperty("avgHumidityPct").GetDouble());
    }

    [Fact]
    public async Task Readings_Invalid_Is400_BeforeTheBatch_Is422_AfterCompletion_Is409()
    {
        var batch = (await app.BatchAsync(_world.ProcessorKey, _world.FactoryId, true, (await GiHarvestAsync(), 100m))).GetProperty("id").GetString()!;
        var client = app.Client(_world.ProcessorKey);
        var before = app.Snapshot();

        await TeaTraceApp.Problem(await client.PostAsJsonAsync($"/api/batches/{batch}/readings", new[] { new { at = "2026-04-03T16:00:00+08:00", step = "withering", temperatureC = 25.0, humidityPct = 140.0 } }), HttpStatusCode.BadRequest);
        await TeaTraceApp.Problem(await client.PostAsJsonAsync($"/api/batches/{batch}/readings", new[] { new { at = "2026-04-03T16:00:00+08:00", step = "steaming", temperatureC = 25.0, humidityPct = 40.0 } }), HttpStatusCode.BadRequest);
        await TeaTraceApp.Problem(await client.PostAsJsonAsync($"/api/batches/{batch}/readings", Array.Empty<object>()), HttpStatusCode.BadRequest);
        await TeaTraceApp.Problem(await client.PostAsJsonAsync($"/api/batches/{batch}/readings", new[] { new { at = "2026-04-01T16:00:00+08:00", step = "withering", temperatureC = 25.0, humidityPct = 40.0 } }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(before, app.Snapshot());

        await app.StepsAsync(_world.ProcessorKey, batch);
        await app.CompleteAsync(_world.ProcessorKey, batch, 24m);
        await TeaTraceApp.Problem(await client.PostAsJsonAsync($"/api/batches/{batch}/readings", new[] { new { at = "2026-04-04T16:00:00+08:00", step = "drying", temperatureC = 25.0, humidityPct = 40.0 } }), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Complete_BeforeDrying_Is409AndWritesNothing()
    {
        var batch = (await app.BatchAsync(_world.ProcessorKey, _world.FactoryId, true, (await GiHarvestAsync(), 100m))).GetProperty("id").GetString()!;
        await app.StepsAsync(_world.ProcessorKey, batch, 3);
        var before = app.Snapshot();

        var response = await app.Client(_world.ProcessorKey).PostAsJsonAsync($"/api/batches/{batch}/complete", new
        {
            completedAt = "2026-04-04T16:30:00+08:00",
            madeTeaKg = 24m,
            style = "strip",
            grade = "special",
        });

        var problem = await TeaTraceApp.Problem(response, HttpStatusCode.Conflict);
        Assert.Contains("drying", problem.GetProperty("detail").GetString());
        Assert.Equal(before, app.Snapshot());
    }

    [Theory]
    [InlineData(15.0)] // 100 kg of leaf ÷ 15 kg = 6.7: too little tea
    [InlineData(27.0)] // 100 ÷ 27 = 3.7: too much
    public async Task Complete_OutsideYieldBand_Is422AndWritesNothing_UnlessOverridden(double madeTeaKg)
    {
        var batch = (await app.BatchAsync(_world.ProcessorKey, _world.FactoryId, true, (await GiHarvestAsync(), 100m))).GetProperty("id").GetString()!;
        await app.StepsAsync(_world.ProcessorKey, batch);
        var client = app.Client(_world.ProcessorKey);
        var before = app.Snapshot();

        var refused = await client.PostAsJsonAsync($"/api/batches/{batch}/complete", new
        {
            completedAt = "2026-04-04T16:30:00+08:00",
            madeTeaKg = (decimal)madeTeaKg,
            style = "strip",
            grade = "special",
        });

        var problem = await TeaTraceApp.Problem(refused, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(16.667m, problem.GetProperty("minMadeTeaKg").GetDecimal());
        Assert.Equal(26.315m, problem.GetProperty("maxMadeTeaKg").GetDecimal());
        Assert.Equal(before, app.Snapshot());

        var ledgerBefore = app.LedgerSize();
        var completed = await app.CompleteAsync(_world.ProcessorKey, batch, (decimal)madeTeaKg, "鲜叶含水量高，雨后采摘 (rain-wet leaf)");
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.Equal("鲜叶含水量高，雨后采摘 (rain-wet leaf)", completed.GetProperty("completion").GetProperty("overrideReason").GetString());
        Assert.Equal(ledgerBefore + 1, app.LedgerSize());
        Assert.Contains("rain-wet leaf", LedgerTests.Entries(app).Last().Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_Twice_Is409_UnknownStyle_Is400_MoreTeaThanLeaf_Is422()
    {
        var batch = (await app.BatchAsync(_world.ProcessorKey, _world.FactoryId, true, (await GiHarvestAsync(), 100m))).GetProperty("id").GetString()!;
        await app.StepsAsync(_world.ProcessorKey, batch);
        var client = app.Client(_world.ProcessorKey);

        var style = await client.PostAsJsonAsync($"/api/batches/{batch}/complete", new { completedAt = "2026-04-04T16:30:00+08:00", madeTeaKg = 24m, style = "oolong", grade = "special" });
        Assert.True((await TeaTraceApp.Problem(style, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("style", out _));
        var heavy = await client.PostAsJsonAsync($"/api/batches/{batch}/complete", new { completedAt = "2026-04-04T16:30:00+08:00", madeTeaKg = 120m, style = "strip", grade = "special", overrideReason = "x" });
        await TeaTraceApp.Problem(heavy, HttpStatusCode.UnprocessableEntity);
        var wet = await client.PostAsJsonAsync($"/api/batches/{batch}/complete", new { completedAt = "2026-04-04T16:30:00+08:00", madeTeaKg = 24m, style = "strip", grade = "special", moisturePct = 9.5 });
        await TeaTraceApp.Problem(wet, HttpStatusCode.UnprocessableEntity);

        var completed = await app.CompleteAsync(_world.ProcessorKey, batch, 24m);
        Assert.Equal(0.24, completed.GetProperty("completion").GetProperty("yieldRatio").GetDouble());
        Assert.Equal(24m, completed.GetProperty("remainingMadeTeaKg").GetDecimal());
        await TeaTraceApp.Problem(await client.PostAsJsonAsync($"/api/batches/{batch}/complete", new { completedAt = "2026-04-04T16:30:00+08:00", madeTeaKg = 24m, style = "strip", grade = "special" }), HttpStatusCode.Conflict);
        await TeaTraceApp.Problem(await client.PostAsJsonAsync($"/api/batches/{batch}/steps", new { step = "drying", startedAt = "2026-04-05T07:15:00+08:00", endedAt = "2026-04-05T08:35:00+08:00" }), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Batch_WholeLife_IsReadableWithStepsAndSummaries()
    {
        var batchId = await app.CompletedBatchAsync(_world);

        var batch = await TeaTraceApp.Expect(await app.Client(_world.RegulatorKey).GetAsync($"/api/batches/{batchId}"), HttpStatusCode.OK);

        Assert.Equal(["withering", "rolling", "fermentation", "drying"], batch.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()));
        Assert.All(batch.GetProperty("steps").EnumerateArray(), s => Assert.Equal(2, s.GetProperty("readings").GetProperty("count").GetInt32()));
        Assert.Equal("strip", batch.GetProperty("completion").GetProperty("style").GetString());
        await TeaTraceApp.Problem(await app.Client(_world.OtherProcessorKey).GetAsync($"/api/batches/{batchId}"), HttpStatusCode.Forbidden);
        var byCode = await TeaTraceApp.Expect(await app.Client(_world.ProcessorKey).GetAsync($"/api/batches/{batch.GetProperty("code").GetString()}"), HttpStatusCode.OK);
        Assert.Equal(batchId, byCode.GetProperty("id").GetString());
    }
}
