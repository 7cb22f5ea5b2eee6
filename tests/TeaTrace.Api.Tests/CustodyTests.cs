using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace TeaTrace.Api.Tests;

/// <summary>Leaf changes hands as two records: the seller's sale with its 承诺达标合格证, the buyer's receipt (or rejection).</summary>
public sealed class CustodyTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>, IAsyncLifetime
{
    private World _world = null!;

    public async Task InitializeAsync() => _world = await app.CreateWorldAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string> HarvestAsync(decimal kg = 100m) =>
        (await app.HarvestAsync(_world.CoopFarmerKey, await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId), kg)).GetProperty("id").GetString()!;

    private Task<HttpResponseMessage> SellAsync(string key, object body) => app.Client(key).PostAsJsonAsync("/api/leaf-sales", body);

    private static object Sale(string buyerOrgId, params (string HarvestId, decimal Kg)[] lines) => new
    {
        buyerOrgId,
        soldAt = "2026-04-03T09:00:00+08:00",
        basis = "control",
        pricePerKgCny = 38.5m,
        harvests = lines.Select(l => new { harvestId = l.HarvestId, kg = l.Kg }),
    };

    private async Task<JsonElement> SoldAsync(params (string HarvestId, decimal Kg)[] lines) =>
        await TeaTraceApp.Created(await SellAsync(_world.CoopFarmerKey, Sale(_world.FactoryId, lines)));

    private Task<HttpResponseMessage> ReceiveAsync(string key, string number, decimal kg, string? corrects = null, string receivedAt = "2026-04-03T11:00:00+08:00") =>
        app.Client(key).PostAsJsonAsync("/api/leaf-receipts", new { certificateNo = number, receivedAt, receivedKg = kg, correctsReceiptId = corrects });

    private async Task<decimal> UnsoldAsync(string harvestId) =>
        (await TeaTraceApp.Expect(await app.Client(_world.CoopFarmerKey).GetAsync($"/api/harvests/{harvestId}"), HttpStatusCode.OK)).GetProperty("remainingKg").GetDecimal();

    private long LastEntry(string type)
    {
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT max(idx) FROM ledger_entries WHERE type = $type";
        command.Parameters.AddWithValue("$type", type);
        return (long)command.ExecuteScalar()!;
    }

    private async Task<string> EntryBodyAsync(long index)
    {
        var entry = await TeaTraceApp.Expect(await app.Client().GetAsync($"/api/ledger/entries/{index}"), HttpStatusCode.OK);
        return Encoding.UTF8.GetString(Convert.FromBase64String(entry.GetProperty("body").GetString()!));
    }

    [Fact]
    public async Task Sale_OfAMixedLoad_IssuesTheCertificate_WithEveryRequiredField_AndSealsThePrice()
    {
        var first = await HarvestAsync(100m);
        var second = await HarvestAsync(60m);
        var before = app.LedgerSize();

        var sale = await SoldAsync((first, 70m), (second, 60m));

        var number = sale.GetProperty("certificateNo").GetString()!;
        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{12}$", number);
        var certificate = sale.GetProperty("certificate");
        Assert.Equal("issued", certificate.GetProperty("status").GetString());
        Assert.Equal($"{number[..4]}-{number[4..8]}-{number[8..]}", certificate.GetProperty("displayNo").GetString());
        Assert.Equal(130m, certificate.GetProperty("kg").GetDecimal());
        Assert.Equal("control", certificate.GetProperty("basis").GetString());
        Assert.Contains("茶鲜叶", certificate.GetProperty("productName").GetString());
        Assert.Equal("英红镇", certificate.GetProperty("origin").GetString());
        Assert.Equal(_world.CoopId, certificate.GetProperty("issuer").GetProperty("orgId").GetString());
        Assert.Equal(_world.FactoryId, certificate.GetProperty("buyer").GetProperty("orgId").GetString());
        Assert.Equal(4, certificate.GetProperty("commitment").GetArrayLength());
        Assert.Contains(certificate.GetProperty("commitment").EnumerateArray(), i => i.GetProperty("zh").GetString()!.Contains("禁用农药", StringComparison.Ordinal));
        Assert.False(string.IsNullOrEmpty(certificate.GetProperty("commitmentVersion").GetString()));
        Assert.Equal(2, certificate.GetProperty("harvests").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, certificate.GetProperty("receipt").ValueKind);
        Assert.EndsWith($"/c/{number}", certificate.GetProperty("url").GetString());
        Assert.Equal(38.5m, sale.GetProperty("pricePerKgCny").GetDecimal());

        // The sale is one entry; the price is sealed beside it, the rest is public.
        Assert.Equal(before + 1, app.LedgerSize());
        var body = await EntryBodyAsync(LastEntry("leaf.sold"));
        Assert.Contains(number, body, StringComparison.Ordinal);
        Assert.Contains("\"commitment\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("38.5", body, StringComparison.Ordinal);
        Assert.DoesNotContain("pricePerKgCny", body, StringComparison.Ordinal);

        // The grower has that much less unsold; the buyer and the issuer read it, another factory does not.
        Assert.Equal(30m, await UnsoldAsync(first));
        Assert.Equal(0m, await UnsoldAsync(second));
        await TeaTraceApp.Expect(await app.Client(_world.ProcessorKey).GetAsync($"/api/certificates/{number.ToLowerInvariant()}"), HttpStatusCode.OK);
        await TeaTraceApp.Expect(await app.Client(_world.RegulatorKey).GetAsync($"/api/certificates/{number}"), HttpStatusCode.OK);
        await TeaTraceApp.Problem(await app.Client(_world.OtherProcessorKey).GetAsync($"/api/certificates/{number}"), HttpStatusCode.Forbidden);
        var qr = await app.Client(_world.CoopFarmerKey).GetAsync($"/api/certificates/{number}/qr.png");
        Assert.Equal(HttpStatusCode.OK, qr.StatusCode);
        Assert.Equal("image/png", qr.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Sale_OnATestBasis_NeedsPassingTests_CoveringWhatWasSprayed_AndAFailedTestStopsEveryBasis()
    {
        var plot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId);
        await TeaTraceApp.Created(await app.Client(_world.CoopFarmerKey).PostAsJsonAsync($"/api/plots/{plot}/inputs", new
        {
            kind = "pesticide",
            product = "2.5% 联苯菊酯水乳剂",
            activeIngredient = "联苯菊酯",
            source = "英德市农资门市",
            dose = 30,
            doseUnit = "mL/mu",
            method = "spray",
            appliedOn = "2026-03-10",
            preHarvestIntervalDays = 7,
        }));
        var harvest = (await app.HarvestAsync(_world.CoopFarmerKey, plot, 100m)).GetProperty("id").GetString()!;
        var rapid = (await app.ResidueTestAsync(_world.CoopFarmerKey, ResidueScenario.Rapid(plot, 12.0))).GetProperty("id").GetString()!;
        object Sale(string basis, params string[] tests) => new
        {
            buyerOrgId = _world.FactoryId,
            soldAt = "2026-04-03T09:00:00+08:00",
            basis,
            residueTestIds = tests,
            harvests = new[] { new { harvestId = harvest, kg = 40m } },
        };
        var before = app.Snapshot();

        // A strip test says nothing of a pyrethroid: the sale is refused, and told a laboratory test is needed.
        var refused = await TeaTraceApp.Problem(await SellAsync(_world.CoopFarmerKey, Sale("self-test", rapid)), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("联苯菊酯", refused.GetProperty("detail").GetString());
        Assert.Contains("laboratory", refused.GetProperty("detail").GetString());
        await TeaTraceApp.Problem(await SellAsync(_world.CoopFarmerKey, Sale("self-test", "rt_nope")), HttpStatusCode.NotFound);
        Assert.Equal(before, app.Snapshot());

        // A laboratory's test of bifenthrin covers it; an entrusted-test basis needs the lab's own test.
        var (_, labKey) = await app.LabAsync("英德市农产品质量检测站");
        var lab = (await app.ResidueTestAsync(labKey, ResidueScenario.Lab(plot, new { pesticide = "bifenthrin", mgPerKg = 0.4 }))).GetProperty("id").GetString()!;
        await TeaTraceApp.Problem(await SellAsync(_world.CoopFarmerKey, Sale("entrusted-test", rapid)), HttpStatusCode.UnprocessableEntity);
        var sold = await TeaTraceApp.Created(await SellAsync(_world.CoopFarmerKey, Sale("entrusted-test", lab, rapid)));
        Assert.Equal("entrusted-test", sold.GetProperty("certificate").GetProperty("basis").GetString());
        Assert.Equal([lab, rapid], sold.GetProperty("certificate").GetProperty("residueTestIds").EnumerateArray().Select(t => t.GetString()));

        // Once the plot's latest test failed, no basis sells its leaf, not even control, until a later test passes.
        await app.ResidueTestAsync(labKey, ResidueScenario.Lab(plot, new { pesticide = "bifenthrin", mgPerKg = 7.5 }));
        var failed = await TeaTraceApp.Problem(await SellAsync(_world.CoopFarmerKey, Sale("control")), HttpStatusCode.UnprocessableEntity);
        Assert.Contains(plot, failed.GetRawText());
    }

    [Fact]
    public async Task PublicPage_ShowsTheCertificate_AndItsProof_ToAnyoneWithTheNumber_NeverThePrice()
    {
        var harvest = await HarvestAsync(100m);
        var number = (await SoldAsync((harvest, 80m))).GetProperty("certificateNo").GetString()!;
        await app.Services.GetRequiredService<Features.LedgerApi.CheckpointSigner>().SignIfGrownAsync();

        var json = app.Client();
        json.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        var page = await TeaTraceApp.Expect(await json.GetAsync($"/c/{number[..4]}-{number[4..8]}-{number[8..]}"), HttpStatusCode.OK);
        Assert.Equal(number, page.GetProperty("certificate").GetProperty("certificateNo").GetString());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("certificate").GetProperty("receipt").ValueKind);
        Assert.DoesNotContain("38.5", page.GetRawText(), StringComparison.Ordinal);
        var proof = page.GetProperty("proof");
        Assert.Equal("leaf.sold", proof.GetProperty("entryType").GetString());
        var body = Convert.FromBase64String(proof.GetProperty("entryBody").GetString()!);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([0x00, .. body])), proof.GetProperty("leafHash").GetString());

        var html = await app.Client().GetStringAsync($"/c/{number}");
        Assert.Contains("承诺达标合格证", html, StringComparison.Ordinal);
        Assert.Contains("Compliance certificate", html, StringComparison.Ordinal);
        Assert.Contains("质量安全控制", html, StringComparison.Ordinal);
        Assert.Contains("80 公斤", html, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotContain("38.5", html, StringComparison.Ordinal);
        Assert.Contains("class=\"narrow\"", await app.Client().GetStringAsync($"/c/{number}?print=58mm"), StringComparison.Ordinal);

        // Once received, the page says by whom and when.
        await TeaTraceApp.Created(await ReceiveAsync(_world.ProcessorKey, number, 78.2m));
        var received = await app.Client().GetStringAsync($"/c/{number}");
        Assert.Contains("英德红茶加工厂 于 2026-04-03 11:00 收货 78.2 公斤", received, StringComparison.Ordinal);
        await TeaTraceApp.Problem(await app.Client().GetAsync("/c/ZZZZ-ZZZZ-ZZZZ"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Buyers_AreTheFactoriesAndCooperatives_ButTheSellersOwn()
    {
        var buyers = await TeaTraceApp.Expect(await app.Client(_world.CoopFarmerKey).GetAsync("/api/leaf-buyers"), HttpStatusCode.OK);
        var ids = buyers.EnumerateArray().Select(b => b.GetProperty("orgId").GetString()).ToList();
        Assert.Contains(_world.FactoryId, ids);
        Assert.Contains(_world.OtherFactoryId, ids);
        Assert.DoesNotContain(_world.CoopId, ids);
        Assert.DoesNotContain(_world.ShopId, ids);
        Assert.All(buyers.EnumerateArray(), b => Assert.Contains(b.GetProperty("kind").GetString(), new[] { "factory", "cooperative" }));
    }

    [Fact]
    public async Task ConsumerScan_ShowsTheCustodyChain_WithTheCertificate_AndWhatArrived()
    {
        var batch = await app.CompletedBatchAsync(_world);
        var lot = (await TeaTraceApp.Created(await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(batch, unitCount: 2, gtin: "06901234560015")))).GetProperty("id").GetString()!;
        var units = await TeaTraceApp.Expect(await app.Client(_world.ProcessorKey).GetAsync($"/api/lots/{lot}/units"), HttpStatusCode.OK);
        var url = new Uri(units.GetProperty("items")[0].GetProperty("url").GetString()!).PathAndQuery;

        var json = app.Client();
        json.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        var doc = await TeaTraceApp.Expect(await json.GetAsync(url), HttpStatusCode.OK);
        var handOver = Assert.Single(doc.GetProperty("custody").EnumerateArray());
        Assert.Equal("leaf-sale", handOver.GetProperty("kind").GetString());
        Assert.Equal("英红镇茶叶合作社", handOver.GetProperty("from").GetString());
        Assert.Equal("英德红茶加工厂", handOver.GetProperty("to").GetString());
        Assert.Equal("received", handOver.GetProperty("status").GetString());
        Assert.Equal(100m, handOver.GetProperty("receivedKg").GetDecimal());
        var number = handOver.GetProperty("number").GetString()!;

        var html = await app.Client().GetStringAsync(url);
        Assert.Contains($"href=\"/c/{number}\"", html, StringComparison.Ordinal);
        Assert.Contains("英红镇茶叶合作社 → 英德红茶加工厂", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sale_Refusals_AreClear_AndWriteNothing()
    {
        var harvest = await HarvestAsync(50m);
        var farmHarvest = (await app.HarvestAsync(_world.FarmFarmerKey, await app.PlotAsync(_world.FarmFarmerKey, _world.FarmId), 10m)).GetProperty("id").GetString()!;
        var before = app.Snapshot();

        var more = await TeaTraceApp.Problem(await SellAsync(_world.CoopFarmerKey, Sale(_world.FactoryId, (harvest, 50.001m))), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(50m, more.GetProperty("leftKg").GetDecimal());
        Assert.Equal(harvest, more.GetProperty("harvestId").GetString());
        var shop = await TeaTraceApp.Problem(await SellAsync(_world.CoopFarmerKey, Sale(_world.ShopId, (harvest, 5m))), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("factory or a cooperative", shop.GetProperty("detail").GetString());
        await TeaTraceApp.Problem(await SellAsync(_world.CoopFarmerKey, Sale(_world.CoopId, (harvest, 5m))), HttpStatusCode.UnprocessableEntity);
        await TeaTraceApp.Problem(await SellAsync(_world.CoopFarmerKey, Sale(_world.FactoryId, (farmHarvest, 5m))), HttpStatusCode.Forbidden);
        await TeaTraceApp.Problem(await SellAsync(_world.CoopFarmerKey, Sale(_world.FactoryId, ("hv_nope", 5m))), HttpStatusCode.NotFound);
        await TeaTraceApp.Problem(await SellAsync(_world.CoopFarmerKey, Sale("org_nope", (harvest, 5m))), HttpStatusCode.NotFound);
        await TeaTraceApp.Problem(await SellAsync(_world.CoopFarmerKey, Sale(_world.FactoryId, (harvest, 5m), (harvest, 5m))), HttpStatusCode.BadRequest);
        await TeaTraceApp.Problem(await SellAsync(_world.ProcessorKey, Sale(_world.FactoryId, (harvest, 5m))), HttpStatusCode.Forbidden);
        var untested = await TeaTraceApp.Problem(await SellAsync(_world.CoopFarmerKey, new
        {
            buyerOrgId = _world.FactoryId,
            soldAt = "2026-04-03T09:00:00+08:00",
            basis = "self-test",
            harvests = new[] { new { harvestId = harvest, kg = 5m } },
        }), HttpStatusCode.BadRequest);
        Assert.True(untested.GetProperty("errors").TryGetProperty("residueTestIds", out _));
        await TeaTraceApp.Problem(await SellAsync(_world.CoopFarmerKey, new
        {
            buyerOrgId = _world.FactoryId,
            soldAt = "2026-04-03T09:00:00+08:00",
            basis = "control",
            certificateNo = "not-a-number!",
            harvests = new[] { new { harvestId = harvest, kg = 5m } },
        }), HttpStatusCode.BadRequest);
        await TeaTraceApp.Problem(await SellAsync(_world.CoopFarmerKey, new
        {
            buyerOrgId = _world.FactoryId,
            soldAt = "2026-04-01T09:00:00+08:00",
            basis = "control",
            harvests = new[] { new { harvestId = harvest, kg = 5m } },
        }), HttpStatusCode.UnprocessableEntity); // sold the day before it was picked
        await TeaTraceApp.Problem(await SellAsync(_world.CoopFarmerKey, new
        {
            buyerOrgId = _world.FactoryId,
            soldAt = "2099-04-01T09:00:00+08:00",
            basis = "control",
            harvests = new[] { new { harvestId = harvest, kg = 5m } },
        }), HttpStatusCode.BadRequest);

        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task OfflineNumber_MintedByThePhone_IsKept_AndATakenNumber_Is409AndWritesNothing()
    {
        var harvest = await HarvestAsync(40m);
        var body = new
        {
            buyerOrgId = _world.FactoryId,
            soldAt = "2026-04-03T09:00:00+08:00",
            basis = "control",
            certificateNo = "7kq3-m9tx-2hfo",
            harvests = new[] { new { harvestId = harvest, kg = 10m } },
        };
        var sale = await TeaTraceApp.Created(await SellAsync(_world.CoopFarmerKey, body));
        Assert.Equal("7KQ3M9TX2HF0", sale.GetProperty("certificateNo").GetString()); // read as printed: O is 0
        var before = app.Snapshot();

        var taken = await TeaTraceApp.Problem(await SellAsync(_world.CoopFarmerKey, body with { }), HttpStatusCode.Conflict);
        Assert.Contains("void", taken.GetProperty("detail").GetString());
        Assert.Equal(before, app.Snapshot());
        Assert.Equal(30m, await UnsoldAsync(harvest));
    }

    [Fact]
    public async Task Receipt_ByTheBuyer_SharesTheWeightOverTheLoad_AndACorrectionReplacesIt()
    {
        var first = await HarvestAsync(100m);
        var second = await HarvestAsync(100m);
        var number = (await SoldAsync((first, 60m), (second, 40m))).GetProperty("certificateNo").GetString()!;
        var before = app.Snapshot();

        // Not the buyer, not the buyer's kind of key, more than sold, too much lost: refused, nothing written.
        await TeaTraceApp.Problem(await ReceiveAsync(_world.OtherProcessorKey, number, 95m), HttpStatusCode.Forbidden);
        await TeaTraceApp.Problem(await ReceiveAsync(_world.CoopFarmerKey, number, 95m), HttpStatusCode.Forbidden);
        await TeaTraceApp.Problem(await ReceiveAsync(_world.DistributorKey, number, 95m), HttpStatusCode.Forbidden);
        var over = await TeaTraceApp.Problem(await ReceiveAsync(_world.ProcessorKey, number, 100.001m), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(100m, over.GetProperty("soldKg").GetDecimal());
        var lost = await TeaTraceApp.Problem(await ReceiveAsync(_world.ProcessorKey, number, 89.999m), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(90m, lost.GetProperty("leastKg").GetDecimal());
        await TeaTraceApp.Problem(await ReceiveAsync(_world.ProcessorKey, "ZZZZZZZZZZZZ", 95m), HttpStatusCode.NotFound);
        Assert.Equal(before, app.Snapshot());

        var receipt = await TeaTraceApp.Created(await ReceiveAsync(_world.ProcessorKey, number, 95m));
        var lines = receipt.GetProperty("harvests").EnumerateArray().ToDictionary(l => l.GetProperty("harvestId").GetString()!, l => l.GetProperty("kg").GetDecimal());
        Assert.Equal(57m, lines[first]);
        Assert.Equal(38m, lines[second]);
        var held = await TeaTraceApp.Expect(await app.Client(_world.ProcessorKey).GetAsync($"/api/harvests/{first}"), HttpStatusCode.OK);
        Assert.Equal(57m, held.GetProperty("heldKg").GetDecimal());
        Assert.Equal(40m, held.GetProperty("remainingKg").GetDecimal());
        var certificate = await TeaTraceApp.Expect(await app.Client(_world.CoopFarmerKey).GetAsync($"/api/certificates/{number}"), HttpStatusCode.OK);
        Assert.Equal("received", certificate.GetProperty("status").GetString());
        Assert.Equal(95m, certificate.GetProperty("receipt").GetProperty("receivedKg").GetDecimal());
        Assert.Equal("英德红茶加工厂", certificate.GetProperty("receipt").GetProperty("receivedBy").GetString());

        // Received once: again is 409; a correction names the receipt it corrects, and replaces it.
        var again = await TeaTraceApp.Problem(await ReceiveAsync(_world.ProcessorKey, number, 95m), HttpStatusCode.Conflict);
        Assert.Contains("correctsReceiptId", again.GetProperty("detail").GetString());
        var firstId = receipt.GetProperty("id").GetString()!;
        var corrected = await TeaTraceApp.Created(await ReceiveAsync(_world.ProcessorKey, number, 97.5m, firstId));
        await TeaTraceApp.Problem(await ReceiveAsync(_world.ProcessorKey, number, 96m, firstId), HttpStatusCode.Conflict);
        certificate = await TeaTraceApp.Expect(await app.Client(_world.ProcessorKey).GetAsync($"/api/certificates/{number}"), HttpStatusCode.OK);
        Assert.Equal(97.5m, certificate.GetProperty("receipt").GetProperty("receivedKg").GetDecimal());
        Assert.Equal(corrected.GetProperty("id").GetString(), certificate.GetProperty("receipt").GetProperty("id").GetString());

        // The factory now holds 58.5 + 39 kg and draws no more than that of either harvest.
        var problem = await TeaTraceApp.Problem(await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/batches", new
        {
            factoryOrgId = _world.FactoryId,
            startedAt = "2026-04-03T15:00:00+08:00",
            claimsGi = true,
            inputs = new[] { new { harvestId = first, kg = 58.501m } },
        }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(58.5m, problem.GetProperty("receivedKg").GetDecimal());
        await app.BatchWithoutHandOverAsync(_world.ProcessorKey, _world.FactoryId, true, (first, 58.5m), (second, 39m));
        Assert.Equal(40m, await UnsoldAsync(first));

        // A received load can be neither rejected nor voided.
        await TeaTraceApp.Problem(await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/leaf-rejections", new { certificateNo = number, reason = "wet" }), HttpStatusCode.Conflict);
        await TeaTraceApp.Problem(await app.Client(_world.CoopFarmerKey).PostAsJsonAsync($"/api/certificates/{number}/void", new { reason = "typo" }), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Rejection_AtTheGate_AndVoidByTheIssuer_ReturnTheLeafToTheSeller()
    {
        var harvest = await HarvestAsync(100m);
        var rejected = (await SoldAsync((harvest, 40m))).GetProperty("certificateNo").GetString()!;
        Assert.Equal(60m, await UnsoldAsync(harvest));

        await TeaTraceApp.Problem(await app.Client(_world.OtherProcessorKey).PostAsJsonAsync("/api/leaf-rejections", new { certificateNo = rejected, reason = "wet leaf" }), HttpStatusCode.Forbidden);
        var certificate = await TeaTraceApp.Expect(await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/leaf-rejections", new { certificateNo = rejected, reason = "叶面有水 wet leaf" }), HttpStatusCode.OK);
        Assert.Equal("rejected", certificate.GetProperty("status").GetString());
        Assert.Equal("叶面有水 wet leaf", certificate.GetProperty("ended").GetProperty("reason").GetString());
        Assert.Equal(100m, await UnsoldAsync(harvest));
        var before = app.Snapshot();
        await TeaTraceApp.Problem(await ReceiveAsync(_world.ProcessorKey, rejected, 40m), HttpStatusCode.Conflict);
        await TeaTraceApp.Problem(await app.Client(_world.CoopFarmerKey).PostAsJsonAsync($"/api/certificates/{rejected}/void", new { reason = "x" }), HttpStatusCode.Conflict);
        Assert.Equal(before, app.Snapshot());

        var voided = (await SoldAsync((harvest, 100m))).GetProperty("certificateNo").GetString()!;
        await TeaTraceApp.Problem(await app.Client(_world.FarmFarmerKey).PostAsJsonAsync($"/api/certificates/{voided}/void", new { reason = "x" }), HttpStatusCode.Forbidden);
        await TeaTraceApp.Problem(await app.Client(_world.CoopFarmerKey).PostAsJsonAsync($"/api/certificates/{voided}/void", new { reason = "" }), HttpStatusCode.BadRequest);
        certificate = await TeaTraceApp.Expect(await app.Client(_world.CoopFarmerKey).PostAsJsonAsync($"/api/certificates/{voided}/void", new { reason = "wrong buyer" }), HttpStatusCode.OK);
        Assert.Equal("voided", certificate.GetProperty("status").GetString());
        Assert.Equal(100m, await UnsoldAsync(harvest));
        await TeaTraceApp.Problem(await ReceiveAsync(_world.ProcessorKey, voided, 100m), HttpStatusCode.Conflict);
        Assert.Equal("certificate.voided", await LastTypeAsync());
    }

    private Task<string?> LastTypeAsync()
    {
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT type FROM ledger_entries ORDER BY idx DESC LIMIT 1";
        return Task.FromResult((string?)command.ExecuteScalar());
    }

    [Fact]
    public async Task TwentyParallelReceipts_OfOneCertificate_RecordExactlyOne()
    {
        var harvest = await HarvestAsync(100m);
        var number = (await SoldAsync((harvest, 100m))).GetProperty("certificateNo").GetString()!;
        var ledger = app.LedgerSize();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => ReceiveAsync(_world.ProcessorKey, number, 98m)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(ledger + 1, app.LedgerSize());
    }

    [Fact]
    public async Task ParallelSales_OfOneHarvest_NeverOversell()
    {
        var harvest = await HarvestAsync(100m);
        var ledger = app.LedgerSize();

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => SellAsync(_world.CoopFarmerKey, Sale(_world.FactoryId, (harvest, 7.5m)))));

        Assert.Equal(13, responses.Count(r => r.StatusCode == HttpStatusCode.Created)); // 13 × 7.5 = 97.5 kg
        Assert.Equal(17, responses.Count(r => r.StatusCode == HttpStatusCode.UnprocessableEntity));
        Assert.Equal(2.5m, await UnsoldAsync(harvest));
        Assert.Equal(ledger + 13, app.LedgerSize());
    }

    [Fact]
    public async Task ParallelBatches_OnReceivedLeaf_NeverOverdraw()
    {
        var harvest = await HarvestAsync(100m);
        var number = (await SoldAsync((harvest, 100m))).GetProperty("certificateNo").GetString()!;
        await TeaTraceApp.Created(await ReceiveAsync(_world.ProcessorKey, number, 95m));

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/batches", new
        {
            factoryOrgId = _world.FactoryId,
            startedAt = "2026-04-03T15:00:00+08:00",
            claimsGi = true,
            inputs = new[] { new { harvestId = harvest, kg = 10m } },
        })));

        Assert.Equal(9, responses.Count(r => r.StatusCode == HttpStatusCode.Created)); // 95 kg received: nine batches of 10
        Assert.Equal(11, responses.Count(r => r.StatusCode == HttpStatusCode.UnprocessableEntity));
    }

    [Fact]
    public async Task PurchaseLedger_ListsTheDaysLoads_WithTotals_ForTheBuyerAndRegulators()
    {
        var admin = app.Admin();
        var factory = await TeaTraceApp.CreateOrgAsync(admin, "台账测试茶厂", "factory", "英红镇");
        var processor = await TeaTraceApp.CreateKeyAsync(admin, factory, "processor");
        var a = await HarvestAsync(50m);
        var b = await HarvestAsync(80m);
        var first = (await TeaTraceApp.Created(await SellAsync(_world.CoopFarmerKey, Sale(factory, (a, 50m))))).GetProperty("certificateNo").GetString()!;
        var second = (await TeaTraceApp.Created(await SellAsync(_world.CoopFarmerKey, Sale(factory, (b, 80m))))).GetProperty("certificateNo").GetString()!;
        await TeaTraceApp.Created(await ReceiveAsync(processor, first, 48m, receivedAt: "2026-04-03T10:00:00+08:00"));
        var wrong = await TeaTraceApp.Created(await ReceiveAsync(processor, second, 75m));
        await TeaTraceApp.Created(await ReceiveAsync(processor, second, 78m, wrong.GetProperty("id").GetString()));

        var day = await TeaTraceApp.Expect(await app.Client(processor).GetAsync($"/api/orgs/{factory}/purchases?day=2026-04-03"), HttpStatusCode.OK);
        Assert.Equal(2, day.GetProperty("loads").GetInt32());
        Assert.Equal(130m, day.GetProperty("soldKg").GetDecimal());
        Assert.Equal(126m, day.GetProperty("receivedKg").GetDecimal()); // the corrected weight, once
        var rows = day.GetProperty("receipts").EnumerateArray().ToList();
        Assert.Equal([first, second], rows.Select(r => r.GetProperty("certificateNo").GetString()));
        Assert.All(rows, r => Assert.Equal(38.5m, r.GetProperty("pricePerKgCny").GetDecimal()));
        Assert.All(rows, r => Assert.Equal("英红镇茶叶合作社", r.GetProperty("sellerName").GetString()));

        var empty = await TeaTraceApp.Expect(await app.Client(processor).GetAsync($"/api/orgs/{factory}/purchases?day=2026-04-04"), HttpStatusCode.OK);
        Assert.Equal(0, empty.GetProperty("loads").GetInt32());
        await TeaTraceApp.Expect(await app.Client(_world.RegulatorKey).GetAsync($"/api/orgs/{factory}/purchases?day=2026-04-03"), HttpStatusCode.OK);
        await TeaTraceApp.Problem(await app.Client(_world.ProcessorKey).GetAsync($"/api/orgs/{factory}/purchases?day=2026-04-03"), HttpStatusCode.Forbidden);
        await TeaTraceApp.Problem(await app.Client(processor).GetAsync($"/api/orgs/{factory}/purchases?day=April"), HttpStatusCode.BadRequest);
    }
}
