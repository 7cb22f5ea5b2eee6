using System.Net;
using Microsoft.Data.Sqlite;

namespace TeaTrace.Api.Tests;

/// <summary>The service started the way `dotnet run` starts it: with the demo data.</summary>
public sealed class DemoApp : TeaTraceApp
{
    public DemoApp() : base("demo")
    {
    }

    internal DemoApp(string directory) : base("demo", directory)
    {
    }

    public const string DemoAdminKey = "tt_demo_admin_yingde_platform";

    public override string AdminApiKey => DemoAdminKey;
}

public sealed class StartupTests(DemoApp app) : IClassFixture<DemoApp>
{
    [Fact]
    public async Task Demo_HasABatchsWholeLife_UsableWithTheDemoKeys()
    {
        var farmer = app.Client("tt_demo_farmer_yinghong_coop");
        var plots = await TeaTraceApp.Expect(await farmer.GetAsync("/api/plots"), HttpStatusCode.OK);
        // The cooperative's two gardens in 英红镇, and one plot of each of its five members, in the towns they live in.
        Assert.Equal(7, plots.GetArrayLength());
        var common = plots.EnumerateArray().Where(p => !p.TryGetProperty("memberId", out _)).ToList();
        Assert.Equal(2, common.Count);
        Assert.All(common, p => Assert.Equal("英红镇", p.GetProperty("town").GetString()));
        var coopId = common[0].GetProperty("orgId").GetString();
        var members = await TeaTraceApp.Expect(await farmer.GetAsync($"/api/orgs/{coopId}/members"), HttpStatusCode.OK);
        Assert.Equal(5, members.GetArrayLength());
        var deng = members.EnumerateArray().Single(m => m.GetProperty("name").GetString() == "邓桂芳").GetProperty("id").GetString();
        var statement = await TeaTraceApp.Expect(await farmer.GetAsync($"/api/orgs/{coopId}/members/{deng}/statement?month=2026-04"), HttpStatusCode.OK);
        Assert.Equal(14.475m, statement.GetProperty("kg").GetDecimal());
        Assert.Equal(569.51m, statement.GetProperty("amountCny").GetDecimal()); // 9.35 × 42.00 + 5.125 × 34.50 = 392.70 + 176.8125

        var regulator = app.Client("tt_demo_regulator_yingde_amr");
        var audit = await TeaTraceApp.Expect(await regulator.GetAsync("/api/ledger/audit"), HttpStatusCode.OK);
        Assert.True(audit.GetProperty("ok").GetBoolean());

        var types = LedgerTests.Entries(app).Select(e => e.Type).ToList();
        Assert.Contains("batch.completed", types);

        // The spring batch's two lots, whole: 48 tins of 250 g and 60 of 100 g, none sold.
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT group_concat(l.unit_count || '×' || l.net_weight_g) FROM lots l WHERE l.gtin IN ('06901234560015', '06901234560022')";
        Assert.Equal("48×250,60×100", command.ExecuteScalar());

        // And a year of the market: trades on most days, each in the ledger, and the daily figures built.
        var trades = types.Count(t => t == "trade.recorded");
        Assert.InRange(trades, 300, 3000);
        command.CommandText = "SELECT count(DISTINCT day) FROM market_daily";
        Assert.InRange((long)command.ExecuteScalar()!, 200L, 400L);
        var market = await TeaTraceApp.Expect(await app.Client().GetAsync("/api/market/daily"), HttpStatusCode.OK);
        Assert.True(market.GetArrayLength() > 60);
    }

    [Fact]
    public void Database_IsWalWithMigrationsTracked()
    {
        using var db = app.OpenDatabase();
        using var mode = db.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", mode.ExecuteScalar());
        using var migrations = db.CreateCommand();
        migrations.CommandText = "SELECT group_concat(version || '_' || name) FROM schema_migrations ORDER BY version";
        Assert.StartsWith("1_initial", (string)migrations.ExecuteScalar()!);
    }

    [Fact]
    public async Task BootstrapKey_IsIgnoredWhenAnAdminKeyExists()
    {
        // The demo data brings its own admin key, so the configured bootstrap key was not registered.
        await TeaTraceApp.Problem(await app.Client(TeaTraceApp.AdminKey).GetAsync("/api/me"), HttpStatusCode.Unauthorized);
        await TeaTraceApp.Expect(await app.Client(DemoApp.DemoAdminKey).GetAsync("/api/me"), HttpStatusCode.OK);
    }
}

public sealed class RestartTests
{
    [Fact]
    public async Task Restart_KeepsRecordsAndLedger_AndDoesNotSeedTwice()
    {
        var directory = Path.Combine(Path.GetTempPath(), "teatrace-tests", Guid.NewGuid().ToString("N"));
        IReadOnlyDictionary<string, TableContents> first;
        await using (var app = new DemoApp(directory))
        {
            await app.Client().GetAsync("/health");
            var world = await app.CreateWorldAsync();
            await app.PlotAsync(world.CoopFarmerKey, world.CoopId);
            first = app.Snapshot();
        }

        SqliteConnection.ClearAllPools();
        var second = new DemoApp(directory);
        await ((IAsyncLifetime)second).InitializeAsync();
        try
        {
            // Only a new checkpoint (of the writes made after the last one) is added at start.
            Assert.Equal(first.Where(t => t.Key != "checkpoints"), second.Snapshot().Where(t => t.Key != "checkpoints"));
            Assert.Equal(first["checkpoints"].Rows + 1, second.Snapshot()["checkpoints"].Rows);
            await TeaTraceApp.Problem(await second.Client().PostAsync("/api/orgs", null), HttpStatusCode.Unauthorized);

            // The writer continues the chain where it left off.
            var world = await second.CreateWorldAsync();
            await second.PlotAsync(world.CoopFarmerKey, world.CoopId);
            var audit = await TeaTraceApp.Expect(await second.Client(world.RegulatorKey).GetAsync("/api/ledger/audit"), HttpStatusCode.OK);
            Assert.True(audit.GetProperty("ok").GetBoolean(), audit.GetRawText());
        }
        finally
        {
            await ((IAsyncLifetime)second).DisposeAsync();
        }
    }
}
