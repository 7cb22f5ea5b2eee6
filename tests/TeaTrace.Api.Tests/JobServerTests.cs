using System.Net;
using System.Net.Http.Json;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using TeaTrace.Api.Features.LedgerApi;

namespace TeaTrace.Api.Tests;

/// <summary>A real Hangfire server with SQLite storage in this host runs the recurring checkpoint job.</summary>
public sealed class JobServerApp() : TeaTraceApp("none", null, new Dictionary<string, string>
{
    ["TeaTrace:Jobs:Server"] = "true",
    ["TeaTrace:Jobs:Storage"] = "sqlite",
    ["TeaTrace:Jobs:PollIntervalSeconds"] = "0.2",
    // Only a trigger runs the jobs, so a minute boundary cannot fire one mid-test.
    ["TeaTrace:Jobs:Schedules:ledger-checkpoint"] = "never",
    ["TeaTrace:Jobs:Schedules:ledger-audit"] = "never",
    ["TeaTrace:Jobs:Schedules:market-rollup"] = "never",
    ["TeaTrace:Jobs:Schedules:market-close"] = "never",
});

public sealed class JobServerTests(JobServerApp app) : IClassFixture<JobServerApp>
{
    [Fact]
    public async Task CheckpointJob_RunsOnTheJobServer()
    {
        var world = await app.CreateWorldAsync();
        await app.PlotAsync(world.CoopFarmerKey, world.CoopId);
        var size = app.LedgerSize();
        Assert.True(File.Exists(Path.Combine(app.Directory, "teatrace-jobs.db")));

        app.Services.GetRequiredService<IRecurringJobManager>().Trigger(CheckpointJob.Id);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (app.Services.GetRequiredService<LedgerTree>().LatestCheckpoint()?.Size != size && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(size, app.Services.GetRequiredService<LedgerTree>().LatestCheckpoint()?.Size);
    }

    [Fact]
    public async Task MarketRollup_RunsOnTheJobServer()
    {
        var world = await app.CreateWorldAsync();
        var batch = await app.CompletedBatchAsync(world);
        var lot = (await TeaTraceApp.Created(await app.Client(world.ProcessorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(batch, unitCount: 8)))).GetProperty("id").GetString();
        var now = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).AddMinutes(-5);
        await TeaTraceApp.Created(await app.Client(world.ProcessorKey).PostAsJsonAsync("/api/trades", new { lotId = lot, buyer = "茶行", units = 3, unitPriceCny = 250m, tradedAt = now }));
        var today = now.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        app.Services.GetRequiredService<IRecurringJobManager>().Trigger(Features.Market.MarketJobs.RollupId);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        System.Text.Json.JsonElement rows;
        do
        {
            await Task.Delay(200);
            rows = await TeaTraceApp.Expect(await app.Client().GetAsync($"/api/market/daily?from={today}&to={today}"), HttpStatusCode.OK);
        }
        while (rows.GetArrayLength() == 0 && DateTime.UtcNow < deadline);

        Assert.Equal(3, rows[0].GetProperty("units").GetInt32());
        Assert.False(rows[0].GetProperty("closed").GetBoolean()); // the rollup leaves today open for the daily close
    }
}
