using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TeaTrace.Ledger;

namespace TeaTrace.Api.Tests;

/// <summary>No ledger entry is longer than 65,535 bytes, the most a C2SP data tile can frame; nothing is lost to the limit.</summary>
public sealed class EntrySizeTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>, IAsyncLifetime
{
    private const int MaxEntryBytes = 65_535;
    private World _world = null!;

    public async Task InitializeAsync() => _world = await app.CreateWorldAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    // The longest a reading can be written: fractional seconds, the longest step name, many significant digits.
    private static object Reading(int i, string? step = null) => new
    {
        at = DateTimeOffset.Parse("2026-04-03T15:00:00+08:00").AddSeconds(i * 11).AddTicks(1234567).ToString("yyyy-MM-ddTHH:mm:ss.fffffffzzz"),
        step,
        temperatureC = -39.123456789012345 + (i % 7),
        humidityPct = 99.98765432101234 - (i % 5),
    };

    [Fact]
    public async Task StepWithTheMostReadings_IsSplitAcrossEntries_EachWithinTheLimit_NoneLost()
    {
        var batch = await NewBatchAsync();
        var before = app.LedgerSize();
        var response = await app.Client(_world.ProcessorKey).PostAsJsonAsync($"/api/batches/{batch}/steps", new
        {
            step = "withering",
            startedAt = "2026-04-03T15:00:00+08:00",
            endedAt = "2026-04-04T07:00:00+08:00",
            readings = Enumerable.Range(0, 5000).Select(i => Reading(i)),
        });
        await TeaTraceApp.Created(response);

        var entries = LedgerTests.Entries(app).Skip((int)before).ToList();
        Assert.All(entries, e => Assert.True(e.Bytes.Length <= MaxEntryBytes, $"entry {e.Index} ({e.Type}) has {e.Bytes.Length} bytes"));
        Assert.Equal("batch.step.recorded", entries[0].Type);
        Assert.All(entries.Skip(1), e => Assert.Equal("batch.readings.recorded", e.Type));
        Assert.Equal(5000, Data(entries[0]).GetProperty("readingCount").GetInt32());
        var ledgered = entries.SelectMany(e => Data(e).GetProperty("readings").EnumerateArray()).Select(r => r.GetProperty("at").GetString()).ToList();
        Assert.Equal(5000, ledgered.Count);
        Assert.Equal(ledgered.Order(StringComparer.Ordinal), ledgered); // in order, each once
        Assert.Equal(5000, ledgered.Distinct().Count());
    }

    [Fact]
    public async Task BulkReadings_AtTheLimit_AreSplitAcrossEntries()
    {
        var batch = await NewBatchAsync();
        var before = app.LedgerSize();
        var readings = Enumerable.Range(0, 5000).Select(i => Reading(i, "fermentation")).ToList();
        await TeaTraceApp.Expect(await app.Client(_world.ProcessorKey).PostAsJsonAsync($"/api/batches/{batch}/readings", readings), HttpStatusCode.Accepted);

        var entries = LedgerTests.Entries(app).Skip((int)before).ToList();
        Assert.True(entries.Count > 1);
        Assert.All(entries, e => Assert.True(e.Bytes.Length <= MaxEntryBytes, $"entry {e.Index} has {e.Bytes.Length} bytes"));
        Assert.Equal(5000, entries.Sum(e => Data(e).GetProperty("readings").GetArrayLength()));
    }

    [Fact]
    public async Task RecallReachingMoreLotsThanAnEntryLists_CommitsToThemByARoot()
    {
        var batch = await app.CompletedBatchAsync(_world);
        var lots = new List<string>();
        for (var i = 0; i < 801; i++)
        {
            var lot = await TeaTraceApp.Created(await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(batch, unitCount: 1, netWeightG: 10)));
            lots.Add(lot.GetProperty("id").GetString()!);
        }

        var recall = await TeaTraceApp.Created(await app.Client(_world.RegulatorKey).PostAsJsonAsync("/api/recalls", new { batchId = batch, reason = "抽检不合格 failed a spot check" }));
        Assert.Equal(801, recall.GetProperty("lots").GetArrayLength());

        var entry = LedgerTests.Entries(app).Last();
        Assert.Equal("recall.issued", entry.Type);
        Assert.True(entry.Bytes.Length <= MaxEntryBytes, $"{entry.Bytes.Length} bytes");
        var data = Data(entry);
        Assert.Equal(801, data.GetProperty("lotCount").GetInt32());
        var ids = recall.GetProperty("lots").EnumerateArray().Select(l => l.GetProperty("lotId").GetString()!).ToList();
        Assert.Equal(lots.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        var root = Rfc9162.RootHash([.. ids.Select(id => Rfc9162.HashLeaf(Encoding.UTF8.GetBytes(id)))]);
        Assert.Equal(Convert.ToHexStringLower(root), data.GetProperty("lotsRoot").GetString());
    }

    private async Task<string> NewBatchAsync()
    {
        var plot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId);
        var harvest = await app.HarvestAsync(_world.CoopFarmerKey, plot, 50m);
        var batch = await app.BatchAsync(_world.ProcessorKey, _world.FactoryId, true, (harvest.GetProperty("id").GetString()!, 50m));
        return batch.GetProperty("id").GetString()!;
    }

    private static JsonElement Data(LedgerTests.StoredEntry entry) => JsonDocument.Parse(entry.Bytes).RootElement.GetProperty("data");
}
