using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TeaTrace.Api.Tests;

/// <summary>Made tea and packed tins go from the factory to the shop: a shipment with its delivery note, and the shop's receipt.</summary>
public sealed class ShipmentTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>, IAsyncLifetime
{
    private World _world = null!;

    public async Task InitializeAsync() => _world = await app.CreateWorldAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<HttpResponseMessage> ShipAsync(string key, object body) => app.Client(key).PostAsJsonAsync("/api/shipments", body);

    private Task<HttpResponseMessage> ReceiveAsync(string key, string shipmentId, object body) =>
        app.Client(key).PostAsJsonAsync($"/api/shipments/{shipmentId}/receive", body);

    private Task<HttpResponseMessage> PackAsync(string key, string batchId, int units, int netWeightG, string gtin, string productName = "英德红茶·英红九号 礼盒 100 g") =>
        app.Client(key).PostAsJsonAsync("/api/lots", new { batchId, gtin, productName, netWeightG, unitCount = units, packedOn = "2026-04-08" });

    private async Task<string> OtherShopKeyAsync()
    {
        var admin = app.Admin();
        return await TeaTraceApp.CreateKeyAsync(admin, await TeaTraceApp.CreateOrgAsync(admin, "东莞南城茶友会", "distributor", "东莞市南城街道"), "distributor");
    }

