using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace TeaTrace.Api.Tests;

/// <summary>Tags for baskets and trolleys, and the field pages as the service serves them.</summary>
public sealed class FieldTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>, IAsyncLifetime
{
    private World _world = null!;

    public async Task InitializeAsync() => _world = await app.CreateWorldAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Decode(byte[] png)
    {
        var (luminance, width, height) = PngDecoder.Decode(png);
        var bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(luminance, width, height, RGBLuminanceSource.BitmapFormat.Gray8)));
        // TRY_HARDER: without it ZXing now and then misses the finder patterns of a clean image at some module sizes.
        var hints = new Dictionary<DecodeHintType, object> { [DecodeHintType.TRY_HARDER] = true };
        return (new QRCodeReader().decode(bitmap, hints) ?? new QRCodeReader().decode(bitmap, new Dictionary<DecodeHintType, object> { [DecodeHintType.PURE_BARCODE] = true }))!.Text;
    }

    [Fact]
    public async Task HarvestAndBatchTags_EncodeTheirStationLinks()
    {
        var plot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId);
        var harvest = await app.HarvestAsync(_world.CoopFarmerKey, plot, 40m);
        var batch = await app.BatchAsync(_world.ProcessorKey, _world.FactoryId, true, (harvest.GetProperty("id").GetString()!, 40m));
        var (harvestCode, batchCode) = (harvest.GetProperty("code").GetString(), batch.GetProperty("code").GetString());

        var harvestQr = await app.Client(_world.ProcessorKey).GetByteArrayAsync($"/api/harvests/{harvest.GetProperty("id").GetString()}/qr.png?size=300");
        var batchQr = await app.Client(_world.ProcessorKey).GetByteArrayAsync($"/api/batches/{batchCode}/qr.png");

        Assert.Equal($"https://tea.example.cn/h/{harvestCode}", Decode(harvestQr));
        Assert.Equal($"https://tea.example.cn/b/{batchCode}", Decode(batchQr));
        Assert.Contains("<svg", await app.Client(_world.CoopFarmerKey).GetStringAsync($"/api/harvests/{harvestCode}/qr.svg"));
        await TeaTraceApp.Problem(await app.Client(_world.FarmFarmerKey).GetAsync($"/api/harvests/{harvestCode}/qr.png"), HttpStatusCode.Forbidden);
        await TeaTraceApp.Problem(await app.Client(_world.OtherProcessorKey).GetAsync($"/api/batches/{batchCode}/qr.svg"), HttpStatusCode.Forbidden);
        await TeaTraceApp.Problem(await app.Client(_world.ProcessorKey).GetAsync("/api/batches/B-NOPE0000/qr.png"), HttpStatusCode.NotFound);

        // The links open the harvest or batch in the station page; the printable tags carry code, date and QR.
        var open = await app.Client().GetAsync($"/h/{harvestCode}");
        Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
        Assert.Equal($"/station/?h={harvestCode}", open.Headers.Location!.OriginalString);
        var tag = await app.Client().GetAsync($"/b/{batchCode}/tag");
        var html = await tag.Content.ReadAsStringAsync();
        Assert.Contains($">{batchCode}</h1>", html);
        Assert.Contains("<svg", html);
        Assert.Contains("default-src 'none'", tag.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains(Scenario.Day, await app.Client().GetStringAsync($"/h/{harvestCode}/tag"));
        await TeaTraceApp.Problem(await app.Client().GetAsync("/h/H-NOPE0000/tag"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TagSheets_ShowOnlyWhatAConsumerPageWould()
    {
        // A basket's tag is read by anyone who passes it: the code, the day, the town, the cultivar and the GI status,
        // not the plot's name (it may be a family's) nor the weight (the API keeps those to the plot's organisation).
        var plot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId);
        var harvest = await app.HarvestAsync(_world.CoopFarmerKey, plot, 43.21m);
        var batch = await app.BatchAsync(_world.ProcessorKey, _world.FactoryId, true, (harvest.GetProperty("id").GetString()!, 43.21m));

        var harvestTag = await app.Client().GetStringAsync($"/h/{harvest.GetProperty("code").GetString()}/tag");
        Assert.Contains("英红镇", harvestTag);
        Assert.Contains("英红九号", harvestTag);
        Assert.Contains("GI garden", harvestTag);
        Assert.DoesNotContain("鸡笼山", harvestTag);
        Assert.DoesNotContain("43.21", harvestTag);
        Assert.Contains("<meta name=\"description\"", harvestTag);

        var batchTag = await app.Client().GetStringAsync($"/b/{batch.GetProperty("code").GetString()}/tag");
        Assert.Contains("英德红茶加工厂", batchTag);
        Assert.DoesNotContain("43.21", batchTag);
    }

    [Theory]
    [InlineData("/app/")]
    [InlineData("/station/")]
    [InlineData("/coop/")]
    public async Task FieldPages_AreServedWithTheirPolicy_AndNothingFromOtherHosts(string path)
    {
        var response = await app.Client().GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.DoesNotContain("http", html.Replace("http-equiv", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("lang=\"zh-CN\"", html);
    }

    [Fact]
    public async Task FarmerPage_IsInstallable()
    {
        var manifest = JsonDocument.Parse(await app.Client().GetStringAsync("/app/app.webmanifest")).RootElement;
        Assert.Equal("/app/", manifest.GetProperty("start_url").GetString());
        Assert.Equal("standalone", manifest.GetProperty("display").GetString());
        foreach (var icon in manifest.GetProperty("icons").EnumerateArray())
        {
            Assert.Equal(HttpStatusCode.OK, (await app.Client().GetAsync(icon.GetProperty("src").GetString())).StatusCode);
        }

        var worker = await app.Client().GetAsync("/app/sw.js");
        Assert.Equal("no-cache", worker.Headers.CacheControl?.ToString());
        var script = await worker.Content.ReadAsStringAsync();
        foreach (var cached in new[] { "/app/app.js", "/field/field.js", "/field/field.css" })
        {
            Assert.Contains($"\"{cached}\"", script);
            Assert.Equal(HttpStatusCode.OK, (await app.Client().GetAsync(cached)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await app.Client().GetAsync("/vendor/jsqr-1.4.0/jsQR.js")).StatusCode);
    }
}
