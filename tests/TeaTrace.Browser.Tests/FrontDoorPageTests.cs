using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using QRCoder;

namespace TeaTrace.Browser.Tests;

/// <summary>The front door on a phone: small, in two languages, and its code box with and without scripts, typed or scanned.</summary>
public sealed class FrontDoorPageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string Gtin = "06901234560015";

    private string Text(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string)command.ExecuteScalar()!;
    }

    private string UnitPath(string serial) =>
        $"/01/{Gtin}/10/{Text($"SELECT l.code FROM units u JOIN lots l ON l.id = u.lot_id WHERE u.serial = '{serial}'")}/21/{serial}";

    [Fact]
    public async Task FrontDoor_OnAPhone_IsSmall_AndSendsATypedSerialToItsTin()
    {
        var serial = app.Serials()[0];
        await using var phone = await app.PhoneAsync();
        var page = await phone.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") { errors.Add(message.Text); } };
        void Failed(object? sender, IRequest request) => errors.Add($"request failed: {request.Url}");
        page.RequestFailed += Failed;

        var response = await page.GotoAsync($"{app.BaseUrl}/");

        Assert.Equal(200, response!.Status);
        Assert.Equal("zh-CN", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("英德红茶，从茶园到茶杯", await page.InnerTextAsync("h1"));
        Assert.Equal(app.Scalar("SELECT count(*) FROM ledger_entries").ToString(System.Globalization.CultureInfo.InvariantCulture),
            await page.GetAttributeAsync("#ledger", "data-size"));
        Assert.True(await page.IsVisibleAsync("#scan")); // the script offers the camera where there is one
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        var bytes = await page.EvaluateAsync<int>("performance.getEntriesByType('navigation')[0].transferSize + performance.getEntriesByType('resource').reduce((n, r) => n + r.transferSize, 0)");
        Assert.InRange(bytes, 1, 50 * 1024);
        var hosts = await page.EvaluateAsync<string[]>("performance.getEntriesByType('resource').map(r => new URL(r.name).host)");
        Assert.All(hosts, host => Assert.Equal(new Uri(app.BaseUrl).Authority, host));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ScreenshotPath("front-door-zh.png"), FullPage = true });
        Assert.Empty(errors);
        page.RequestFailed -= Failed; // leaving the page cancels whatever it still loads, which is no failure

        // Typed as people type: lower case, in groups.
        await page.FillAsync("#code", string.Join(' ', serial.ToLowerInvariant().Chunk(4).Select(c => new string(c))));
        await page.ClickAsync("#code-form button[type=submit]");
        await page.WaitForURLAsync($"{app.BaseUrl}{UnitPath(serial)}");

        Assert.Equal("ok", await page.GetAttributeAsync("#verdict", "data-level"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task EnglishSwitch_KeepsTheBoxInEnglish_AndAnUnknownCodeSaysSo()
    {
        await using var phone = await app.PhoneAsync("en-US");
        var page = await phone.NewPageAsync();
        await page.GotoAsync($"{app.BaseUrl}/");

        await page.ClickAsync("a.lang");
        await page.WaitForURLAsync($"{app.BaseUrl}/?lang=en");

        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("Yingde black tea, recorded from garden to cup", await page.InnerTextAsync("h1"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ScreenshotPath("front-door-en.png"), FullPage = true });

        await page.FillAsync("#code", "H-ZZZZZZZZ");
        await page.PressAsync("#code", "Enter");
        await page.WaitForURLAsync(new Regex("/go\\?code=H-ZZZZZZZZ&lang=en$"));

        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("TeaTrace has no record of “H-ZZZZZZZZ”.", await page.InnerTextAsync("h1"));
        Assert.Equal("H-ZZZZZZZZ", await page.InputValueAsync("#code"));
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ScreenshotPath("front-door-unknown-en.png"), FullPage = true });

        // Back in Chinese, the same code.
        await page.ClickAsync("a.lang");
        await page.WaitForURLAsync(new Regex("/go\\?code=H-ZZZZZZZZ$"));
        Assert.Equal("TeaTrace 中没有“H-ZZZZZZZZ”的记录。", await page.InnerTextAsync("h1"));
    }

    [Fact]
    public async Task WithoutJavaScript_TheBoxStillSendsATagToTheStation()
    {
        var harvest = Text("SELECT code FROM harvests ORDER BY code LIMIT 1");
        await using var phone = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 360, Height = 740 },
            Locale = "zh-CN",
            JavaScriptEnabled = false,
        });
        var page = await phone.NewPageAsync();
        await page.GotoAsync($"{app.BaseUrl}/");

        Assert.False(await page.IsVisibleAsync("#scan")); // no camera without the script, and no button that does nothing
        await page.FillAsync("#code", harvest.ToLowerInvariant());
        await page.ClickAsync("#code-form button[type=submit]");
        await page.WaitForURLAsync($"{app.BaseUrl}/station/?h={harvest}");
    }

    [Fact]
    public async Task Camera_ReadsTheQrCodeOnATin_AndOpensIt()
    {
        var serial = app.Serials()[1];
        var video = Path.Combine(Path.GetTempPath(), $"teatrace-qr-{Guid.NewGuid():N}.y4m");
        // A tin's code as a printer makes it, on another host: the answer still stays on this service.
        await File.WriteAllBytesAsync(video, QrVideo($"https://tea.example.cn{UnitPath(serial)}"));
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", $"--use-file-for-fake-video-capture={video}"],
            });
            await using var phone = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                ViewportSize = new ViewportSize { Width = 360, Height = 740 },
                Locale = "zh-CN",
                Permissions = ["camera"],
            });
            var page = await phone.NewPageAsync();
            var errors = new List<string>();
            page.Console += (_, message) => { if (message.Type == "error") { errors.Add(message.Text); } };
            await page.GotoAsync($"{app.BaseUrl}/");

            await page.ClickAsync("#scan");
            // jsQR reads a frame in a few milliseconds on a phone, far slower on a busy test machine.
            await page.WaitForURLAsync($"{app.BaseUrl}{UnitPath(serial)}", new PageWaitForURLOptions { Timeout = 60000 });

            Assert.Equal("ok", await page.GetAttributeAsync("#verdict", "data-level"));
            Assert.Empty(errors);
        }
        finally
        {
            File.Delete(video);
        }
    }

    /// <summary>A few frames of a camera looking straight at a QR code: Y4M, 4:2:0, which Chromium's fake camera plays in a loop.</summary>
    private static byte[] QrVideo(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.Q);
        var modules = data.ModuleMatrix;
        const int Size = 480;
        var scale = Size / modules.Count;
        var offset = (Size - (scale * modules.Count)) / 2;
        var luma = new byte[Size * Size];
        Array.Fill(luma, (byte)235);
        for (var y = 0; y < modules.Count * scale; y++)
        {
            for (var x = 0; x < modules.Count * scale; x++)
            {
                if (modules[y / scale][x / scale])
                {
                    luma[((offset + y) * Size) + offset + x] = 16;
                }
            }
        }

        var chroma = new byte[Size * Size / 2];
        Array.Fill(chroma, (byte)128);
        using var file = new MemoryStream();
        file.Write(Encoding.ASCII.GetBytes($"YUV4MPEG2 W{Size} H{Size} F10:1 Ip A1:1 C420jpeg\n"));
        for (var frame = 0; frame < 10; frame++)
        {
            file.Write(Encoding.ASCII.GetBytes("FRAME\n"));
            file.Write(luma);
            file.Write(chroma);
        }

        return file.ToArray();
    }
}
