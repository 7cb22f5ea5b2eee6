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
    [Theory]
    [InlineData("wrong-signature")]
    [InlineData("malformed-signature")]
    [InlineData("malformed-key")]
    [InlineData("other-key")]
    public async Task TamperedProofDocument_FailsTheCheck(string tampering)
    {
        var link = await LinkAsync(app.Serials()[4 + Array.IndexOf(["wrong-signature", "malformed-signature", "malformed-key", "other-key"], tampering)]);
        await using var phone = await app.PhoneAsync();
        var page = await phone.NewPageAsync();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var tampered = Tamper(await client.GetStringAsync(link), tampering);
        await page.RouteAsync(link, route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 200,
            ContentType = "text/html; charset=utf-8",
            Body = tampered,
        }));

        await page.GotoAsync(link);
        await page.WaitForSelectorAsync("#verify[data-result]", new PageWaitForSelectorOptions { Timeout = 10000 });

        Assert.Equal("failed", await page.GetAttributeAsync("#verify", "data-result"));
        Assert.Contains("验证失败", await page.InnerTextAsync("#verify-status"));
    }

    [Fact]
    public async Task BrowserWithoutEd25519_SaysTheSignatureWasNotChecked()
    {
        var link = await LinkAsync(app.Serials()[8]);
        await using var phone = await app.PhoneAsync();
        // A browser whose WebCrypto has no Ed25519, as older phones' browsers: importKey refuses the algorithm.
        await phone.AddInitScriptAsync("""
            const importKey = crypto.subtle.importKey.bind(crypto.subtle);
            crypto.subtle.importKey = (format, key, algorithm, ...rest) =>
              (algorithm && (algorithm === "Ed25519" || algorithm.name === "Ed25519"))
                ? Promise.reject(new DOMException("Unrecognized name.", "NotSupportedError"))
                : importKey(format, key, algorithm, ...rest);
            """);
        var page = await phone.NewPageAsync();

        await page.GotoAsync(link);
        await page.WaitForSelectorAsync("#verify[data-result]", new PageWaitForSelectorOptions { Timeout = 10000 });

        Assert.Equal("unchecked", await page.GetAttributeAsync("#verify", "data-result"));
        Assert.Contains("签名未核对", await page.InnerTextAsync("#verify-status"));
    }

    /// <summary>Changes the page's embedded proof document the way a forger or a broken proxy might.</summary>
    private static string Tamper(string html, string tampering)
    {
        const string Open = "<script type=\"application/json\" id=\"proof-data\">";
        var start = html.IndexOf(Open, StringComparison.Ordinal) + Open.Length;
        var end = html.IndexOf("</script>", start, StringComparison.Ordinal);
        var data = System.Text.Json.Nodes.JsonNode.Parse(html[start..end])!.AsObject();
        var checkpoint = data["checkpoint"]!.GetValue<string>();
        var signatureLine = checkpoint.TrimEnd('\n').Split('\n')[^1];
        var signature = signatureLine[(signatureLine.LastIndexOf(' ') + 1)..];
        switch (tampering)
        {
            case "wrong-signature":
                var bytes = Convert.FromBase64String(signature);
                bytes[^1] ^= 0x01;
                data["checkpoint"] = checkpoint.Replace(signature, Convert.ToBase64String(bytes), StringComparison.Ordinal);
                break;
            case "malformed-signature":
                data["checkpoint"] = checkpoint.Replace(signature, "%%not-base64%%", StringComparison.Ordinal);
                break;
            case "malformed-key":
                data["verifierKey"] = data["verifierKey"]!.GetValue<string>() + "AAAA";
                break;
            default:
                // A well-formed key of the same name that did not sign the checkpoint.
                var key = data["verifierKey"]!.GetValue<string>().Split('+', 3); // name+keyid+base64 (which may itself hold '+')
                var raw = Convert.FromBase64String(key[2]);
                raw[5] ^= 0x40;
                data["verifierKey"] = $"{key[0]}+{key[1]}+{Convert.ToBase64String(raw)}";
                break;
        }

        return html[..start] + data.ToJsonString() + html[end..];
    }
}

/// <summary>The page's own check, in Chromium, for a unit of every lot of the demo.</summary>
public sealed class DemoLotPagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task EveryLotsPage_VerifiesItsProofInTheBrowser()
    {
        var links = new List<string>();
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={app.DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT l.gtin, l.code, (SELECT serial FROM units u WHERE u.lot_id = l.id ORDER BY seq DESC LIMIT 1) FROM lots l ORDER BY l.created_at";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                links.Add($"{app.BaseUrl}/01/{reader.GetString(0)}/10/{reader.GetString(1)}/21/{reader.GetString(2)}");
            }
        }

        await using var phone = await app.PhoneAsync();
        var page = await phone.NewPageAsync();
        Assert.True(links.Count > 20);
        foreach (var link in links)
        {
            await page.GotoAsync(link);
            await page.WaitForSelectorAsync("#verify[data-result]", new PageWaitForSelectorOptions { Timeout = 10000 });
            Assert.True(await page.GetAttributeAsync("#verify", "data-result") == "verified", link);
        }
    }
}