    [Fact]
    public async Task MadeTea_IsShippedWithADeliveryNote_TheShopWeighsItIn_AndPacksOnlyWhatItReceived()
    {
        var batch = await app.CompletedBatchAsync(_world, 100m, 24m);
        var shopGtin = Scenario.NewGtin();

        // Before anything is shipped to it, the shop packs nothing of the batch, and writes nothing trying.
        var before = app.Snapshot();
        var refused = await TeaTraceApp.Problem(await PackAsync(_world.DistributorKey, batch, 10, 100, shopGtin), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(0m, refused.GetProperty("receivedKg").GetDecimal());
        Assert.Equal(batch, refused.GetProperty("batchId").GetString());
        Assert.Equal(before, app.Snapshot());

        var response = await ShipAsync(_world.ProcessorKey, new { batchId = batch, toOrgId = _world.ShopId, kg = 5m, shippedAt = "2026-04-05T09:00:00+08:00" });
        var shipment = await TeaTraceApp.Created(response);
        var id = shipment.GetProperty("id").GetString()!;
        var noteNo = shipment.GetProperty("noteNo").GetString()!;
        Assert.Equal($"/api/shipments/{id}", response.Headers.Location?.OriginalString);
        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{12}$", noteNo);
        Assert.Equal($"https://tea.example.cn/d/{noteNo}", shipment.GetProperty("url").GetString());
        Assert.Equal("made-tea", shipment.GetProperty("kind").GetString());
        Assert.Equal("shipped", shipment.GetProperty("status").GetString());
        Assert.Equal(5m, shipment.GetProperty("kg").GetDecimal());
        Assert.Equal(JsonValueKind.Null, shipment.GetProperty("receipt").ValueKind);

        // Shipped but not received: still nothing to pack. The factory has 19 kg left.
        await TeaTraceApp.Problem(await PackAsync(_world.DistributorKey, batch, 10, 100, shopGtin), HttpStatusCode.UnprocessableEntity);
        var read = await TeaTraceApp.Expect(await app.Client(_world.ProcessorKey).GetAsync($"/api/batches/{batch}"), HttpStatusCode.OK);
        Assert.Equal(19m, read.GetProperty("remainingMadeTeaKg").GetDecimal());

        // 4.98 kg arrives (within 1 %); the note is read by both sides and the regulator, by number too, not by another shop.
        var receipt = await TeaTraceApp.Created(await ReceiveAsync(_world.DistributorKey, id, new { receivedAt = "2026-04-06T10:00:00+08:00", receivedKg = 4.98m, note = "箱角压损，签收人 王小姐" }));
        Assert.Equal(4.98m, receipt.GetProperty("receivedKg").GetDecimal());
        Assert.Equal(5m, receipt.GetProperty("shippedKg").GetDecimal());
        var note = await TeaTraceApp.Expect(await app.Client(_world.DistributorKey).GetAsync($"/api/shipments/{id}"), HttpStatusCode.OK);
        Assert.Equal("received", note.GetProperty("status").GetString());
        Assert.Equal(4.98m, note.GetProperty("receipt").GetProperty("receivedKg").GetDecimal());
        await TeaTraceApp.Expect(await app.Client(_world.RegulatorKey).GetAsync($"/api/shipments/{noteNo}"), HttpStatusCode.OK);
        await TeaTraceApp.Expect(await app.Client(_world.ProcessorKey).GetAsync($"/api/shipments/{noteNo[..4]}-{noteNo[4..8]}-{noteNo[8..]}"), HttpStatusCode.OK);
        await TeaTraceApp.Problem(await app.Client(await OtherShopKeyAsync()).GetAsync($"/api/shipments/{id}"), HttpStatusCode.Forbidden);
        var scanned = await TeaTraceApp.Expect(await app.Client().GetAsync($"/d/{noteNo[..4]}-{noteNo[4..8]}-{noteNo[8..]}"), HttpStatusCode.OK);
        Assert.Equal(4.98m, scanned.GetProperty("receipt").GetProperty("receivedKg").GetDecimal());
        Assert.DoesNotContain("王小姐", scanned.GetRawText(), StringComparison.Ordinal);
        await TeaTraceApp.Problem(await app.Client().GetAsync($"/d/{id}"), HttpStatusCode.NotFound);
        await TeaTraceApp.Problem(await app.Client(_world.OtherProcessorKey).GetAsync($"/api/shipments/{id}/qr.png"), HttpStatusCode.Forbidden);
        var qr = await app.Client(_world.ProcessorKey).GetAsync($"/api/shipments/{id}/qr.svg");
        Assert.Equal(HttpStatusCode.OK, qr.StatusCode);
        Assert.Equal("image/svg+xml", qr.Content.Headers.ContentType?.MediaType);
        Assert.Equal("image/png", (await app.Client(_world.DistributorKey).GetAsync($"/api/shipments/{id}/qr.png")).Content.Headers.ContentType?.MediaType);

        // The shop packs 4 kg of its 4.98; 1 kg more is refused, naming what it received and has left.
        await TeaTraceApp.Created(await PackAsync(_world.DistributorKey, batch, 40, 100, shopGtin));
        before = app.Snapshot();
        var more = await TeaTraceApp.Problem(await PackAsync(_world.DistributorKey, batch, 10, 100, shopGtin), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(4.98m, more.GetProperty("receivedKg").GetDecimal());
        Assert.Equal(0.98m, more.GetProperty("remainingKg").GetDecimal());
        Assert.Contains("4.98", more.GetProperty("detail").GetString());
        Assert.Equal(before, app.Snapshot());

        // The factory packs what it has left and no more: what it shipped is gone from it.
        await TeaTraceApp.Created(await PackAsync(_world.ProcessorKey, batch, 76, 250, "06901234560015"));
        await TeaTraceApp.Problem(await PackAsync(_world.ProcessorKey, batch, 1, 2, "06901234560015"), HttpStatusCode.UnprocessableEntity);

        // Both records are ledger entries; the receiver's note is sealed, the rest is public.
        var entries = LedgerTests.Entries(app);
        var sent = entries.Single(e => e.Type == "shipment.sent" && e.Body.Contains(id, StringComparison.Ordinal));
        Assert.Contains(_world.ShopId, sent.Body, StringComparison.Ordinal);
        var received = entries.Single(e => e.Type == "shipment.received" && e.Body.Contains(id, StringComparison.Ordinal));
        Assert.DoesNotContain("王小姐", received.Body, StringComparison.Ordinal);
        Assert.Contains("4.98", received.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MadeTea_Shipments_AreRefused_BeyondWhatIsLeft_BeforeCompletion_ToANonDistributor_WhenRecalled_OrByAnotherFactory()
    {
        var batch = await app.CompletedBatchAsync(_world, 100m, 24m);
        await TeaTraceApp.Created(await PackAsync(_world.ProcessorKey, batch, 80, 250, "06901234560015")); // 20 kg packed, 4 kg left
        var plot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId);
        var harvest = (await app.HarvestAsync(_world.CoopFarmerKey, plot, 50m)).GetProperty("id").GetString()!;
        var open = (await app.BatchAsync(_world.ProcessorKey, _world.FactoryId, true, (harvest, 50m))).GetProperty("id").GetString()!;
        var recalled = await app.CompletedBatchAsync(_world);
        await TeaTraceApp.Created(await app.Client(_world.RegulatorKey).PostAsJsonAsync("/api/recalls", new { batchId = recalled, reason = "抽检不合格" }));
        var before = app.Snapshot();

        var tooMuch = await TeaTraceApp.Problem(await ShipAsync(_world.ProcessorKey, new { batchId = batch, toOrgId = _world.ShopId, kg = 4.001m, shippedAt = "2026-04-05T09:00:00+08:00" }),
            HttpStatusCode.UnprocessableEntity);
        Assert.Equal(4m, tooMuch.GetProperty("remainingKg").GetDecimal());
        await TeaTraceApp.Problem(await ShipAsync(_world.ProcessorKey, new { batchId = open, toOrgId = _world.ShopId, kg = 1m, shippedAt = "2026-04-05T09:00:00+08:00" }), HttpStatusCode.Conflict);
        await TeaTraceApp.Problem(await ShipAsync(_world.ProcessorKey, new { batchId = batch, toOrgId = _world.OtherFactoryId, kg = 1m, shippedAt = "2026-04-05T09:00:00+08:00" }),
            HttpStatusCode.UnprocessableEntity);
        await TeaTraceApp.Problem(await ShipAsync(_world.ProcessorKey, new { batchId = recalled, toOrgId = _world.ShopId, kg = 1m, shippedAt = "2026-04-05T09:00:00+08:00" }),
            HttpStatusCode.UnprocessableEntity);
        await TeaTraceApp.Problem(await ShipAsync(_world.OtherProcessorKey, new { batchId = batch, toOrgId = _world.ShopId, kg = 1m, shippedAt = "2026-04-05T09:00:00+08:00" }),
            HttpStatusCode.Forbidden);
        await TeaTraceApp.Problem(await ShipAsync(_world.ProcessorKey, new { batchId = "bat_nope", toOrgId = _world.ShopId, kg = 1m, shippedAt = "2026-04-05T09:00:00+08:00" }),
            HttpStatusCode.NotFound);
        await TeaTraceApp.Problem(await ShipAsync(_world.ProcessorKey, new { batchId = batch, toOrgId = _world.ShopId, kg = 1m, shippedAt = "2026-04-04T09:00:00+08:00" }),
            HttpStatusCode.BadRequest); // before the batch was completed
        await TeaTraceApp.Problem(await ShipAsync(_world.ProcessorKey, new { batchId = batch, lotId = "lot_x", toOrgId = _world.ShopId, kg = 1m, shippedAt = "2026-04-05T09:00:00+08:00" }),
            HttpStatusCode.BadRequest);
        await TeaTraceApp.Problem(await ShipAsync(_world.ProcessorKey, new { batchId = batch, toOrgId = _world.ShopId, units = 3, shippedAt = "2026-04-05T09:00:00+08:00" }),
            HttpStatusCode.BadRequest);
        await TeaTraceApp.Problem(await ShipAsync(_world.DistributorKey, new { batchId = batch, toOrgId = _world.ShopId, kg = 1m, shippedAt = "2026-04-05T09:00:00+08:00" }),
            HttpStatusCode.Forbidden);
        Assert.Equal(before, app.Snapshot());

        // Exactly what is left can go.
        await app.ShipAsync(_world.ProcessorKey, batch, _world.ShopId, 4m);
    }

    [Fact]
    public async Task Receipt_IsRefused_ForAnotherShop_AboveOrFarBelowTheShippedWeight_BeforeShipping_AndTwice()
    {
        var batch = await app.CompletedBatchAsync(_world, 100m, 24m);
        var id = (await app.ShipAsync(_world.ProcessorKey, batch, _world.ShopId, 10m)).GetProperty("id").GetString()!;
        var otherShop = await OtherShopKeyAsync();
        var before = app.Snapshot();

        await TeaTraceApp.Problem(await ReceiveAsync(otherShop, id, new { receivedAt = "2026-04-06T10:00:00+08:00", receivedKg = 10m }), HttpStatusCode.Forbidden);
        await TeaTraceApp.Problem(await ReceiveAsync(_world.ProcessorKey, id, new { receivedAt = "2026-04-06T10:00:00+08:00", receivedKg = 10m }), HttpStatusCode.Forbidden);
        var heavier = await TeaTraceApp.Problem(await ReceiveAsync(_world.DistributorKey, id, new { receivedAt = "2026-04-06T10:00:00+08:00", receivedKg = 10.001m }),
            HttpStatusCode.UnprocessableEntity);
        Assert.Equal(10m, heavier.GetProperty("shippedKg").GetDecimal());
        var lighter = await TeaTraceApp.Problem(await ReceiveAsync(_world.DistributorKey, id, new { receivedAt = "2026-04-06T10:00:00+08:00", receivedKg = 9.89m }),
            HttpStatusCode.UnprocessableEntity);
        Assert.Equal(9.9m, lighter.GetProperty("leastKg").GetDecimal());
        await TeaTraceApp.Problem(await ReceiveAsync(_world.DistributorKey, id, new { receivedAt = "2026-04-05T08:00:00+08:00", receivedKg = 10m }), HttpStatusCode.BadRequest);
        await TeaTraceApp.Problem(await ReceiveAsync(_world.DistributorKey, id, new { receivedAt = "2026-04-06T10:00:00+08:00" }), HttpStatusCode.BadRequest);
        await TeaTraceApp.Problem(await ReceiveAsync(_world.DistributorKey, id, new { receivedAt = "2026-04-06T10:00:00+08:00", receivedKg = 10m, receivedUnits = 3 }),
            HttpStatusCode.BadRequest);
        await TeaTraceApp.Problem(await ReceiveAsync(_world.DistributorKey, "shp_nope", new { receivedAt = "2026-04-06T10:00:00+08:00", receivedKg = 10m }), HttpStatusCode.NotFound);
        Assert.Equal(before, app.Snapshot());

        await TeaTraceApp.Created(await ReceiveAsync(_world.DistributorKey, id, new { receivedAt = "2026-04-06T10:00:00+08:00", receivedKg = 9.9m }));
        before = app.Snapshot();
        await TeaTraceApp.Problem(await ReceiveAsync(_world.DistributorKey, id, new { receivedAt = "2026-04-06T10:00:00+08:00", receivedKg = 9.9m }), HttpStatusCode.Conflict);
        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task Tins_GoInPackingOrder_TheShopSellsWhatItCountedIn_AndTheFactoryNoLongerSellsThem()
    {
        var batch = await app.CompletedBatchAsync(_world);
        var lot = (await TeaTraceApp.Created(await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(batch, unitCount: 10)))).GetProperty("id").GetString()!;
        await Trade(_world.ProcessorKey, lot, 2, HttpStatusCode.Created); // tins 1 and 2

        var shipment = await app.ShipTinsAsync(_world.ProcessorKey, lot, _world.ShopId, 5); // tins 3 to 7
        var id = shipment.GetProperty("id").GetString()!;
        Assert.Equal("tins", shipment.GetProperty("kind").GetString());
        Assert.Equal(1.25m, shipment.GetProperty("kg").GetDecimal());
        var before = app.Snapshot();
        var short4 = await TeaTraceApp.Problem(await ShipAsync(_world.ProcessorKey, new { lotId = lot, toOrgId = _world.ShopId, units = 4, shippedAt = "2026-04-09T09:00:00+08:00" }),
            HttpStatusCode.UnprocessableEntity);
        Assert.Equal(3, short4.GetProperty("remainingUnits").GetInt32());
        await TeaTraceApp.Problem(await ShipAsync(_world.ProcessorKey, new { lotId = lot, toOrgId = _world.ShopId, units = 1, kg = 0.25m, shippedAt = "2026-04-09T09:00:00+08:00" }),
            HttpStatusCode.BadRequest);

        // Not yet received: the shop does not hold them, and the factory no longer does.
        await Trade(_world.DistributorKey, lot, 1, HttpStatusCode.Forbidden);
        await Trade(_world.ProcessorKey, lot, 4, HttpStatusCode.UnprocessableEntity);
        await TeaTraceApp.Problem(await ReceiveAsync(_world.DistributorKey, id, new { receivedAt = "2026-04-09T15:00:00+08:00", receivedUnits = 6 }), HttpStatusCode.UnprocessableEntity);
        await TeaTraceApp.Problem(await ReceiveAsync(_world.DistributorKey, id, new { receivedAt = "2026-04-09T15:00:00+08:00", receivedKg = 1.25m }), HttpStatusCode.BadRequest);
        Assert.Equal(before, app.Snapshot());

        // One tin short on arrival: the shop holds four, and no one holds the fifth.
        var receipt = await app.ReceiveShipmentAsync(_world.DistributorKey, id, receivedUnits: 4);
        Assert.Equal(1m, receipt.GetProperty("receivedKg").GetDecimal());
        await Trade(_world.DistributorKey, lot, 5, HttpStatusCode.UnprocessableEntity);
        await Trade(_world.DistributorKey, lot, 4, HttpStatusCode.Created);
        await Trade(await OtherShopKeyAsync(), lot, 1, HttpStatusCode.Forbidden);
        await Trade(_world.ProcessorKey, lot, 3, HttpStatusCode.Created);
        await Trade(_world.ProcessorKey, lot, 1, HttpStatusCode.UnprocessableEntity);

        var units = (await TeaTraceApp.Expect(await app.Client(_world.ProcessorKey).GetAsync($"/api/lots/{lot}/units"), HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().Select(u => u.GetProperty("status").GetString()).ToList();
        Assert.Equal(["sold", "sold", "sold", "sold", "sold", "sold", "issued", "sold", "sold", "sold"], units);
    }

    private async Task Trade(string key, string lotId, int units, HttpStatusCode expected)
    {
        var response = await app.Client(key).PostAsJsonAsync("/api/trades", new { lotId, buyer = "茶客", units, unitPriceCny = 200, tradedAt = "2026-04-10T10:00:00+08:00" });
        if (expected == HttpStatusCode.Created)
        {
            await TeaTraceApp.Created(response);
        }
        else
        {
            await TeaTraceApp.Problem(response, expected);
        }
    }

    [Fact]
    public async Task Gtin_BelongsToItsFirstPacker_AShopCannotPackAFactorysGtinUnderAFakeName_AndThePublicPageNeverShowsIt()
    {
        var batch = await app.CompletedBatchAsync(_world);
        await TeaTraceApp.Created(await PackAsync(_world.ProcessorKey, batch, 4, 250, "06901234560015", "英德红茶·英红九号 特级 250 g"));
        await app.ShipToShopAsync(_world, batch, 5m);
        var before = app.Snapshot();

        // The attacker holds real tea of the batch, but not the factory's code.
        var fake = await TeaTraceApp.Problem(await PackAsync(_world.DistributorKey, batch, 4, 250, "06901234560015", "假冒警告 FAKE"), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("06901234560015", fake.GetProperty("gtin").GetString());
        // A factory with a GS1 company prefix packs only under it.
        var outside = Scenario.NewGtin();
        var prefix = await TeaTraceApp.Problem(await PackAsync(_world.ProcessorKey, batch, 4, 250, outside), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("690123456", prefix.GetProperty("gs1CompanyPrefix").GetString());
        Assert.Equal(before, app.Snapshot());

        foreach (var accept in new[] { "text/html", "application/json", "application/linkset+json" })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/01/06901234560015");
            request.Headers.Accept.ParseAdd(accept);
            var body = await (await app.Client().SendAsync(request)).Content.ReadAsStringAsync();
            Assert.DoesNotContain("FAKE", body, StringComparison.Ordinal);
            Assert.DoesNotContain("假冒", body, StringComparison.Ordinal);
        }

        // The shop packs under a GTIN of its own; it is then the shop's, and another shop is refused it.
        var own = Scenario.NewGtin();
        await TeaTraceApp.Created(await PackAsync(_world.DistributorKey, batch, 4, 250, own));
        var otherShop = await OtherShopKeyAsync();
        await TeaTraceApp.Problem(await PackAsync(otherShop, batch, 1, 250, own), HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task ParallelShipments_OfOneBatch_NeverShipMoreThanWasMade_AndParallelReceipts_RecordOne()
    {
        var batch = await app.CompletedBatchAsync(_world, 100m, 24m);

        var shipped = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ =>
            ShipAsync(_world.ProcessorKey, new { batchId = batch, toOrgId = _world.ShopId, kg = 1m, shippedAt = "2026-04-05T09:00:00+08:00" })));
        Assert.Equal(24, shipped.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(6, shipped.Count(r => r.StatusCode == HttpStatusCode.UnprocessableEntity));
        var read = await TeaTraceApp.Expect(await app.Client(_world.ProcessorKey).GetAsync($"/api/batches/{batch}"), HttpStatusCode.OK);
        Assert.Equal(0m, read.GetProperty("remainingMadeTeaKg").GetDecimal());

        var id = (await TeaTraceApp.Created(shipped.First(r => r.StatusCode == HttpStatusCode.Created))).GetProperty("id").GetString()!;
        var received = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            ReceiveAsync(_world.DistributorKey, id, new { receivedAt = "2026-04-06T10:00:00+08:00", receivedKg = 1m })));
        Assert.Equal(1, received.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(19, received.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(1, LedgerTests.Entries(app).Count(e => e.Type == "shipment.received" && e.Body.Contains(id, StringComparison.Ordinal)));
        var audit = await TeaTraceApp.Expect(await app.Admin().GetAsync("/api/ledger/audit"), HttpStatusCode.OK);
        Assert.True(audit.GetProperty("ok").GetBoolean(), audit.GetRawText());
    }
}
