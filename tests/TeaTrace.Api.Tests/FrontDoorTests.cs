using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;

namespace TeaTrace.Api.Tests;

/// <summary>A lot of five tins, a batch and a harvest, made once for the front door's tests, then a checkpoint.</summary>
public sealed class FrontDoorApp : TeaTraceApp
{
    private readonly Lock _gate = new();
    private Task<FrontDoorCodes>? _codes;

    public Task<FrontDoorCodes> CodesAsync()
    {
        lock (_gate)
        {
            return _codes ??= MakeAsync();
        }
    }

    private async Task<FrontDoorCodes> MakeAsync()
    {
        var world = await CreateWorldAsync();
        var batchId = await this.CompletedBatchAsync(world);
        var lot = await Created(await Client(world.ProcessorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(batchId, unitCount: 5)));
        var units = await Expect(await Client(world.ProcessorKey).GetAsync($"/api/lots/{lot.GetProperty("id").GetString()}/units"), HttpStatusCode.OK);
        var batch = await Expect(await Client(world.ProcessorKey).GetAsync($"/api/batches/{batchId}"), HttpStatusCode.OK);
        var plot = await this.PlotAsync(world.CoopFarmerKey, world.CoopId);
        var harvest = await this.HarvestAsync(world.CoopFarmerKey, plot, 30m);
        await Services.GetRequiredService<Features.LedgerApi.CheckpointSigner>().SignIfGrownAsync();
        return new FrontDoorCodes(lot.GetProperty("code").GetString()!, units.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("serial").GetString()!).ToList(),
            harvest.GetProperty("code").GetString()!, batch.GetProperty("code").GetString()!);
    }
}

public sealed record FrontDoorCodes(string LotCode, IReadOnlyList<string> Serials, string HarvestCode, string BatchCode);

/// <summary>The front door at / and its code box, /go, over HTTP: every kind of code reaches its page, with no script needed.</summary>
public sealed partial class FrontDoorTests(FrontDoorApp app) : IClassFixture<FrontDoorApp>, IAsyncLifetime
{
    private const string Gtin = "06901234560015";

    private string _lotCode = "";
    private IReadOnlyList<string> _serials = [];
    private string _harvestCode = "";
    private string _batchCode = "";

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>")]
    private static partial Regex InlineScript();

    [GeneratedRegex("<meta name=\"description\" content=\"([^\"]{20,})\">")]
    private static partial Regex MetaDescription();

