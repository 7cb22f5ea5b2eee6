using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace TeaTrace.Browser.Tests;

/// <summary>The farmer's offline-first page and the processor's station, in Chromium at phone size.</summary>
public sealed class FieldPageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string FarmerKey = "tt_demo_farmer_yinghong_coop";
    private const string ProcessorKey = "tt_demo_processor_yinghong_factory";

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private async Task<IPage> FarmerAsync(IBrowserContext phone)
    {
        var page = await phone.NewPageAsync();
        await page.GotoAsync($"{app.BaseUrl}/app/");
        await page.FillAsync("#key", FarmerKey);
        await page.ClickAsync("#signin-button");
        await page.Locator("#plot option").Nth(1).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await page.EvaluateAsync("navigator.serviceWorker.ready");
        return page;
    }

    // Selectors, not script predicates: the page's content security policy forbids evaluating strings.
    private Task WaitForNothingPendingAsync(IPage page) =>
        page.WaitForSelectorAsync("body[data-pending='0']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached, Timeout = (float)Wait.TotalMilliseconds });

    private long Harvests(decimal kg) => app.Scalar($"SELECT count(*) FROM harvests WHERE fresh_leaf_g = {(long)(kg * 1000)}");

    [Fact]
    public async Task Farmer_RecordsAHarvestOffline_ItIsSentOnceWhenTheNetworkReturns()
    {
        await using var phone = await app.PhoneAsync();
        var page = await FarmerAsync(phone);

        await phone.SetOfflineAsync(true);
        await page.FillAsync("#kg", "23.456");
        await page.ClickAsync("#save-harvest");
        // Saving is asynchronous (IndexedDB): wait for the page to count the record, not for the click to return.
        await page.WaitForSelectorAsync("body[data-pending='1']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached, Timeout = (float)Wait.TotalMilliseconds });
        Assert.Equal("1", await page.InnerTextAsync("#pending-count"));
        Assert.Equal("离线", await page.InnerTextAsync("#net"));
        Assert.Equal(0, Harvests(23.456m));

        // With no network at all the page still opens, from the service worker's cache, with its record waiting.
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("#main:not(.hidden)");
        Assert.Equal("1", await page.InnerTextAsync("#pending-count"));
        Assert.True(await page.EvaluateAsync<bool>("navigator.serviceWorker.controller !== null"));
        Assert.Equal(0, await page.EvaluateAsync<int>("performance.getEntriesByType('navigation')[0].transferSize"));
        Assert.True(await page.EvaluateAsync<bool>("caches.match('/app/').then(r => r !== undefined)"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ScreenshotPath("farmer-offline.png"), FullPage = true });

        await phone.SetOfflineAsync(false);
        await WaitForNothingPendingAsync(page);

        Assert.Equal(1, Harvests(23.456m));
        var entry = app.Scalar("SELECT count(*) FROM ledger_entries WHERE type = 'harvest.recorded' AND CAST(body AS TEXT) LIKE '%\"freshLeafKg\":23.456%'");
        Assert.Equal(1, entry);
        Assert.Matches("^H-[0-9A-Z]{8}$", await page.InnerTextAsync("#recent li:first-child .state"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ScreenshotPath("farmer-page.png"), FullPage = true });
    }

    [Fact]
    public async Task Farmer_SellsLeafOffline_TheCertificateAndItsQrAreThereAtOnce_AndItIsRegisteredOnceOnline()
    {
        await using var phone = await app.PhoneAsync();
        var page = await FarmerAsync(phone);
        await page.ClickAsync("#tab-sale"); // online once: the list of buyers is kept on the phone
        await page.Locator("#sale-buyer option").First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

        await phone.SetOfflineAsync(true);
        await page.ClickAsync("#tab-harvest");
        await page.FillAsync("#kg", "31.5");
        await page.ClickAsync("#save-harvest");
        await page.WaitForSelectorAsync("body[data-pending='1']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached, Timeout = (float)Wait.TotalMilliseconds });
        await page.ClickAsync("#tab-sale");
        await page.Locator("#sale-harvest option").First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        Assert.Equal("31.5", await page.InputValueAsync("#sale-kg"));
        await page.ClickAsync("#save-sale");

        await page.WaitForSelectorAsync("#certificate[data-status='pending'] #certificate-qr svg");
        var number = await page.GetAttributeAsync("#certificate", "data-number");
        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{12}$", number);
        Assert.Equal($"{number![..4]}-{number[4..8]}-{number[8..]}", await page.InnerTextAsync("#certificate-number"));
        Assert.Equal("2", await page.InnerTextAsync("#pending-count"));
        Assert.Equal(0, app.Scalar($"SELECT count(*) FROM leaf_sales WHERE certificate_no = '{number}'"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ScreenshotPath("farmer-certificate-offline.png"), FullPage = true });

        await phone.SetOfflineAsync(false);
        await WaitForNothingPendingAsync(page);
        await page.WaitForSelectorAsync("#certificate[data-status='done']");
        Assert.Equal(1, app.Scalar($"SELECT count(*) FROM leaf_sales WHERE certificate_no = '{number}' AND minted_offline = 1 AND leaf_g = 31500"));
        Assert.Equal(1, app.Scalar($"SELECT count(*) FROM ledger_entries WHERE type = 'leaf.sold' AND CAST(body AS TEXT) LIKE '%{number}%'"));
    }

    [Fact]
    public async Task Farmer_AnswerLostOnAFlakyNetwork_TheRetryWritesNothingMore()
    {
        await using var phone = await app.PhoneAsync();
        var page = await FarmerAsync(phone);
        var deliveries = 0;
        await page.RouteAsync("**/api/harvests", async route =>
        {
            if (Interlocked.Increment(ref deliveries) == 1)
            {
                await route.FetchAsync(); // the server gets it and answers ...
                await route.AbortAsync("connectionreset"); // ... but the answer never reaches the phone
            }
            else
            {
                await route.ContinueAsync();
            }
        });

        await page.FillAsync("#kg", "31.007");
        await page.ClickAsync("#save-harvest");
        // Nothing is pending before the save either: wait for the record to be listed as sent.
        await page.WaitForSelectorAsync("#recent li[data-status='done'] .record-title:has-text('31.007 kg')", new PageWaitForSelectorOptions { Timeout = (float)Wait.TotalMilliseconds });
        await WaitForNothingPendingAsync(page);

        Assert.True(deliveries >= 2, $"the page should have sent the record again, sent {deliveries} times");
        Assert.Equal(1, Harvests(31.007m));
    }

    [Fact]
    public async Task Farmer_RefusedRecord_ShowsTheServersReason_AndIsKept()
    {
        await using var phone = await app.PhoneAsync();
        var page = await FarmerAsync(phone);
        await page.SelectOptionAsync("#plot", new SelectOptionValue { Label = "鸡笼山 3号地块 · 英红九号" });

        await page.FillAsync("#picked-on", "2026-03-20"); // two days after the demo garden's matrine spraying
        await page.FillAsync("#kg", "5");
        await page.ClickAsync("#save-harvest");
        await page.WaitForSelectorAsync("#refused li", new PageWaitForSelectorOptions { Timeout = (float)Wait.TotalMilliseconds });

        var reason = await page.InnerTextAsync("#refused li .reason");
        Assert.Contains("2026-03-25", reason);
        Assert.Contains("苦参碱", reason);
        Assert.Contains("最早可采摘日期", reason); // the server's words, in the language the farmer reads
        Assert.Contains("2026-03-25", await page.InnerTextAsync("#message"));
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("#refused li");
        Assert.Equal(0, Harvests(5m) - app.Scalar("SELECT count(*) FROM harvests WHERE fresh_leaf_g = 5000 AND picked_on <> '2026-03-20'"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ScreenshotPath("farmer-refused.png"), FullPage = true });
    }

    [Fact]
    public async Task Farmer_HeaderFitsAPhone_AndRefusalsFollowTheChosenLanguage()
    {
        await using var phone = await app.PhoneAsync();
        var page = await FarmerAsync(phone);

        // At 360 px the network badge stays on one line; the organisation's long name gives way.
        var badge = await page.Locator("#net").BoundingBoxAsync();
        var brand = await page.Locator(".top .brand").BoundingBoxAsync();
        Assert.True(badge!.Height < brand!.Height * 1.25, $"the badge wraps: {badge.Height} px high, the title {brand.Height} px");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));

        await page.ClickAsync("#lang");
        await page.SelectOptionAsync("#plot", new SelectOptionValue { Label = "鸡笼山 3号地块 · 英红九号" });
        await page.FillAsync("#picked-on", "2026-03-21");
        await page.FillAsync("#kg", "6");
        await page.ClickAsync("#save-harvest");
        await page.WaitForSelectorAsync("#refused li:has-text('2026-03-21')", new PageWaitForSelectorOptions { Timeout = (float)Wait.TotalMilliseconds });
        Assert.Contains("the first allowed harvest date is 2026-03-25", await page.InnerTextAsync("#refused li:has-text('2026-03-21') .reason"));
        await page.ClickAsync("#lang"); // back to Chinese for the other tests on this phone's storage
    }

    [Fact]
    public async Task Processor_BuildsABatchFromATypedTag_RecordsFourSteps_AndCompletesIt()
    {
        using var farmer = app.CreateClient();
        farmer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", FarmerKey);
        var plots = await farmer.GetFromJsonAsync<JsonElement>("/api/plots");
        var plot = plots.EnumerateArray().First(p => p.GetProperty("giEligible").GetBoolean()).GetProperty("id").GetString();
        var yesterday = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var harvestResponse = await farmer.PostAsJsonAsync("/api/harvests", new { plotId = plot, pickedOn = yesterday, pluckingStandard = "bud1leaf", freshLeafKg = 86m });
        var harvest = JsonDocument.Parse(await harvestResponse.Content.ReadAsStringAsync()).RootElement;
        var code = harvest.GetProperty("code").GetString()!;

        // The leaf reaches the factory with its certificate, and the gate receives it.
        using var processor = app.CreateClient();
        processor.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ProcessorKey);
        var factory = (await processor.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("org").GetProperty("id").GetString();
        var soldAt = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).AddMinutes(-30);
        var sale = await farmer.PostAsJsonAsync("/api/leaf-sales", new { buyerOrgId = factory, soldAt, basis = "control", harvests = new[] { new { harvestId = harvest.GetProperty("id").GetString(), kg = 86m } } });
        Assert.Equal(System.Net.HttpStatusCode.Created, sale.StatusCode);
        var number = JsonDocument.Parse(await sale.Content.ReadAsStringAsync()).RootElement.GetProperty("certificateNo").GetString();
        var receipt = await processor.PostAsJsonAsync("/api/leaf-receipts", new { certificateNo = number, receivedAt = soldAt.AddMinutes(20), receivedKg = 86m });
        Assert.Equal(System.Net.HttpStatusCode.Created, receipt.StatusCode);

        await using var phone = await app.PhoneAsync();
        var page = await phone.NewPageAsync();
        await page.GotoAsync($"{app.BaseUrl}/station/");
        await page.FillAsync("#key", ProcessorKey);
        await page.ClickAsync("#signin-button");
        await page.WaitForSelectorAsync("#main:not(.hidden)");

        await page.FillAsync("#code", code);
        await page.ClickAsync("#code-go");
        await page.WaitForSelectorAsync($"#leaf li[data-harvest='{code}']");
        Assert.Contains("86", await page.InputValueAsync($"#leaf li[data-harvest='{code}'] input"));
        var started = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).AddHours(-6);
        await page.FillAsync("#batch-start", started.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        await page.ClickAsync("#start-batch");
        await page.WaitForSelectorAsync("#batch[data-next='withering']");
        var batchCode = await page.InnerTextAsync("#batch-code");

        foreach (var (step, next) in new[] { ("withering", "rolling"), ("rolling", "fermentation"), ("fermentation", "drying"), ("drying", "") })
        {
            await page.FillAsync("#temperature", step == "drying" ? "110" : "26");
            await page.FillAsync("#humidity", step == "fermentation" ? "94" : "70");
            await page.ClickAsync("#record-step");
            await page.WaitForSelectorAsync($"#batch[data-next='{next}']");
        }

        await page.FillAsync("#made-kg", "20");
        await page.FillAsync("#moisture", "6.1");
        await page.ClickAsync("#complete");
        await page.WaitForSelectorAsync("#batch[data-status='completed']");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ScreenshotPath("station-page.png"), FullPage = true });

        var batch = await processor.GetFromJsonAsync<JsonElement>($"/api/batches/{batchCode}");
        Assert.Equal("completed", batch.GetProperty("status").GetString());
        Assert.Equal(4, batch.GetProperty("steps").GetArrayLength());
        Assert.Equal(20m, batch.GetProperty("completion").GetProperty("madeTeaKg").GetDecimal());
        Assert.Equal(code, batch.GetProperty("inputs")[0].GetProperty("harvestCode").GetString());

        // Reading the batch's own tag from a photo opens it again.
        var qr = await processor.GetByteArrayAsync($"/api/batches/{batchCode}/qr.png?size=400");
        var file = Path.Combine(Path.GetTempPath(), $"tag-{Guid.NewGuid():N}.png");
        await File.WriteAllBytesAsync(file, qr);
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("#main:not(.hidden)");
        await page.SetInputFilesAsync("#photo", file);
        await page.WaitForSelectorAsync("#batch[data-status='completed']");
        Assert.Equal(batchCode, await page.InnerTextAsync("#batch-code"));
        File.Delete(file);
    }

    [Fact]
    public async Task Gate_ReceivesALoad_ByAPhotographedCertificate_AndItsLeafJoinsTheBatch_AndThePurchaseLedger()
    {
        using var farmer = app.CreateClient();
        farmer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", FarmerKey);
        using var processor = app.CreateClient();
        processor.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ProcessorKey);
        var plots = await farmer.GetFromJsonAsync<JsonElement>("/api/plots");
        var plot = plots.EnumerateArray().First(p => p.GetProperty("giEligible").GetBoolean()).GetProperty("id").GetString();
        var now = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        var harvest = JsonDocument.Parse(await (await farmer.PostAsJsonAsync("/api/harvests", new { plotId = plot, pickedOn = now.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), pluckingStandard = "bud1leaf", freshLeafKg = 50m })).Content.ReadAsStringAsync()).RootElement;
        var factory = (await processor.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("org").GetProperty("id").GetString();
        var sale = await farmer.PostAsJsonAsync("/api/leaf-sales", new { buyerOrgId = factory, soldAt = now.AddMinutes(-40), basis = "control", harvests = new[] { new { harvestId = harvest.GetProperty("id").GetString(), kg = 50m } } });
        Assert.Equal(System.Net.HttpStatusCode.Created, sale.StatusCode);
        var number = JsonDocument.Parse(await sale.Content.ReadAsStringAsync()).RootElement.GetProperty("certificateNo").GetString()!;

        // The farmer's printed QR, photographed at the gate.
        var file = Path.Combine(Path.GetTempPath(), $"certificate-{Guid.NewGuid():N}.png");
        await File.WriteAllBytesAsync(file, await farmer.GetByteArrayAsync($"/api/certificates/{number}/qr.png?size=400"));
        await using var phone = await app.PhoneAsync();
        var page = await phone.NewPageAsync();
        await page.GotoAsync($"{app.BaseUrl}/station/");
        await page.FillAsync("#key", ProcessorKey);
        await page.ClickAsync("#signin-button");
        await page.WaitForSelectorAsync("#main:not(.hidden)");
        await page.SetInputFilesAsync("#photo", file);
        File.Delete(file);

        await page.WaitForSelectorAsync("#gate[data-status='issued']");
        Assert.Contains(number[..4], await page.InnerTextAsync("#gate-number"));
        Assert.Equal("50", await page.InputValueAsync("#gate-kg"));
        await page.FillAsync("#gate-kg", "48.6");
        await page.ClickAsync("#gate-receive");
        await page.WaitForSelectorAsync("#gate[data-status='received']");
        await page.WaitForSelectorAsync($"#leaf li[data-harvest='{harvest.GetProperty("code").GetString()}']");
        await page.WaitForSelectorAsync($"#ledger-table tr[data-certificate='{number}']");
        Assert.Contains("48.6", await page.InnerTextAsync($"#ledger-table tr[data-certificate='{number}']"));
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ScreenshotPath("station-gate.png"), FullPage = true });

        var certificate = await processor.GetFromJsonAsync<JsonElement>($"/api/certificates/{number}");
        Assert.Equal(48.6m, certificate.GetProperty("receipt").GetProperty("receivedKg").GetDecimal());
        Assert.Equal(1L, app.Scalar($"SELECT count(*) FROM leaf_receipts r JOIN leaf_sales s ON s.id = r.sale_id WHERE s.certificate_no = '{number}'"));
    }

    [Fact]
    public async Task Processor_RefusalIsShownInPlainWords()
    {
        await using var phone = await app.PhoneAsync("en-US");
        var page = await phone.NewPageAsync();
        await page.GotoAsync($"{app.BaseUrl}/station/");
        await page.FillAsync("#key", ProcessorKey);
        await page.ClickAsync("#signin-button");
        await page.WaitForSelectorAsync("#main:not(.hidden)");

        // The page speaks Chinese until the processor switches; the server's refusal follows the page, not the browser.
        await page.FillAsync("#code", "H-00000000");
        await page.ClickAsync("#code-go");
        await page.WaitForSelectorAsync("#message.error");
        Assert.Contains("找不到编号为 'H-00000000' 的采摘记录", await page.InnerTextAsync("#message"));

        await page.ClickAsync("#lang");
        await page.FillAsync("#code", "H-00000001");
        await page.ClickAsync("#code-go");
        await page.WaitForSelectorAsync("#message.error:has-text('H-00000001')");
        Assert.Contains("No harvest has the id", await page.InnerTextAsync("#message"));
    }

    private async Task<IPage> CollectionPointAsync(IBrowserContext phone)
    {
        var page = await phone.NewPageAsync();
        await page.GotoAsync($"{app.BaseUrl}/coop/");
        await page.FillAsync("#key", FarmerKey);
        await page.ClickAsync("#signin-button");
        await page.Locator("#members button").Nth(4).WaitForAsync();
        await page.EvaluateAsync("navigator.serviceWorker.ready");
        return page;
    }

    [Fact]
    public async Task Coop_RecordsACollectionOffline_ItIsSentOnceWhenTheNetworkReturns()
    {
        await using var phone = await app.PhoneAsync();
        var page = await CollectionPointAsync(phone);
        await page.ClickAsync("#members button:has-text('温秀兰')");
        Assert.Equal("true", await page.GetAttributeAsync("#members button:has-text('温秀兰')", "aria-pressed"));
        Assert.Contains("温家 积庆里西坡", await page.InnerTextAsync("#plot option:checked"));

        await phone.SetOfflineAsync(true);
        await page.FillAsync("#kg", "3.217");
        await page.FillAsync("#price", "41.5");
        await page.ClickAsync("#save");
        await page.WaitForSelectorAsync("body[data-pending='1']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached, Timeout = (float)Wait.TotalMilliseconds });
        Assert.Equal("3.217 kg", await page.InnerTextAsync("#today-kg"));
        Assert.Equal("¥133.51", await page.InnerTextAsync("#today-amount")); // 3.217 kg × ¥41.50 = 133.5055
        Assert.Equal(0, app.Scalar("SELECT count(*) FROM collections WHERE leaf_g = 3217"));

        // With no network the page opens from the service worker's cache, its collection still waiting.
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("#main:not(.hidden)");
        Assert.Equal("1", await page.InnerTextAsync("#pending-count"));
        Assert.Equal(0, await page.EvaluateAsync<int>("performance.getEntriesByType('navigation')[0].transferSize"));

        await phone.SetOfflineAsync(false);
        await WaitForNothingPendingAsync(page);
        Assert.Equal(1, app.Scalar("SELECT count(*) FROM collections WHERE leaf_g = 3217"));
        Assert.Equal(1, app.Scalar("SELECT count(*) FROM ledger_entries WHERE type = 'collection.recorded' AND CAST(body AS TEXT) LIKE '%\"kg\":3.217%'"));
        Assert.Matches("^H-[0-9A-Z]{8}$", await page.InnerTextAsync("#today li:first-child .state"));
        Assert.Equal("¥133.51", await page.InnerTextAsync("#today-amount"));
    }

    [Fact]
    public async Task Coop_FitsA360PixelPhone_WithBigTargetsForEveryMember()
    {
        await using var phone = await app.PhoneAsync();
        var page = await CollectionPointAsync(phone);
        Assert.Equal(360, await page.EvaluateAsync<int>("window.innerWidth"));
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        var buttons = page.Locator("#members button");
        Assert.Equal(5, await buttons.CountAsync());
        for (var i = 0; i < 5; i++)
        {
            var box = await buttons.Nth(i).BoundingBoxAsync();
            Assert.True(box!.Height >= 48 && box.Width >= 120, $"member button {i} is {box.Width}×{box.Height} px");
        }

        var badge = await page.Locator("#net").BoundingBoxAsync();
        var brand = await page.Locator(".top .brand").BoundingBoxAsync();
        Assert.True(badge!.Height < brand!.Height * 1.25, $"the badge wraps: {badge.Height} px high");
        Assert.Equal("收购点", await page.InnerTextAsync(".top .brand"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ScreenshotPath("coop-page.png"), FullPage = true });
    }
}
