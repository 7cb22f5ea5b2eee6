using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;

namespace TeaTrace.Api.Tests;

/// <summary>A database from before hand-overs were recorded: its batches stay valid, and its harvests keep the leaf they had left.</summary>
public sealed class CustodyMigrationTests
{
    [Fact]
    public async Task BatchesMadeBeforeHandOvers_StayValid_AndTheRestOfTheLeafNeedsACertificate()
    {
        var directory = Path.Combine(Path.GetTempPath(), "teatrace-tests", Guid.NewGuid().ToString("N"));
        string harvest;
        World world;
        await using (var before = new RestoredApp(directory))
        {
            world = await before.CreateWorldAsync();
            var plot = await before.PlotAsync(world.CoopFarmerKey, world.CoopId);
            harvest = (await before.HarvestAsync(world.CoopFarmerKey, plot, 100m)).GetProperty("id").GetString()!;
            using var db = before.OpenDatabase();
            // As the previous schema left it: a batch drew 60 kg straight from the harvest, and no hand-over tables exist.
            Execute(db, $"""
                INSERT INTO batches (id, code, factory_org_id, started_at, claims_gi, fresh_leaf_g, created_at)
                VALUES ('bat_before', 'B-BEFORE01', '{world.FactoryId}', '2026-04-03T15:00:00+08:00', 1, 60000, '2026-04-03T15:00:00+08:00');
                INSERT INTO batch_inputs (batch_id, harvest_id, leaf_g) VALUES ('bat_before', '{harvest}', 60000);
                DROP TABLE leaf_receipt_lines; DROP TABLE leaf_receipts; DROP TABLE leaf_sale_ends; DROP TABLE leaf_sale_lines;
                DROP TABLE leaf_sales; DROP TABLE leaf_handed_over_before_receipts;
                DELETE FROM schema_migrations WHERE version = 12;
                """);
        }

        SqliteConnection.ClearAllPools();
        await using var after = new RestoredApp(directory);
        var admin = after.Admin();

        // The grower still has the 40 kg it had; the old batch is intact; the factory holds nothing more of the harvest.
        var read = await TeaTraceApp.Expect(await after.Client(world.CoopFarmerKey).GetAsync($"/api/harvests/{harvest}"), HttpStatusCode.OK);
        Assert.Equal(40m, read.GetProperty("remainingKg").GetDecimal());
        var batch = await TeaTraceApp.Expect(await admin.GetAsync("/api/batches/bat_before"), HttpStatusCode.OK);
        Assert.Equal(60m, batch.GetProperty("freshLeafKg").GetDecimal());
        var refused = await TeaTraceApp.Problem(await after.Client(world.ProcessorKey).PostAsJsonAsync("/api/batches", new
        {
            factoryOrgId = world.FactoryId,
            startedAt = "2026-04-03T16:00:00+08:00",
            claimsGi = true,
            inputs = new[] { new { harvestId = harvest, kg = 1m } },
        }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(60m, refused.GetProperty("receivedKg").GetDecimal());
        Assert.Equal(0m, refused.GetProperty("remainingKg").GetDecimal());

        // The remaining 40 kg goes by certificate, then into a batch; no more can be sold.
        Assert.NotNull(await after.HandOverAsync(world.FactoryId, harvest, 40m));
        Assert.Null(await after.HandOverAsync(world.FactoryId, harvest, 0.001m));
        await after.BatchWithoutHandOverAsync(world.ProcessorKey, world.FactoryId, true, (harvest, 40m));
        var audit = await TeaTraceApp.Expect(await admin.GetAsync("/api/ledger/audit"), HttpStatusCode.OK);
        Assert.True(audit.GetProperty("ok").GetBoolean(), audit.GetRawText());
    }

    private static void Execute(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
