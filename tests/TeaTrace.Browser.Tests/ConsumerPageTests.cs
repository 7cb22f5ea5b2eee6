using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Playwright;

namespace TeaTrace.Browser.Tests;

/// <summary>A consumer scans a tin's QR code with a phone: the page in a real Chromium at phone size.</summary>
public sealed class ConsumerPageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string Gtin = "06901234560015";

    private async Task<string> LinkAsync(string serial)
    {
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BrowserApp.AdminKey);
        var backward = await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/trace/backward?serial={serial}");
        return $"{app.BaseUrl}/01/{Gtin}/10/{backward.GetProperty("lotCode").GetString()}/21/{serial}";
    }

    [Fact]
    public async Task Scan_ShowsVerdictOriginAndChecksTheProofInTheBrowser()
    {
        var serial = app.Serials()[0];
        var link = await LinkAsync(serial);
        await using var phone = await app.PhoneAsync();
        var page = await phone.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") { errors.Add(message.Text); } };
        page.RequestFailed += (_, request) => errors.Add($"request failed: {request.Url}");

        var response = await page.GotoAsync(link);

        Assert.Equal(200, response!.Status);
        Assert.Equal("ok", await page.GetAttributeAsync("#verdict", "data-level"));
        Assert.Contains("记录真实可查", await page.InnerTextAsync("#verdict h1"));
        Assert.Equal("首次查询", await page.InnerTextAsync("#scans"));
        var journey = await page.InnerTextAsync(".journey");
        Assert.Contains("英红镇", journey);
        Assert.Contains("英红九号", journey);
        Assert.Contains("英德红茶数字化智能加工厂", journey);
        Assert.Contains("萎凋", journey);

        // The phone checks the ledger proof itself.
        await page.WaitForSelectorAsync("#verify[data-result]", new PageWaitForSelectorOptions { Timeout = 10000 });
        Assert.Equal("verified", await page.GetAttributeAsync("#verify", "data-result"));
        Assert.Contains("已在本机验证", await page.InnerTextAsync("#verify-status"));

        // Fits a 360 px phone: nothing wider than the screen.
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        var bytes = await page.EvaluateAsync<int>("performance.getEntriesByType('navigation')[0].transferSize + performance.getEntriesByType('resource').reduce((n, r) => n + r.transferSize, 0)");
        Assert.InRange(bytes, 1, 100 * 1024);
        Assert.Empty(errors);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ScreenshotPath("consumer-page-zh.png"), FullPage = true });

        // A second scan says so.
        await page.ReloadAsync();
        Assert.StartsWith("已被查询 2 次", await page.InnerTextAsync("#scans"));
    }

    [Fact]
    public async Task English_SwitchShowsTheSamePageInEnglish()
    {
        var link = await LinkAsync(app.Serials()[1]);
        await using var phone = await app.PhoneAsync("en-US");
        var page = await phone.NewPageAsync();
        await page.GotoAsync(link);

        await page.ClickAsync("a.lang");

        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        Assert.Contains("Genuine record", await page.InnerTextAsync("#verdict h1"));
        await page.WaitForSelectorAsync("#verify[data-result]");
        Assert.Equal("verified", await page.GetAttributeAsync("#verify", "data-result"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ScreenshotPath("consumer-page-en.png"), FullPage = true });
    }

    [Fact]
    public async Task NeverIssuedSerial_ShowsAWarning()
    {
        var link = await LinkAsync(app.Serials()[2]);
        var forged = link[..link.LastIndexOf('/')] + "/ZZZZZZZZZZZZ";
        await using var phone = await app.PhoneAsync();
        var page = await phone.NewPageAsync();

        await page.GotoAsync(forged);

        Assert.Equal("warning", await page.GetAttributeAsync("#verdict", "data-level"));
        Assert.Contains("从未发放", await page.InnerTextAsync("#verdict"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ScreenshotPath("consumer-page-never-issued.png"), FullPage = true });
    }
}
