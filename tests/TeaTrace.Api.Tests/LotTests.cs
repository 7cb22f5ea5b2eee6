using System.Net;
using System.Net.Http.Json;
using System.Text;
using TeaTrace.Ledger;

namespace TeaTrace.Api.Tests;

public sealed class LotTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>, IAsyncLifetime
{
    private World _world = null!;

    public async Task InitializeAsync() => _world = await app.CreateWorldAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Lot_PacksUnitsWithRandomSerialsAndDigitalLinks()
    {
        var batch = await app.CompletedBatchAsync(_world);

        var response = await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(batch, unitCount: 40));

        var lot = await TeaTraceApp.Created(response);
        var lotId = lot.GetProperty("id").GetString();
        var code = lot.GetProperty("code").GetString()!;
        Assert.Matches("^260408-[0-9A-Z]{6}$", code);
        Assert.Equal(40, lot.GetProperty("unitCount").GetInt32());
        Assert.Equal($"https://tea.example.cn/01/06901234560015/10/{code}", lot.GetProperty("digitalLink").GetString());

        var page = await TeaTraceApp.Expect(await app.Client(_world.ProcessorKey).GetAsync($"/api/lots/{lotId}/units?limit=1000"), HttpStatusCode.OK);
        var units = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(40, units.Count);
        var serials = units.Select(u => u.GetProperty("serial").GetString()!).ToList();
        Assert.Equal(40, serials.Distinct().Count());
        Assert.All(serials, s => Assert.Matches("^[0-9A-HJKMNP-TV-Z]{12}$", s));
        Assert.All(units, u => Assert.Equal($"https://tea.example.cn/01/06901234560015/10/{code}/21/{u.GetProperty("serial").GetString()}", u.GetProperty("url").GetString()));
        Assert.NotEqual(serials.Order(StringComparer.Ordinal), serials); // issued in random, not sequential, order

