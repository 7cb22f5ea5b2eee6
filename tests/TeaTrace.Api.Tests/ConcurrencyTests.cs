using System.Net;
using System.Net.Http.Json;

namespace TeaTrace.Api.Tests;

/// <summary>Many writers at once: the single writer serialises them, so no harvest or batch is overdrawn and the chain stays whole.</summary>
public sealed class ConcurrencyTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>
{
    [Fact]
    public async Task ParallelBatches_OnOneHarvest_NeverTakeMoreThanItHas()
    {
        var world = await app.CreateWorldAsync();
        var plot = await app.PlotAsync(world.CoopFarmerKey, world.CoopId);
        var harvest = (await app.HarvestAsync(world.CoopFarmerKey, plot, 100m)).GetProperty("id").GetString()!;
        Assert.NotNull(await app.HandOverAsync(world.FactoryId, harvest, 100m));
        var ledgerBefore = app.LedgerSize();

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => app.Client(world.ProcessorKey).PostAsJsonAsync("/api/batches", new
        {
            factoryOrgId = world.FactoryId,
            startedAt = "2026-04-03T15:00:00+08:00",
            claimsGi = true,
            inputs = new[] { new { harvestId = harvest, kg = 7.5m } },
        })));

        var created = responses.Count(r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(13, created); // 13 × 7.5 = 97.5 kg; a 14th would need 105 kg
        Assert.Equal(27, responses.Count(r => r.StatusCode == HttpStatusCode.UnprocessableEntity));
        Assert.Equal(ledgerBefore + created, app.LedgerSize());
        var more = await TeaTraceApp.Problem(await app.Client(world.ProcessorKey).PostAsJsonAsync("/api/batches", new
        {
            factoryOrgId = world.FactoryId,
            startedAt = "2026-04-03T15:00:00+08:00",
            claimsGi = true,
            inputs = new[] { new { harvestId = harvest, kg = 3m } },
        }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(100m, more.GetProperty("receivedKg").GetDecimal());
        Assert.Equal(2.5m, more.GetProperty("remainingKg").GetDecimal());
        await AssertChainWhole();
    }

    [Fact]
    public async Task ParallelLots_FromOneBatch_NeverPackMoreThanWasMade()
    {
        var world = await app.CreateWorldAsync();
        var batch = await app.CompletedBatchAsync(world, 100m, 24m);
        await app.ShipToShopAsync(world, batch, 12m); // each side holds 12 kg
        var shopGtin = Scenario.NewGtin();

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => i % 2 == 0
            ? app.Client(world.ProcessorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(batch, unitCount: 10, netWeightG: 250))
            : app.Client(world.DistributorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(batch, unitCount: 10, netWeightG: 250, gtin: shopGtin))));

        Assert.Equal(8, responses.Count(r => r.StatusCode == HttpStatusCode.Created)); // 4 × 2.5 kg = 10 of 12 kg on each side
        Assert.Equal(22, responses.Count(r => r.StatusCode == HttpStatusCode.UnprocessableEntity));
        await AssertChainWhole();
    }

    private async Task AssertChainWhole()
    {
        var entries = LedgerTests.Entries(app);
        Assert.Equal(Enumerable.Range(0, entries.Count).Select(i => (long)i), entries.Select(e => e.Index));
        var audit = await TeaTraceApp.Expect(await app.Admin().GetAsync("/api/ledger/audit"), HttpStatusCode.OK);
        Assert.True(audit.GetProperty("ok").GetBoolean(), audit.GetRawText());
    }
}