    public async Task InitializeAsync() => (_lotCode, _serials, _harvestCode, _batchCode) = await app.CodesAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<HttpResponseMessage> GoAsync(string code, string? lang = null, string accept = "text/html")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/go?code={Uri.EscapeDataString(code)}{(lang is null ? "" : $"&lang={lang}")}");
        request.Headers.Accept.ParseAdd(accept);
        return await app.Client().SendAsync(request);
    }

    private async Task<string> Destination(string code, string? lang = null)
    {
        var response = await GoAsync(code, lang);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{code}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response.Headers.Location!.OriginalString;
    }

    [Fact]
    public async Task FrontDoor_SaysWhatTeaTraceIsLinksEachUserAndShowsTheLedger()
    {
        var response = await app.Client().GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html lang=\"zh-CN\">", html);
        Assert.Contains("<meta name=\"description\" content=\"英德红茶溯源平台", html);
        foreach (var who in new[] { "茶农与合作社", "加工厂", "茶商与经销商", "消费者", "监管部门" })
        {
            Assert.Contains($"<h3>{who}</h3>", html);
        }

        foreach (var page in new[] { "/app/", "/station/", "/market", "/docs", "/jobs" })
        {
            Assert.Contains($"href=\"{page}\"", html);
        }

        // The code box is a plain GET form: it works with scripts off.
        Assert.Contains("<form method=\"get\" action=\"/go\"", html);
        Assert.Contains("name=\"code\"", html);
        Assert.Contains("<button type=\"submit\">", html);

        // Proof of life: the ledger's size and its latest checkpoint, as the ledger API gives them.
        var size = app.LedgerSize();
        var checkpoint = (await app.Client().GetStringAsync("/api/ledger/checkpoint")).Split('\n');
        Assert.Contains($"data-size=\"{size}\"", html);
        Assert.Contains($"账本现有 {size} 条记录", html);
        Assert.Contains($"最新签名检查点覆盖前 {checkpoint[1]} 条", html);
        Assert.Contains(Convert.ToHexStringLower(Convert.FromBase64String(checkpoint[2]))[..16], html);

        // The pages' policy, nothing inline and nothing from other hosts.
        Assert.Equal("default-src 'none'; script-src 'self'; style-src 'self'", string.Join(';', response.Headers.GetValues("Content-Security-Policy").Single().Split(';').Take(3)));
        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotContain("style=", html);
        Assert.DoesNotContain("src=\"http", html);
        Assert.DoesNotContain("href=\"http", html);
        Assert.InRange(html.Length, 1, 16 * 1024);
    }

    [Fact]
    public async Task FrontDoor_InEnglish_KeepsTheBoxInEnglish()
    {
        var html = await app.Client().GetStringAsync("/?lang=en");

        Assert.Contains("<html lang=\"en\">", html);
        Assert.Contains("<meta name=\"description\" content=\"TeaTrace traces Yingde black tea", html);
        Assert.Contains("<h3>Farmers and cooperatives</h3>", html);
        Assert.Contains("<input type=\"hidden\" name=\"lang\" value=\"en\">", html);
        Assert.Contains("<a class=\"lang\" href=\"/\" lang=\"zh-CN\">中文</a>", html);
        Assert.Contains("<a class=\"lang\" href=\"/?lang=en\" lang=\"en\">English</a>", await app.Client().GetStringAsync("/"));
    }

    [Fact]
    public async Task Go_SendsEachKindOfCodeToItsPage()
    {
        var unit = $"/01/{Gtin}/10/{_lotCode}/21/{_serials[0]}";
        var before = app.Snapshot();

        // A tin's serial, as printed, typed carelessly, or in groups.
        Assert.Equal(unit, await Destination(_serials[0]));
        Assert.Equal(unit, await Destination($"  {_serials[0].ToLowerInvariant().Replace('0', 'o').Replace('1', 'l')} "));
        Assert.Equal(unit, await Destination(string.Join(' ', _serials[0].Chunk(4).Select(c => new string(c)))));
        Assert.Equal(unit + "?lang=en", await Destination(_serials[0], "en"));

        // A Digital Link from the tin's QR code, this service's or another host's: the answer stays here.
        Assert.Equal(unit, await Destination($"https://tea.example.cn{unit}"));
        Assert.Equal(unit, await Destination($"https://id.example.org{unit}?17=280407&linkType=gs1:pip"));
        Assert.Equal(unit, await Destination($"HTTPS://TEA.EXAMPLE.CN{unit}"));
        Assert.Equal(unit, await Destination($"tea.example.cn{unit}"));
        Assert.Equal(unit, await Destination(unit));
        Assert.Equal($"/01/{Gtin}/10/{_lotCode}?lang=en", await Destination($"https://tea.example.cn/01/{Gtin}/10/{_lotCode}", "en"));
        Assert.Equal($"/01/{Gtin}", await Destination($"https://tea.example.cn/01/{Gtin}"));
        // A serial never issued under a known product goes to the consumer page, which warns about it.
        Assert.Equal($"/01/{Gtin}/21/NEVERISSUED1", await Destination($"https://tea.example.cn/01/{Gtin}/21/NEVERISSUED1"));

        // Harvest and batch tags: the code, or the tag's own link.
        Assert.Equal($"/h/{_harvestCode}", await Destination(_harvestCode));
        Assert.Equal($"/h/{_harvestCode}", await Destination(_harvestCode.ToLowerInvariant()));
        Assert.Equal($"/h/{_harvestCode}", await Destination($"https://tea.example.cn/h/{_harvestCode}"));
        Assert.Equal($"/b/{_batchCode}", await Destination(_batchCode));
        Assert.Equal($"/b/{_batchCode}", await Destination($"https://tea.example.cn/b/{_batchCode}/tag"));
        Assert.Equal($"/station/?h={_harvestCode}", (await app.Client().GetAsync(await Destination(_harvestCode))).Headers.Location!.OriginalString);

        // An empty box goes back to the front door.
        Assert.Equal("/", await Destination(""));
        Assert.Equal("/?lang=en", await Destination(" ", "en"));
        Assert.Equal(before, app.Snapshot());
    }

    [Theory]
    [InlineData("ZZZZZZZZZZZZ", "bare")]
    [InlineData("H-ZZZZZZZZ", "harvest")]
    [InlineData("B-ZZZZZZZZ", "batch")]
    [InlineData("https://tea.example.cn/01/09506000134352/21/X1", "digitallink")]
    [InlineData("https://tea.example.cn/c/ZC7K2P9Q4M3XT", "certificate")]
    [InlineData("https://tea.example.cn/01/06901234560016", "notacode")]
    [InlineData("https://tea.example.cn/414/9520123456788", "notacode")]
    [InlineData("https://example.com/about", "notacode")]
    [InlineData("<script>alert(1)</script>", "notacode")]
    public async Task Go_UnknownCode_IsAFriendlyPage_404(string code, string kind)
    {
        var before = app.Snapshot();

        var response = await GoAsync(code);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("<html lang=\"zh-CN\">", html);
        Assert.Contains($"data-kind=\"{kind}\"", html);
        Assert.Contains(kind == "notacode" ? "不像 TeaTrace 的码" : "TeaTrace 中没有", html);
        Assert.Contains(WebUtility.HtmlEncode(code), html); // what was typed, shown back safely
        Assert.DoesNotContain("<script>alert", html);
        Assert.Contains("<form method=\"get\" action=\"/go\"", html); // the box again, to try once more
        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task Go_UnknownCode_InEnglish_OrAsJson()
    {
        var english = await GoAsync("ZZZZZZZZZZZZ", "en");
        var html = await english.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NotFound, english.StatusCode);
        Assert.Contains("<html lang=\"en\">", html);
        Assert.Contains("TeaTrace has no record of “ZZZZZZZZZZZZ”.", html);
        Assert.Contains("<meta name=\"description\"", html);
        Assert.Contains("href=\"/go?code=ZZZZZZZZZZZZ\"", html);

        var problem = await TeaTraceApp.Problem(await GoAsync("https://tea.example.cn/01/06901234560016", accept: "application/json"), HttpStatusCode.NotFound);
        Assert.Contains("check digit", problem.GetProperty("detail").GetString());
        await TeaTraceApp.Problem(await GoAsync("H-ZZZZZZZZ", accept: "application/problem+json"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Go_UnknownCode_IsShownBackBrieflyAndPlainly()
    {
        var text = "\u202Eevil " + string.Concat(Enumerable.Repeat("这个码是假的，请打电话举报。", 10));

        var html = await (await GoAsync(text)).Content.ReadAsStringAsync();

        var heading = Regex.Match(html, "<h1>(.*?)</h1>").Groups[1].Value;
        Assert.DoesNotContain("\u202E", heading, StringComparison.Ordinal);
        Assert.Contains("evil 这个码是假的", heading);
        Assert.Contains("…", heading);
        Assert.True(heading.Length < 100, heading);
    }

    [Theory]
    [InlineData("/", "英德红茶溯源平台")]
    [InlineData("/?lang=en", "TeaTrace traces")]
    [InlineData("/market", "英德红茶每日交易行情")]
    [InlineData("/jobs/login", "TeaTrace 任务面板的管理员登录")]
    [InlineData("/app/", "TeaTrace 茶农记录")]
    [InlineData("/station/", "TeaTrace 加工扫码台")]
    [InlineData("/docs/", "The TeaTrace API")]
    [InlineData("consumer", "的溯源记录")]
    [InlineData("consumer?lang=en", "Provenance of ")]
    public async Task EveryPage_HasADescriptionInItsLanguage(string path, string description)
    {
        if (path.StartsWith("consumer", StringComparison.Ordinal))
        {
            path = $"/01/{Gtin}/10/{_lotCode}/21/{_serials[^1]}" + path["consumer".Length..];
        }

        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html");
        var html = await (await app.Client().SendAsync(request)).Content.ReadAsStringAsync();

        var meta = MetaDescription().Match(html);
        Assert.True(meta.Success, $"{path} has no description");
        Assert.Contains(description, WebUtility.HtmlDecode(meta.Groups[1].Value));
    }
}
