using Microsoft.Playwright;

namespace TeaTrace.Browser.Tests;

/// <summary>The admin's job dashboard and the API docs in Chromium, under their content security policies.</summary>
public sealed class DashboardPageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task JobDashboard_SignInAndTriggerAJob_WithTheAntiforgeryToken_AndNoPolicyViolations()
    {
        await using var laptop = await app.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "zh-CN" });
        var page = await laptop.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") { errors.Add(message.Text); } };

        await page.GotoAsync($"{app.BaseUrl}/jobs/login");
        await page.FillAsync("#apiKey", BrowserApp.AdminKey);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync($"{app.BaseUrl}/jobs");

        await page.GotoAsync($"{app.BaseUrl}/jobs/recurring");
        await page.CheckAsync("input.js-jobs-list-checkbox[value='market-rollup']");
        var trigger = page.WaitForResponseAsync(r => r.Url.EndsWith("/jobs/recurring/trigger", StringComparison.Ordinal));
        await page.ClickAsync("button.js-jobs-list-command[data-url$='/recurring/trigger']");
        Assert.Equal(204, (await trigger).Status);

        Assert.DoesNotContain(errors, e => e.Contains("Content Security Policy", StringComparison.Ordinal));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ScreenshotPath("jobs-recurring.png"), FullPage = true });
    }

    [Fact]
    public async Task ApiDocs_RenderUnderTheirPolicy()
    {
        await using var laptop = await app.Browser.NewContextAsync();
        var page = await laptop.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") { errors.Add(message.Text); } };

        await page.GotoAsync($"{app.BaseUrl}/docs/");
        try
        {
            await page.GetByText("Take a backup now").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 20000 });
        }
        catch (TimeoutException)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ScreenshotPath("api-docs-failed.png") });
            Assert.Fail("The docs did not render: " + string.Join(" | ", errors));
        }

        Assert.DoesNotContain(errors, e => e.Contains("Content Security Policy", StringComparison.Ordinal));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ScreenshotPath("api-docs.png") });
    }
}
