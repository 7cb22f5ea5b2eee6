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
}
