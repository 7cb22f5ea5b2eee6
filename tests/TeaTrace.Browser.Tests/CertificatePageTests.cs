using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace TeaTrace.Browser.Tests;

/// <summary>The 承诺达标合格证 at /c/{number}: readable on a phone at the factory's gate, printable on A6 and on a 58 mm receipt.</summary>
public sealed partial class CertificatePageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private string ReceivedCertificate()
    {
        using var connection = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT s.certificate_no FROM leaf_sales s JOIN leaf_receipts r ON r.sale_id = s.id ORDER BY s.created_at LIMIT 1";
        return (string)command.ExecuteScalar()!;
    }

    [GeneratedRegex(@"/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]")]
    private static partial Regex MediaBox();

    [GeneratedRegex(@"/Type\s*/Page[^s]")]
    private static partial Regex PageObject();

    [Fact]
    public async Task Certificate_OnAPhone_ShowsEveryField_AndWhoReceivedIt()
    {
        var number = ReceivedCertificate();
        await using var phone = await app.PhoneAsync();
        var page = await phone.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") { errors.Add(message.Text); } };

        var response = await page.GotoAsync($"{app.BaseUrl}/c/{number.ToLowerInvariant()}");

        Assert.Equal(200, response!.Status);
        Assert.Equal("承诺达标合格证", await page.InnerTextAsync("h1"));
        Assert.Contains($"{number[..4]}-{number[4..8]}-{number[8..]}", await page.InnerTextAsync(".number"));
        var facts = await page.InnerTextAsync(".facts");
        foreach (var field in new[] { "承诺依据", "产品名称", "数量", "产地", "开具日期", "开具主体", "联系方式", "收购方" })
        {
            Assert.Contains(field, facts);
        }

        Assert.Equal(4, await page.Locator(".items li").CountAsync());
        Assert.Contains("收货", await page.InnerTextAsync(".receipt"));
        Assert.True(await page.IsVisibleAsync(".qr svg"));
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ScreenshotPath("certificate-360.png"), FullPage = true });
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("", 105.0, 148.0)]
    [InlineData("?print=58mm", 58.0, 400.0)]
    public async Task Certificate_PrintsOnOnePage_OfItsPaper(string query, double widthMm, double heightMm)
    {
        var number = ReceivedCertificate();
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "zh-CN", TimezoneId = "Asia/Shanghai" });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{app.BaseUrl}/c/{number}{query}");

        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        await page.SetViewportSizeAsync((int)Math.Round((widthMm - (query.Length == 0 ? 8 : 4)) * 96 / 25.4), 800);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ScreenshotPath($"certificate{(query.Length == 0 ? "-a6" : "-58mm")}-print.png"), FullPage = true });
        var pdf = await page.PdfAsync(new PagePdfOptions { PreferCSSPageSize = true, PrintBackground = true });
        await File.WriteAllBytesAsync(BrowserApp.ScreenshotPath($"certificate{(query.Length == 0 ? "-a6" : "-58mm")}.pdf"), pdf);

        var text = Encoding.Latin1.GetString(pdf);
        var box = MediaBox().Match(text);
        Assert.True(box.Success, "the PDF has a page size");
        const double PointsPerMm = 72 / 25.4;
        Assert.InRange(double.Parse(box.Groups[1].Value, CultureInfo.InvariantCulture), (widthMm - 1) * PointsPerMm, (widthMm + 1) * PointsPerMm);
        Assert.InRange(double.Parse(box.Groups[2].Value, CultureInfo.InvariantCulture), (heightMm - 1) * PointsPerMm, (heightMm + 1) * PointsPerMm);
        Assert.Single(PageObject().Matches(text));
    }
}