        // The lot's ledger entry commits to every serial: an RFC 9162 root over them in packing order.
        var expectedRoot = Rfc9162.RootHash(serials.Select(s => Rfc9162.HashLeaf(Encoding.UTF8.GetBytes(s))).ToList());
        Assert.Equal(Convert.ToHexStringLower(expectedRoot), lot.GetProperty("serialsRoot").GetString());
        Assert.Contains(Convert.ToHexStringLower(expectedRoot), LedgerTests.Entries(app).Last(e => e.Type == "lot.packed").Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Units_ArePaged()
    {
        var batch = await app.CompletedBatchAsync(_world);
        var lot = await TeaTraceApp.Created(await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(batch, unitCount: 25)));
        var client = app.Client(_world.RegulatorKey);
        var lotId = lot.GetProperty("id").GetString();

        var first = await TeaTraceApp.Expect(await client.GetAsync($"/api/lots/{lotId}/units?offset=0&limit=10"), HttpStatusCode.OK);
        var last = await TeaTraceApp.Expect(await client.GetAsync($"/api/lots/{lotId}/units?offset=20&limit=10"), HttpStatusCode.OK);

        Assert.Equal(25, first.GetProperty("total").GetInt32());
        Assert.Equal(Enumerable.Range(1, 10), first.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("seq").GetInt32()));
        Assert.Equal(Enumerable.Range(21, 5), last.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("seq").GetInt32()));
        await TeaTraceApp.Problem(await client.GetAsync($"/api/lots/{lotId}/units?limit=5000"), HttpStatusCode.BadRequest);
        await TeaTraceApp.Problem(await client.GetAsync("/api/lots/lot_nope/units"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("06901234560016")] // wrong check digit
    [InlineData("6901234560015")] // 13 digits
    [InlineData("0690123456001X")]
    public async Task Lot_BadGtin_Is400AndWritesNothing(string gtin)
    {
        var batch = await app.CompletedBatchAsync(_world);
        var before = app.Snapshot();

        var response = await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(batch, gtin: gtin));

        var problem = await TeaTraceApp.Problem(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("gtin", out _), problem.GetRawText());
        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task Lot_MoreTeaThanTheBatchHasLeft_Is422AndWritesNothing()
    {
        var batch = await app.CompletedBatchAsync(_world, 100m, 24m);
        var client = app.Client(_world.ProcessorKey);
        await TeaTraceApp.Created(await client.PostAsJsonAsync("/api/lots", Scenario.Lot(batch, unitCount: 80, netWeightG: 250))); // 20 kg
        var before = app.Snapshot();

        var response = await client.PostAsJsonAsync("/api/lots", Scenario.Lot(batch, unitCount: 41, netWeightG: 100)); // 4.1 kg > 4 kg left

        var problem = await TeaTraceApp.Problem(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(4m, problem.GetProperty("remainingKg").GetDecimal());
        Assert.Equal(before, app.Snapshot());

        // Exactly what is left can be packed, by a distributor too once it is shipped to it and received.
        await app.ShipToShopAsync(_world, batch, 4m);
        await TeaTraceApp.Created(await app.Client(_world.DistributorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(batch, unitCount: 40, netWeightG: 100, gtin: Scenario.NewGtin())));
        var read = await TeaTraceApp.Expect(await client.GetAsync($"/api/batches/{batch}"), HttpStatusCode.OK);
        Assert.Equal(0m, read.GetProperty("remainingMadeTeaKg").GetDecimal());
    }

    [Fact]
    public async Task Lot_FromUnfinishedBatch_Is409_FromAnotherFactory_Is403()
    {
        var plot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId);
        var harvest = (await app.HarvestAsync(_world.CoopFarmerKey, plot, 50m)).GetProperty("id").GetString()!;
        var open = (await app.BatchAsync(_world.ProcessorKey, _world.FactoryId, true, (harvest, 50m))).GetProperty("id").GetString()!;
        var before = app.Snapshot();

        await TeaTraceApp.Problem(await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(open)), HttpStatusCode.Conflict);
        var done = await app.CompletedBatchAsync(_world);
        before = app.Snapshot();
        await TeaTraceApp.Problem(await app.Client(_world.OtherProcessorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(done)), HttpStatusCode.Forbidden);
        await TeaTraceApp.Problem(await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/lots", Scenario.Lot("bat_nope")), HttpStatusCode.NotFound);
        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task Lot_IsReadableByItsPackerAndTheFactory_NotByOthers()
    {
        var batch = await app.CompletedBatchAsync(_world);
        await app.ShipToShopAsync(_world, batch, 0.5m);
        var lot = await TeaTraceApp.Created(await app.Client(_world.DistributorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(batch, unitCount: 2, gtin: Scenario.NewGtin())));
        var id = lot.GetProperty("id").GetString();

        Assert.Equal(_world.ShopId, lot.GetProperty("orgId").GetString());
        await TeaTraceApp.Expect(await app.Client(_world.DistributorKey).GetAsync($"/api/lots/{id}"), HttpStatusCode.OK);
        await TeaTraceApp.Expect(await app.Client(_world.ProcessorKey).GetAsync($"/api/lots/{id}"), HttpStatusCode.OK);
        await TeaTraceApp.Problem(await app.Client(_world.OtherProcessorKey).GetAsync($"/api/lots/{id}"), HttpStatusCode.Forbidden);
    }

    private static object LotOf(string batchId, int netWeightG, string? overrideReason = null) => new
    {
        batchId,
        gtin = "06901234560015",
        productName = "英德红茶·英红九号 袋泡茶",
        netWeightG,
        unitCount = 20,
        packedOn = "2026-04-08",
        overrideReason,
    };

    [Fact]
    public async Task Lot_BelowTheMinimumNetWeight_IsRefused_UnlessOverriddenWithAReason()
    {
        var batch = await app.CompletedBatchAsync(_world);
        var client = app.Client(_world.ProcessorKey);
        var before = app.Snapshot();

        var problem = await TeaTraceApp.Problem(await client.PostAsJsonAsync("/api/lots", LotOf(batch, 1)), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(2, problem.GetProperty("minNetWeightG").GetInt32());
        Assert.Equal(before, app.Snapshot());

        // Tea bags and sachets of 2–8 g are real products.
        var bags = await TeaTraceApp.Created(await client.PostAsJsonAsync("/api/lots", LotOf(batch, 3)));
        Assert.Equal(3, bags.GetProperty("netWeightG").GetInt32());

        var samples = await TeaTraceApp.Created(await client.PostAsJsonAsync("/api/lots", LotOf(batch, 1, "品鉴小样，每袋 1 g · 1 g tasting samples for the trade fair")));
        Assert.Equal(1, samples.GetProperty("netWeightG").GetInt32());
        var entry = LedgerTests.Entries(app).Last();
        Assert.Equal("lot.packed", entry.Type);
        Assert.Contains("1 g tasting samples for the trade fair", entry.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsumerPage_ShowsTheNetWeight()
    {
        var batch = await app.CompletedBatchAsync(_world);
        var lot = await TeaTraceApp.Created(await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(batch, unitCount: 2, netWeightG: 250)));
        var units = await TeaTraceApp.Expect(await app.Client(_world.ProcessorKey).GetAsync($"/api/lots/{lot.GetProperty("id").GetString()}/units"), HttpStatusCode.OK);
        var link = new Uri(units.GetProperty("items")[0].GetProperty("url").GetString()!).PathAndQuery;

        var zh = new HttpRequestMessage(HttpMethod.Get, link);
        zh.Headers.Accept.ParseAdd("text/html");
        var en = new HttpRequestMessage(HttpMethod.Get, link + "?lang=en");
        en.Headers.Accept.ParseAdd("text/html");

        Assert.Contains("净含量 250 g", await (await app.Client().SendAsync(zh)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Net weight 250 g", await (await app.Client().SendAsync(en)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
