using System.Net.Http.Json;
using Microsoft.Data.Sqlite;

namespace TeaTrace.Api.Tests;

/// <summary>The database itself keeps records as records: append-only tables refuse edits, and units keep known statuses.</summary>
public sealed class SchemaTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>
{
    [Theory]
    [InlineData("batch_steps")]
    [InlineData("sensor_readings")]
    [InlineData("batch_inputs")]
    [InlineData("recalls")]
    [InlineData("recall_lots")]
    [InlineData("trades")]
    [InlineData("harvests")]
    [InlineData("farm_inputs")]
    [InlineData("ledger_entries")]
    public async Task RecordTables_RefuseUpdatesAndDeletes(string table)
    {
        var world = await app.CreateWorldAsync();
        var batch = await app.CompletedBatchAsync(world);
        var lot = await TeaTraceApp.Created(await app.Client(world.ProcessorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(batch, unitCount: 2)));
        await TeaTraceApp.Created(await app.Client(world.ProcessorKey).PostAsJsonAsync("/api/trades", new { lotId = lot.GetProperty("id").GetString(), buyer = "茶行", units = 1, unitPriceCny = 200, tradedAt = "2026-04-09T10:00:00+08:00" }));
        await TeaTraceApp.Created(await app.Client(world.RegulatorKey).PostAsJsonAsync("/api/recalls", new { batchId = batch, reason = "抽检" }));
        var plot = await app.PlotAsync(world.CoopFarmerKey, world.CoopId);
        await TeaTraceApp.Created(await app.Client(world.CoopFarmerKey).PostAsJsonAsync($"/api/plots/{plot}/inputs", new
        {
            kind = "fertilizer",
            product = "菜籽饼肥",
            source = "合作社",
            dose = 100,
            doseUnit = "kg/亩",
            method = "沟施",
            appliedOn = "2026-02-10",
        }));

        using var db = app.OpenDatabase();
        string column;
        using (var info = db.CreateCommand())
        {
            info.CommandText = $"SELECT name FROM pragma_table_info('{table}') ORDER BY cid LIMIT 1";
            column = (string)info.ExecuteScalar()!;
        }

        // The triggers answer, not a missing row or column: each message says the record is never edited.
        var update = Assert.Throws<SqliteException>(() => Execute(db, $"UPDATE {table} SET {column} = {column}"));
        var delete = Assert.Throws<SqliteException>(() => Execute(db, $"DELETE FROM {table}"));
        Assert.Matches("never edited|append-only", update.Message);
        Assert.Matches("never edited|append-only", delete.Message);
    }

    [Fact]
    public async Task Units_KeepAKnownStatus()
    {
        var world = await app.CreateWorldAsync();
        var batch = await app.CompletedBatchAsync(world);
        await TeaTraceApp.Created(await app.Client(world.ProcessorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(batch, unitCount: 2)));
        using var db = app.OpenDatabase();
        var error = Assert.Throws<SqliteException>(() => Execute(db, "UPDATE units SET status = 'lost' WHERE serial = (SELECT max(serial) FROM units)"));
        Assert.Contains("issued, sold, recalled or destroyed", error.Message, StringComparison.Ordinal);
        Execute(db, "UPDATE units SET status = 'destroyed' WHERE serial = (SELECT max(serial) FROM units)");
    }

    private static void Execute(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
