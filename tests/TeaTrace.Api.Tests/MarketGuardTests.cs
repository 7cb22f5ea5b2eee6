using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using TeaTrace.Api.Features.Market;

namespace TeaTrace.Api.Tests;

/// <summary>
/// What keeps the market figures honest: the price band around recent trades, days that stay closed once closed,
/// and the first trades of a style and grade flagged for review. Each test keeps to its own style, grade and days,
/// so the order the tests run in does not matter.
/// </summary>
public sealed class MarketGuardTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>, IAsyncLifetime
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    private World _world = null!;

    public async Task InitializeAsync() => _world = await app.CreateWorldAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static DateOnly Today => DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).DateTime);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string At(DateOnly day, int hour = 10) => $"{Day(day)}T{hour:00}:00:00+08:00";

    private Task<HttpResponseMessage> TradeAsync(string lotId, int units, decimal price, DateOnly day, string? overrideReason = null, int hour = 10) =>
        app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/trades", new { lotId, buyer = "广州芳村英红茶行", units, unitPriceCny = price, tradedAt = At(day, hour), market = "芳村", overrideReason });

    private Task<HttpResponseMessage> ReopenAsync(DateOnly day, object body, string? key = null) =>
        app.Client(key ?? TeaTraceApp.AdminKey).PostAsJsonAsync($"/api/market/days/{Day(day)}/reopen", body);

    private async Task<JsonElement> FiguresAsync(DateOnly day, string style, string grade)
    {
        var rows = await TeaTraceApp.Expect(await app.Client().GetAsync($"/api/market/daily?from={Day(day)}&to={Day(day)}&style={style}&grade={grade}"), HttpStatusCode.OK);
        return Assert.Single(rows.EnumerateArray());
    }

    /// <summary>The market page's table row for one day, style and grade.</summary>
    private static string Row(string html, DateOnly day, string style, string grade)
    {
        var start = html.IndexOf($"data-day=\"{Day(day)}\" data-style=\"{style}\" data-grade=\"{grade}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"/market has no row for {Day(day)} {style} {grade}");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    private Task RebuildAsync(DateOnly day, bool close) => app.Services.GetRequiredService<MarketStore>().RebuildDayAsync(day, close, CancellationToken.None);

    [Fact]
    public async Task Trade_FarOutsideTheBand_IsRefused_AndWithAReason_IsExcludedFromTheFigures()
    {
        var lot = await app.SalesLotAsync(_world, "golden-tip", "special", 40, 100);
        var day = Today.AddDays(-3);
        foreach (var price in new[] { 400m, 380m, 420m })
        {
            await TeaTraceApp.Created(await TradeAsync(lot, 1, price, day));
        }

        var before = app.Snapshot();
        var refused = await TeaTraceApp.Problem(await TradeAsync(lot, 1, 1_000_000m, day, hour: 15), HttpStatusCode.UnprocessableEntity);

        // 1,000,000 CNY for 100 g is 10,000,000 CNY/kg; the three trades before it sold at 4,000 CNY/kg (the median).
        Assert.Equal(10_000_000m, refused.GetProperty("pricePerKg").GetDecimal());
        Assert.Equal(4000m, refused.GetProperty("referencePerKg").GetDecimal());
        Assert.Equal(1333.33m, refused.GetProperty("minPerKg").GetDecimal());
        Assert.Equal(12000m, refused.GetProperty("maxPerKg").GetDecimal());
        Assert.Equal(3, refused.GetProperty("referenceTrades").GetInt32());
        Assert.Equal(before, app.Snapshot());

        var accepted = await TeaTraceApp.Created(await TradeAsync(lot, 1, 1_000_000m, day, "拍卖会上的纪念罐 · a commemorative tin sold at auction", hour: 15));
        Assert.Equal("override", accepted.GetProperty("priceCheck").GetString());
        var entry = LedgerTests.Entries(app).Last();
        Assert.Equal("trade.recorded", entry.Type);
        // The reason goes into the ledger with the price, both sealed: the seller, regulators and admins can open them.
        Assert.DoesNotContain("a commemorative tin sold at auction", entry.Body, StringComparison.Ordinal);
        var opened = await TeaTraceApp.Expect(await app.Admin().GetAsync($"/api/ledger/entries/{entry.Index}/sealed"), HttpStatusCode.OK);
        Assert.Contains("a commemorative tin sold at auction", opened.GetProperty("fields").GetProperty("overrideReason").GetString(), StringComparison.Ordinal);

        await RebuildAsync(day, close: false);
        var figures = await FiguresAsync(day, "golden-tip", "special");
        // 400 + 380 + 420 = 1,200 CNY for 3 × 100 g: the excluded trade leaves the figures as they were.
        Assert.Equal(3, figures.GetProperty("trades").GetInt32());
        Assert.Equal(4000m, figures.GetProperty("vwapPerKg").GetDecimal());
        Assert.Equal(420m, figures.GetProperty("maxPrice").GetDecimal());
        Assert.Equal(1, figures.GetProperty("excludedTrades").GetInt32());

        var html = await app.Client().GetStringAsync("/market");
        var row = Row(html, day, "golden-tip", "special");
        Assert.Contains("4000.00", row, StringComparison.Ordinal);
        Assert.Contains("1 excluded", row, StringComparison.Ordinal);
        Assert.DoesNotContain("10000000", html, StringComparison.Ordinal);

        var feed = XDocument.Parse(await app.Client().GetStringAsync("/feed/market.atom"));
        var content = feed.Root!.Elements(Atom + "entry").Single(e => e.Element(Atom + "id")!.Value == $"urn:teatrace:market:{Day(day)}:golden-tip").Element(Atom + "content")!.Value;
        Assert.Contains("¥4000.00/kg", content, StringComparison.Ordinal);
        Assert.Contains("1 excluded", content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trade_OnAClosedDay_IsRefused_UntilAnAdminReopensIt_AndTheRebuildClosesItAgain()
    {
        var lot = await app.SalesLotAsync(_world, "strip", "first", 40, 250);
        var day = Today.AddDays(-30);
        await TeaTraceApp.Created(await TradeAsync(lot, 2, 268m, day));
        await RebuildAsync(day, close: true);
        Assert.True((await FiguresAsync(day, "strip", "first")).GetProperty("closed").GetBoolean());

        var before = app.Snapshot();
        var refused = await TeaTraceApp.Problem(await TradeAsync(lot, 1, 268m, day, hour: 16), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(Day(day), refused.GetProperty("day").GetString());
        await TeaTraceApp.Problem(await ReopenAsync(day, new { }), HttpStatusCode.BadRequest);
        await TeaTraceApp.Problem(await ReopenAsync(day, new { reason = "x" }, _world.RegulatorKey), HttpStatusCode.Forbidden);
        await TeaTraceApp.Problem(await ReopenAsync(Today, new { reason = "today is open" }), HttpStatusCode.Conflict);
        Assert.Equal(before, app.Snapshot());

        var reopened = await TeaTraceApp.Expect(await ReopenAsync(day, new { reason = "芳村分店的销售单迟交 · the Fangcun branch's sales slips came in late" }), HttpStatusCode.OK);
        Assert.Equal("reopened", reopened.GetProperty("state").GetString());
        var reopenEntry = LedgerTests.Entries(app).Last();
        Assert.Equal("market.day-reopened", reopenEntry.Type);
        Assert.Contains("sales slips came in late", reopenEntry.Body, StringComparison.Ordinal);
        Assert.False((await FiguresAsync(day, "strip", "first")).GetProperty("closed").GetBoolean());

        await TeaTraceApp.Created(await TradeAsync(lot, 1, 270m, day, hour: 16));
        await app.Services.GetRequiredService<MarketJobs>().RebuildAsync(Day(day), Day(day), CancellationToken.None);

        var figures = await FiguresAsync(day, "strip", "first");
        Assert.True(figures.GetProperty("closed").GetBoolean());
        Assert.Equal(3, figures.GetProperty("units").GetInt32());
        var closeEntry = LedgerTests.Entries(app).Last();
        Assert.Equal("market.day-closed", closeEntry.Type);
        Assert.Equal(Day(day), closeEntry.SubjectId);
        await TeaTraceApp.Problem(await TradeAsync(lot, 1, 268m, day, hour: 17), HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Close_WaitsUntilADayIsCloseAfterDaysOld()
    {
        var lot = await app.SalesLotAsync(_world, "strip", "second", 40, 250);
        var (due, saturday, yesterday) = (Today.AddDays(-7), Today.AddDays(-6), Today.AddDays(-1));
        foreach (var day in new[] { due, saturday, yesterday })
        {
            await TeaTraceApp.Created(await TradeAsync(lot, 2, 200m, day));
        }

        await app.Services.GetRequiredService<MarketJobs>().CloseAsync(CancellationToken.None);
        await app.Services.GetRequiredService<MarketJobs>().RebuildAsync(Day(Today.AddDays(-8)), Day(Today), CancellationToken.None);

        Assert.True((await FiguresAsync(due, "strip", "second")).GetProperty("closed").GetBoolean());
        Assert.False((await FiguresAsync(saturday, "strip", "second")).GetProperty("closed").GetBoolean());
        Assert.False((await FiguresAsync(yesterday, "strip", "second")).GetProperty("closed").GetBoolean());
        await TeaTraceApp.Problem(await TradeAsync(lot, 1, 200m, due, hour: 15), HttpStatusCode.UnprocessableEntity);
        await TeaTraceApp.Created(await TradeAsync(lot, 1, 200m, saturday, hour: 15));
        await TeaTraceApp.Created(await TradeAsync(lot, 1, 200m, yesterday, hour: 15));
    }

    [Fact]
    public async Task FirstTrades_OfAStyleAndGrade_AreAccepted_AndFlaggedForReview()
    {
        var lot = await app.SalesLotAsync(_world, "broken", "third", 40, 500);
        var day = Today.AddDays(-2);

        // No band yet, but still the range any tea sells at: 1,000,000 CNY for 500 g is 2,000,000 CNY/kg.
        var before = app.Snapshot();
        var absurd = await TeaTraceApp.Problem(await TradeAsync(lot, 1, 1_000_000m, day), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(JsonValueKind.Null, absurd.GetProperty("referencePerKg").ValueKind);
        Assert.Equal(100000m, absurd.GetProperty("maxPerKg").GetDecimal());
        Assert.Equal(before, app.Snapshot());

        var first = await TeaTraceApp.Created(await TradeAsync(lot, 2, 60m, day));
        Assert.Equal("no-reference", first.GetProperty("priceCheck").GetString());
        await TeaTraceApp.Created(await TradeAsync(lot, 2, 62m, day, hour: 11));
        await TeaTraceApp.Created(await TradeAsync(lot, 2, 58m, day, hour: 12));
        // Three trades make a reference: the fourth is checked against them.
        var fourth = await TeaTraceApp.Created(await TradeAsync(lot, 2, 61m, day, hour: 13));
        Assert.Equal("in-band", fourth.GetProperty("priceCheck").GetString());
        await TeaTraceApp.Problem(await TradeAsync(lot, 1, 600m, day, hour: 14), HttpStatusCode.UnprocessableEntity);

        await RebuildAsync(day, close: false);
        var figures = await FiguresAsync(day, "broken", "third");
        Assert.Equal(4, figures.GetProperty("trades").GetInt32());
        Assert.Equal(3, figures.GetProperty("reviewTrades").GetInt32());
        Assert.Contains("3 to review", Row(await app.Client().GetStringAsync("/market"), day, "broken", "third"), StringComparison.Ordinal);
    }
}
