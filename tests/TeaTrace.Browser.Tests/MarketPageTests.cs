using Microsoft.Playwright;

namespace TeaTrace.Browser.Tests;

/// <summary>The public market page on a phone: charts drawn on the server, nothing loaded from elsewhere.</summary>
public sealed class MarketPageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task MarketPage_ShowsAChartPerGrade()
    {
        await using var phone = await app.PhoneAsync();
        var page = await phone.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") { errors.Add(message.Text); } };

        var response = await page.GotoAsync($"{app.BaseUrl}/market");

        Assert.Equal(200, response!.Status);
        Assert.True(await page.Locator("section.chart svg polyline").CountAsync() >= 3);
        Assert.Contains("特级", await page.InnerTextAsync("#grade-special h2"));
        Assert.Empty(errors);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ScreenshotPath("market-page.png"), FullPage = true });
    }
}
