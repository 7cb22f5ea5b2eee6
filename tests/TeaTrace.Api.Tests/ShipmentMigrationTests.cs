using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;

namespace TeaTrace.Api.Tests;

/// <summary>A database from before shipments were recorded: lots a distributor packed stay valid, and the factory keeps the tea it had left.</summary>
public sealed class ShipmentMigrationTests
{
    /// <summary>The number of the migration that adds shipments (renumbered if another lands first).</summary>
    private const int ShipmentsMigration = 13;

    [Fact]
    public async Task LotsPackedByADistributorBeforeShipments_StayValid_AndTheRestNeedsAShipment()
    {
        var directory = Path.Combine(Path.GetTempPath(), "teatrace-tests", Guid.NewGuid().ToString("N"));
        string batch;
        World world;
        await using (var before = new RestoredApp(directory))
        {
            world = await before.CreateWorldAsync();
            batch = await before.CompletedBatchAsync(world, 100m, 24m);
            using var db = before.OpenDatabase();
            // As the previous schema left it: the shop packed 20 × 100 g of the factory's batch with nothing shipped to it.
            Execute(db, $"""
                INSERT INTO lots (id, code, batch_id, org_id, gtin, product_name, net_weight_g, unit_count, packed_on, serials_root, created_at)
                VALUES ('lot_before', '260408-BEFORE', '{batch}', '{world.ShopId}', '06901234560022', '英德红茶 礼盒 100 g', 100, 20, '2026-04-08', randomblob(32), '2026-04-08T10:00:00+08:00');
                DROP TABLE shipment_received_units; DROP TABLE shipment_receipts; DROP TABLE shipment_units; DROP TABLE shipments;
                DROP TABLE made_tea_handed_over_before_shipments;
                DELETE FROM schema_migrations WHERE version = {ShipmentsMigration};
                """);
        }

        SqliteConnection.ClearAllPools();
        await using var after = new RestoredApp(directory);

        // The factory still has the 22 kg it had; the shop's old lot used up what it took, so it packs no more.
        var read = await TeaTraceApp.Expect(await after.Client(world.ProcessorKey).GetAsync($"/api/batches/{batch}"), HttpStatusCode.OK);
        Assert.Equal(22m, read.GetProperty("remainingMadeTeaKg").GetDecimal());
        await TeaTraceApp.Expect(await after.Client(world.DistributorKey).GetAsync("/api/lots/lot_before"), HttpStatusCode.OK);
        var refused = await TeaTraceApp.Problem(await after.Client(world.DistributorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(batch, unitCount: 1, netWeightG: 100, gtin: "06901234560022")),
            HttpStatusCode.UnprocessableEntity);
        Assert.Equal(2m, refused.GetProperty("receivedKg").GetDecimal());
        Assert.Equal(0m, refused.GetProperty("remainingKg").GetDecimal());

        // The rest goes by shipment: 22 kg and not a gram more; once received, the shop packs it under its own GTIN.
        await after.ShipToShopAsync(world, batch, 22m);
        await TeaTraceApp.Problem(await after.Client(world.ProcessorKey).PostAsJsonAsync("/api/shipments", new { batchId = batch, toOrgId = world.ShopId, kg = 0.001m, shippedAt = "2026-04-05T09:00:00+08:00" }),
            HttpStatusCode.UnprocessableEntity);
        await TeaTraceApp.Created(await after.Client(world.DistributorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(batch, unitCount: 220, netWeightG: 100, gtin: "06901234560022")));
        var audit = await TeaTraceApp.Expect(await after.Admin().GetAsync("/api/ledger/audit"), HttpStatusCode.OK);
        Assert.True(audit.GetProperty("ok").GetBoolean(), audit.GetRawText());
    }

    private static void Execute(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
