using System.Net;
using System.Net.Http.Json;

namespace TeaTrace.Api.Tests;

public sealed class RecallTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>, IAsyncLifetime
{
    private World _world = null!;

    public async Task InitializeAsync() => _world = await app.CreateWorldAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>One harvest split over two batches, each packed into a lot.</summary>
    private async Task<(string Harvest, string BatchA, string BatchB, string LotA, string LotB)> ChainAsync()
    {
        var plot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId);
        var harvest = (await app.HarvestAsync(_world.CoopFarmerKey, plot, 200m)).GetProperty("id").GetString()!;
        var lots = new List<string>();
        var batches = new List<string>();
        foreach (var _ in new[] { 1, 2 })
        {
            var batch = (await app.BatchAsync(_world.ProcessorKey, _world.FactoryId, true, (harvest, 100m))).GetProperty("id").GetString()!;
            await app.StepsAsync(_world.ProcessorKey, batch);
            await app.CompleteAsync(_world.ProcessorKey, batch, 24m);
            var lot = await TeaTraceApp.Created(await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(batch, unitCount: 5)));
            batches.Add(batch);
            lots.Add(lot.GetProperty("id").GetString()!);
        }

        return (harvest, batches[0], batches[1], lots[0], lots[1]);
    }

    [Fact]
    public async Task RecallHarvest_ReachesEveryLotAndUnitMadeFromIt()
    {
        var chain = await ChainAsync();
        var before = app.LedgerSize();

        var response = await app.Client(_world.RegulatorKey).PostAsJsonAsync("/api/recalls", new { harvestId = chain.Harvest, reason = "农药残留超标 (pesticide residue)" });

        var recall = await TeaTraceApp.Created(response);
        Assert.Equal("harvest", recall.GetProperty("scope").GetString());
        Assert.Equal(10, recall.GetProperty("unitCount").GetInt32());
        Assert.Equal([chain.LotA, chain.LotB], recall.GetProperty("lots").EnumerateArray().Select(l => l.GetProperty("lotId").GetString()));
        Assert.Equal(before + 1, app.LedgerSize());
        var units = await TeaTraceApp.Expect(await app.Client(_world.ProcessorKey).GetAsync($"/api/lots/{chain.LotB}/units"), HttpStatusCode.OK);
        Assert.All(units.GetProperty("items").EnumerateArray(), u => Assert.Equal("recalled", u.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task RecalledHarvest_CannotGoIntoABatch_RecalledBatch_CannotBePacked()
    {
        var plot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId);
        var harvest = (await app.HarvestAsync(_world.CoopFarmerKey, plot, 100m)).GetProperty("id").GetString()!;
        var batch = (await app.BatchAsync(_world.ProcessorKey, _world.FactoryId, true, (harvest, 50m))).GetProperty("id").GetString()!;
        await app.StepsAsync(_world.ProcessorKey, batch);
        await app.CompleteAsync(_world.ProcessorKey, batch, 12m);
        await TeaTraceApp.Created(await app.Admin().PostAsJsonAsync("/api/recalls", new { harvestId = harvest, reason = "test" }));
        var before = app.Snapshot();

        var more = await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/batches", new
        {
            factoryOrgId = _world.FactoryId,
            startedAt = "2026-04-03T15:00:00+08:00",
            claimsGi = true,
            inputs = new[] { new { harvestId = harvest, kg = 10m } },
        });
        Assert.Contains("recalled", (await TeaTraceApp.Problem(more, HttpStatusCode.UnprocessableEntity)).GetProperty("detail").GetString());
        var pack = await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(batch));
        Assert.Contains("recall", (await TeaTraceApp.Problem(pack, HttpStatusCode.UnprocessableEntity)).GetProperty("detail").GetString());
        Assert.Equal(before, app.Snapshot());
    }

    [Theory]
    [InlineData("{\"reason\":\"x\"}")]
    [InlineData("{\"harvestId\":\"a\",\"lotId\":\"b\",\"reason\":\"x\"}")]
    [InlineData("{\"lotId\":\"b\"}")]
    public async Task Recall_NotExactlyOneSubject_Is400AndWritesNothing(string json)
    {
        var before = app.Snapshot();
        var response = await app.Client(_world.RegulatorKey).PostAsync("/api/recalls", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        await TeaTraceApp.Problem(response, HttpStatusCode.BadRequest);
        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task Recall_UnknownSubject_Is404()
    {
        await TeaTraceApp.Problem(await app.Client(_world.RegulatorKey).PostAsJsonAsync("/api/recalls", new { batchId = "bat_nope", reason = "x" }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Traces_FollowTheChainBothWays()
    {
        var chain = await ChainAsync();
        var regulator = app.Client(_world.RegulatorKey);

        var forward = await TeaTraceApp.Expect(await regulator.GetAsync($"/api/trace/forward?harvestId={chain.Harvest}"), HttpStatusCode.OK);
        Assert.Equal([chain.BatchA, chain.BatchB], forward.GetProperty("batches").EnumerateArray().Select(b => b.GetProperty("batchId").GetString()));
        Assert.Equal(5, forward.GetProperty("batches")[1].GetProperty("lots")[0].GetProperty("unitsByStatus").GetProperty("issued").GetInt32());

        var units = await TeaTraceApp.Expect(await app.Client(_world.ProcessorKey).GetAsync($"/api/lots/{chain.LotA}/units"), HttpStatusCode.OK);
        var serial = units.GetProperty("items")[2].GetProperty("serial").GetString();
        var backward = await TeaTraceApp.Expect(await regulator.GetAsync($"/api/trace/backward?serial={serial}"), HttpStatusCode.OK);
        Assert.Equal(chain.BatchA, backward.GetProperty("batchId").GetString());
        var origin = backward.GetProperty("harvests").EnumerateArray().Single();
        Assert.Equal(chain.Harvest, origin.GetProperty("harvestId").GetString());
        Assert.Equal("英红九号", origin.GetProperty("cultivar").GetString());

        await TeaTraceApp.Problem(await regulator.GetAsync("/api/trace/backward?serial=NOPE"), HttpStatusCode.NotFound);
        await TeaTraceApp.Problem(await regulator.GetAsync("/api/trace/forward"), HttpStatusCode.BadRequest);
        await TeaTraceApp.Problem(await app.Client(_world.ProcessorKey).GetAsync($"/api/trace/forward?harvestId={chain.Harvest}"), HttpStatusCode.Forbidden);
    }
}
