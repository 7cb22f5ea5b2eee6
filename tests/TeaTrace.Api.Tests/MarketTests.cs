using System.Net;
using System.Net.Http.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using TeaTrace.Api.Features.Market;

namespace TeaTrace.Api.Tests;

public sealed class MarketTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>, IAsyncLifetime
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    private World _world = null!;

    public async Task InitializeAsync() => _world = await app.CreateWorldAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<string> LotAsync(string style, string grade, int units, int netWeightG) => app.SalesLotAsync(_world, style, grade, units, netWeightG);

    private Task<HttpResponseMessage> TradeAsync(string lotId, int units, decimal price, string tradedAt, string? key = null) =>
        app.Client(key ?? _world.ProcessorKey).PostAsJsonAsync("/api/trades", new { lotId, buyer = "广州芳村英红茶行", units, unitPriceCny = price, tradedAt, market = "芳村" });

    private Task RebuildAsync(string day, bool close = true) => app.Services.GetRequiredService<MarketStore>().RebuildDayAsync(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), close, CancellationToken.None);

    [Fact]
    public async Task Trade_SellsUnitsOnce_AndIsLedgered()
    {
        var lot = await LotAsync("strip", "special", 10, 250);
        var before = app.LedgerSize();

        var trade = await TeaTraceApp.Created(await TradeAsync(lot, 4, 268.50m, "2026-05-01T10:00:00+08:00"));

        Assert.Equal(6, trade.GetProperty("remainingUnits").GetInt32());
        Assert.Equal(1074.00m, trade.GetProperty("totalCny").GetDecimal());
        Assert.Equal(before + 1, app.LedgerSize());
        var units = await TeaTraceApp.Expect(await app.Client(_world.ProcessorKey).GetAsync($"/api/lots/{lot}/units"), HttpStatusCode.OK);
        Assert.Equal(["sold", "sold", "sold", "sold", "issued", "issued", "issued", "issued", "issued", "issued"],
            units.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("status").GetString()));

        var snapshot = app.Snapshot();
        var over = await TradeAsync(lot, 7, 268m, "2026-05-02T10:00:00+08:00");
        var problem = await TeaTraceApp.Problem(over, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(6, problem.GetProperty("remainingUnits").GetInt32());
        Assert.Equal(snapshot, app.Snapshot());
        await TeaTraceApp.Created(await TradeAsync(lot, 6, 268m, "2026-05-02T10:00:00+08:00"));
        await TeaTraceApp.Problem(await TradeAsync(lot, 1, 268m, "2026-05-03T10:00:00+08:00"), HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Trade_Refusals_WriteNothing()
    {
        var lot = await LotAsync("strip", "first", 5, 250);
        var before = app.Snapshot();

        await TeaTraceApp.Problem(await TradeAsync(lot, 1, 268.555m, "2026-05-01T10:00:00+08:00"), HttpStatusCode.BadRequest);
        await TeaTraceApp.Problem(await TradeAsync(lot, 1, 268m, "2026-04-01T10:00:00+08:00"), HttpStatusCode.UnprocessableEntity); // before packing
        await TeaTraceApp.Problem(await TradeAsync(lot, 0, 268m, "2026-05-01T10:00:00+08:00"), HttpStatusCode.BadRequest);
        await TeaTraceApp.Problem(await TradeAsync(lot, 1, 268m, "2026-05-01T10:00:00+08:00", _world.OtherProcessorKey), HttpStatusCode.Forbidden);
        await TeaTraceApp.Problem(await TradeAsync("lot_nope", 1, 268m, "2026-05-01T10:00:00+08:00"), HttpStatusCode.NotFound);
        await TeaTraceApp.Problem(await TradeAsync(lot, 1, 268m, "2026-05-01T10:00:00+08:00", _world.CoopFarmerKey), HttpStatusCode.Forbidden);
        Assert.Equal(before, app.Snapshot());

        await TeaTraceApp.Created(await app.Client(_world.RegulatorKey).PostAsJsonAsync("/api/recalls", new { lotId = lot, reason = "test" }));
        await TeaTraceApp.Problem(await TradeAsync(lot, 1, 268m, "2026-05-01T10:00:00+08:00"), HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task DailyFigures_MatchAHandComputation()
    {
        var special = await LotAsync("golden-tip", "special", 40, 100);
        var first = await LotAsync("golden-tip", "first", 40, 250);
        const string Day = "2026-06-10";
        await TeaTraceApp.Created(await TradeAsync(special, 3, 400m, $"{Day}T09:30:00+08:00"));
        await TeaTraceApp.Created(await TradeAsync(special, 5, 380m, $"{Day}T15:00:00+08:00"));
        await TeaTraceApp.Created(await TradeAsync(special, 2, 420m, $"{Day}T23:30:00+08:00"));
        await TeaTraceApp.Created(await TradeAsync(special, 4, 999m, "2026-06-10T23:30:00+07:00")); // 00:30 on the 11th in Shanghai
        await TeaTraceApp.Created(await TradeAsync(first, 6, 150m, $"{Day}T11:00:00+08:00"));

        await RebuildAsync(Day);
        var rows = await TeaTraceApp.Expect(await app.Client().GetAsync($"/api/market/daily?from={Day}&to={Day}&style=golden-tip"), HttpStatusCode.OK);

        Assert.Equal(2, rows.GetArrayLength());
        var s = rows.EnumerateArray().Single(r => r.GetProperty("grade").GetString() == "special");
        // 3 × 400 + 5 × 380 + 2 × 420 = 3,940 CNY for 10 units of 100 g = 1 kg.
        Assert.Equal(3, s.GetProperty("trades").GetInt32());
        Assert.Equal(10, s.GetProperty("units").GetInt32());
        Assert.Equal(1m, s.GetProperty("volumeKg").GetDecimal());
        Assert.Equal(380m, s.GetProperty("minPrice").GetDecimal());
        Assert.Equal(394m, s.GetProperty("avgPrice").GetDecimal());
        Assert.Equal(420m, s.GetProperty("maxPrice").GetDecimal());
        Assert.Equal(3940m, s.GetProperty("vwapPerKg").GetDecimal());
        Assert.True(s.GetProperty("closed").GetBoolean());
        var f = rows.EnumerateArray().Single(r => r.GetProperty("grade").GetString() == "first");
        // 6 × 150 = 900 CNY for 6 × 250 g = 1.5 kg → 600 CNY/kg.
        Assert.Equal(1.5m, f.GetProperty("volumeKg").GetDecimal());
        Assert.Equal(600m, f.GetProperty("vwapPerKg").GetDecimal());
    }

    [Fact]
    public async Task Rebuild_IsIdempotent_AndUpdatedMovesOnlyWhenFiguresDo()
    {
        var lot = await LotAsync("broken", "second", 40, 500);
        var other = await LotAsync("broken", "third", 40, 500);
        var Day = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).AddDays(-5).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture); // inside the feed's window
        await TeaTraceApp.Created(await TradeAsync(lot, 2, 88m, $"{Day}T10:00:00+08:00"));
        await TeaTraceApp.Created(await TradeAsync(other, 2, 60m, $"{Day}T10:00:00+08:00"));
        await RebuildAsync(Day, close: false);
        var first = await Figures(Day);
        Assert.All(first, r => Assert.Contains("\"closed\":false", r, StringComparison.Ordinal)); // five days old: still open for late trades

        await RebuildAsync(Day, close: false);
        await app.Services.GetRequiredService<MarketJobs>().RebuildAsync(Day, Day, CancellationToken.None);
        Assert.Equal(first, await Figures(Day));

        await TeaTraceApp.Created(await TradeAsync(lot, 1, 90m, $"{Day}T16:00:00+08:00"));
        await RebuildAsync(Day, close: false);
        var after = await Figures(Day);
        Assert.NotEqual(first.Single(r => r.Contains("\"second\"", StringComparison.Ordinal)), after.Single(r => r.Contains("\"second\"", StringComparison.Ordinal)));
        Assert.Equal(first.Single(r => r.Contains("\"third\"", StringComparison.Ordinal)), after.Single(r => r.Contains("\"third\"", StringComparison.Ordinal)));

        // The feed's entry for that day moved; its id did not.
        var feed = XDocument.Parse(await app.Client().GetStringAsync("/feed/market.atom"));
        var entry = feed.Root!.Elements(Atom + "entry").Single(e => e.Element(Atom + "id")!.Value == $"urn:teatrace:market:{Day}:broken");
        Assert.Equal(DateTimeOffset.Parse(System.Text.Json.JsonDocument.Parse(after.Single(r => r.Contains("\"second\"", StringComparison.Ordinal))).RootElement.GetProperty("changedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds(),
            DateTimeOffset.Parse(entry.Element(Atom + "updated")!.Value, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds());
    }

    private async Task<List<string>> Figures(string day)
    {
        var rows = await TeaTraceApp.Expect(await app.Client().GetAsync($"/api/market/daily?from={day}&to={day}&style=broken"), HttpStatusCode.OK);
        return rows.EnumerateArray().Select(r => r.GetRawText()).Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task AtomFeed_IsValidAtom()
    {
        var lot = await LotAsync("strip", "second", 20, 250);
        var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        await TeaTraceApp.Created(await TradeAsync(lot, 2, 200m, today.AddDays(-2).ToString("yyyy-MM-dd'T'10:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture)));
        await RebuildAsync(today.AddDays(-2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

        var response = await app.Client().GetAsync("/feed/market.atom");
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType?.MediaType);
        using var reader = System.Xml.XmlReader.Create(await response.Content.ReadAsStreamAsync(), new System.Xml.XmlReaderSettings { DtdProcessing = System.Xml.DtdProcessing.Prohibit });
        var feed = XDocument.Load(reader).Root!;

        Assert.Equal(Atom + "feed", feed.Name);
        foreach (var required in new[] { "id", "title", "updated", "author" })
        {
            Assert.Single(feed.Elements(Atom + required));
        }

        Assert.Contains(feed.Elements(Atom + "link"), l => (string?)l.Attribute("rel") == "self");
        var entries = feed.Elements(Atom + "entry").ToList();
        Assert.NotEmpty(entries);
        foreach (var entry in entries)
        {
            foreach (var required in new[] { "id", "title", "updated" })
            {
                Assert.Single(entry.Elements(Atom + required));
            }

            Assert.True(Uri.IsWellFormedUriString(entry.Element(Atom + "id")!.Value, UriKind.Absolute));
            Assert.True(DateTimeOffset.TryParse(entry.Element(Atom + "updated")!.Value, out _));
        }

        Assert.Equal(entries.Count, entries.Select(e => e.Element(Atom + "id")!.Value).Distinct().Count());
    }

    [Fact]
    public async Task MarketPage_DrawsChartsOnTheServer()
    {
        var lot = await LotAsync("strip", "third", 20, 250);
        var day = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).AddDays(-3);
        await TeaTraceApp.Created(await TradeAsync(lot, 2, 120m, day.ToString("yyyy-MM-dd'T'10:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture)));
        await RebuildAsync(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

        var response = await app.Client().GetAsync("/market");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<svg class=\"chart\"", html);
        Assert.Contains("data-style=\"strip\"", html);
        Assert.DoesNotContain("<script", html);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task ProductionStats_MatchAHandComputation()
    {
        var admin = app.Admin();
        var farm = await TeaTraceApp.CreateOrgAsync(admin, "黄花镇统计茶园", "farm", "黄花镇");
        var farmer = await TeaTraceApp.CreateKeyAsync(admin, farm, "farmer");
        var plotResponse = await app.Client(farmer).PostAsJsonAsync("/api/plots", new { orgId = farm, name = "统计地块", town = "黄花镇", cultivar = "秀红", areaMu = 2, latitude = 24.3, longitude = 113.1 });
        var plot = (await TeaTraceApp.Created(plotResponse)).GetProperty("id").GetString()!;
        var processed = (await app.HarvestAsync(farmer, plot, 100m, "2026-08-05")).GetProperty("id").GetString()!;
        await app.HarvestAsync(farmer, plot, 50m, "2026-08-06"); // not processed
        await app.HandOverAsync(_world.FactoryId, processed, 80m, "2026-08-05T10:00:00+08:00");
        var batch = (await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/batches", new
        {
            factoryOrgId = _world.FactoryId,
            startedAt = "2026-08-05T15:00:00+08:00",
            claimsGi = true,
            inputs = new[] { new { harvestId = processed, kg = 80m } },
        }));
        var batchId = (await TeaTraceApp.Created(batch)).GetProperty("id").GetString()!;
        var client = app.Client(_world.ProcessorKey);
        foreach (var (step, start, end) in new[] { ("withering", "05T15:00", "06T07:00"), ("rolling", "06T07:10", "06T08:30"), ("fermentation", "06T08:40", "06T12:00"), ("drying", "06T12:10", "06T14:00") })
        {
            await TeaTraceApp.Created(await client.PostAsJsonAsync($"/api/batches/{batchId}/steps", new { step, startedAt = $"2026-08-{start}:00+08:00", endedAt = $"2026-08-{end}:00+08:00" }));
        }

        await TeaTraceApp.Expect(await client.PostAsJsonAsync($"/api/batches/{batchId}/complete", new { completedAt = "2026-08-06T16:00:00+08:00", madeTeaKg = 20m, style = "strip", grade = "first" }), HttpStatusCode.OK);

        var stats = await TeaTraceApp.Expect(await app.Client().GetAsync("/api/stats/production?from=2026-08-01&to=2026-08-31&groupBy=town"), HttpStatusCode.OK);
        var town = stats.EnumerateArray().Single(g => g.GetProperty("group").GetString() == "黄花镇");
        Assert.Equal(150m, town.GetProperty("freshLeafKg").GetDecimal());
        Assert.Equal(20m, town.GetProperty("madeTeaKg").GetDecimal()); // the whole batch came from this town's leaf
        Assert.Equal(0.25, town.GetProperty("yieldRatio").GetDouble()); // 20 kg of tea from the 80 kg processed
        Assert.Equal(1, town.GetProperty("farms").GetInt32());
        Assert.Equal(1, town.GetProperty("batches").GetInt32());

        var byMonth = await TeaTraceApp.Expect(await app.Client().GetAsync("/api/stats/production?from=2026-08-01&to=2026-08-31&groupBy=month"), HttpStatusCode.OK);
        Assert.Contains(byMonth.EnumerateArray(), g => g.GetProperty("group").GetString() == "2026-08");
        await TeaTraceApp.Problem(await app.Client().GetAsync("/api/stats/production?groupBy=plot"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Rebuild_Endpoint_EnqueuesTheJob_ForAdminsOnly()
    {
        var accepted = await TeaTraceApp.Expect(await app.Admin().PostAsJsonAsync("/api/market/rebuild", new { from = "2026-06-01", to = "2026-06-30" }), HttpStatusCode.Accepted);
        Assert.False(string.IsNullOrEmpty(accepted.GetProperty("jobId").GetString()));
        await TeaTraceApp.Problem(await app.Admin().PostAsJsonAsync("/api/market/rebuild", new { from = "2026-06-30", to = "2026-06-01" }), HttpStatusCode.BadRequest);
        await TeaTraceApp.Problem(await app.Client(_world.RegulatorKey).PostAsJsonAsync("/api/market/rebuild", new { from = "2026-06-01", to = "2026-06-30" }), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Dashboard_AdminsOnly_ByKeyOrSignedInSession()
    {
        await TeaTraceApp.Problem(await app.Client(_world.CoopFarmerKey).GetAsync("/jobs"), HttpStatusCode.Forbidden);
        await TeaTraceApp.Problem(await app.Client(_world.RegulatorKey).GetAsync("/jobs"), HttpStatusCode.Forbidden);
        await TeaTraceApp.Problem(await app.Client().GetAsync("/jobs"), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await app.Admin().GetAsync("/jobs")).StatusCode);

        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true });
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var redirect = await browser.GetAsync("/jobs");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.StartsWith("/jobs/login", redirect.Headers.Location!.PathAndQuery);

        var refused = await browser.PostAsync("/jobs/login", new FormUrlEncodedContent([new("apiKey", _world.CoopFarmerKey)]));
        Assert.Contains("failed", refused.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/jobs")).StatusCode);

        var signedIn = await browser.PostAsync("/jobs/login", new FormUrlEncodedContent([new("apiKey", TeaTraceApp.AdminKey)]));
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("teatrace_jobs=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/jobs", cookie, StringComparison.OrdinalIgnoreCase);
        var dashboard = await browser.GetAsync("/jobs");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("TeaTrace jobs", await dashboard.Content.ReadAsStringAsync());
        // The cookie is for the dashboard only: it does not open the API.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/me")).StatusCode);
    }
}
