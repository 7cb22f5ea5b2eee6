using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TeaTrace.Ledger;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace TeaTrace.Api.Tests;

/// <summary>QR codes, the Digital Link resolver, first scans and risk, as a consumer's phone and a label printer meet them.</summary>
public sealed class ConsumerTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>, IAsyncLifetime
{
    private World _world = null!;
    private string _lotId = "";
    private string _lotCode = "";
    private List<string> _serials = [];

    private const string Gtin = "06901234560015";

    public async Task InitializeAsync()
    {
        _world = await app.CreateWorldAsync();
        (_lotId, _lotCode, _serials) = await PackAsync(20);
        await app.Services.GetRequiredService<Features.LedgerApi.CheckpointSigner>().SignIfGrownAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(string Id, string Code, List<string> Serials)> PackAsync(int units)
    {
        var batch = await app.CompletedBatchAsync(_world);
        var lot = await TeaTraceApp.Created(await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(batch, unitCount: units)));
        var id = lot.GetProperty("id").GetString()!;
        var page = await TeaTraceApp.Expect(await app.Client(_world.ProcessorKey).GetAsync($"/api/lots/{id}/units?limit=1000"), HttpStatusCode.OK);
        return (id, lot.GetProperty("code").GetString()!, page.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("serial").GetString()!).ToList());
    }

    private string Link(string serial, string? lot = null) => $"/01/{Gtin}/10/{lot ?? _lotCode}/21/{serial}";

    private static HttpRequestMessage Get(string url, string accept = "application/json", string? userAgent = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(accept);
        if (userAgent is not null)
        {
            request.Headers.UserAgent.ParseAdd(userAgent);
        }

        return request;
    }

    private async Task<JsonElement> ScanAsync(string url, string? userAgent = null) =>
        await TeaTraceApp.Expect(await app.Client().SendAsync(Get(url, userAgent: userAgent)), HttpStatusCode.OK);

    // ---- QR codes and labels

    [Fact]
    public async Task QrPng_DecodesBackToTheUnitsDigitalLink()
    {
        var serial = _serials[3];
        var response = await app.Client(_world.ProcessorKey).GetAsync($"/api/units/{serial}/qr.png?size=400");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var (luminance, width, height) = PngDecoder.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.InRange(width, 200, 400);
        var bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(luminance, width, height, RGBLuminanceSource.BitmapFormat.Gray8)));
        var result = new QRCodeReader().decode(bitmap, new Dictionary<DecodeHintType, object> { [DecodeHintType.PURE_BARCODE] = false });

        Assert.NotNull(result);
        Assert.Equal($"https://tea.example.cn{Link(serial)}", result.Text);
        Assert.Equal("Q", result.ResultMetadata[ResultMetadataType.ERROR_CORRECTION_LEVEL]);
    }

    [Fact]
    public async Task QrSvg_IsAnSvgOfTheSameCode_AndSizeIsChecked()
    {
        var response = await app.Client(_world.ProcessorKey).GetAsync($"/api/units/{_serials[0]}/qr.svg");
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<svg", await response.Content.ReadAsStringAsync());
        await TeaTraceApp.Problem(await app.Client(_world.ProcessorKey).GetAsync($"/api/units/{_serials[0]}/qr.png?size=10"), HttpStatusCode.BadRequest);
        await TeaTraceApp.Problem(await app.Client(_world.ProcessorKey).GetAsync("/api/units/NOPE/qr.png"), HttpStatusCode.NotFound);
        await TeaTraceApp.Problem(await app.Client(_world.OtherProcessorKey).GetAsync($"/api/units/{_serials[0]}/qr.png"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task LabelsCsv_ListsEveryUnitWithItsLink()
    {
        var response = await app.Client(_world.ProcessorKey).GetAsync($"/api/lots/{_lotId}/labels.csv");

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal("serial,url", lines[0]);
        Assert.Equal(_serials.Select(s => $"{s},https://tea.example.cn{Link(s)}"), lines.Skip(1));
    }

    // ---- the resolver

    [Fact]
    public async Task Resolve_Json_IsTheProvenanceDocumentWithAVerifiableProof()
    {
        var serial = _serials[0];
        var doc = await ScanAsync(Link(serial));

        Assert.Equal(Gtin, doc.GetProperty("product").GetProperty("gtin").GetString());
        Assert.True(doc.GetProperty("product").GetProperty("giClaim").GetBoolean());
        Assert.Equal("strip", doc.GetProperty("product").GetProperty("style").GetProperty("code").GetString());
        Assert.Equal(_lotCode, doc.GetProperty("lot").GetProperty("code").GetString());
        Assert.Equal("issued", doc.GetProperty("unit").GetProperty("status").GetString());
        Assert.Equal(1, doc.GetProperty("unit").GetProperty("scanCount").GetInt32());
        Assert.True(doc.GetProperty("unit").GetProperty("firstScan").GetBoolean());
        Assert.Equal(["withering", "rolling", "fermentation", "drying"], doc.GetProperty("batch").GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()));
        var origin = doc.GetProperty("origins")[0];
        Assert.Equal("英红镇", origin.GetProperty("town").GetString());
        Assert.Equal("英红九号", origin.GetProperty("cultivar").GetString());
        Assert.Equal("bud1leaf", origin.GetProperty("pluckingStandard").GetString());
        Assert.Equal("ok", doc.GetProperty("risk").GetProperty("level").GetString());

        // The proof checks out with nothing but the ledger library.
        var proof = doc.GetProperty("proof");
        var body = Convert.FromBase64String(proof.GetProperty("entryBody").GetString()!);
        var leaf = Rfc9162.HashLeaf(body);
        var verifier = NoteVerifier.Parse(proof.GetProperty("verifierKey").GetString()!);
        var opened = SignedNote.Open(proof.GetProperty("checkpoint").GetString()!, [verifier]);
        Assert.True(opened.IsValid, opened.Reason);
        var checkpoint = Checkpoint.Parse(opened.Note.Text);
        var path = proof.GetProperty("auditPath").EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!)).ToList();
        Assert.True(ProofVerifier.VerifyInclusion(proof.GetProperty("entryIndex").GetInt64(), checkpoint.Size, leaf, path, checkpoint.RootHash.ToArray()).IsValid);
        using var entry = JsonDocument.Parse(body);
        Assert.Equal(_lotCode, entry.RootElement.GetProperty("data").GetProperty("code").GetString());

        // And the serial is one the signed lot entry committed to.
        var serialProof = proof.GetProperty("serial");
        var serialPath = serialProof.GetProperty("auditPath").EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!)).ToList();
        Assert.True(ProofVerifier.VerifyInclusion(serialProof.GetProperty("index").GetInt64(), _serials.Count,
            Rfc9162.HashLeaf(System.Text.Encoding.UTF8.GetBytes(serial)), serialPath,
            Convert.FromHexString(entry.RootElement.GetProperty("data").GetProperty("serialsRoot").GetString()!)).IsValid);
    }

    [Fact]
    public async Task Resolve_Html_IsASmallPageWithStrictHeaders()
    {
        var response = await app.Client().SendAsync(Get(Link(_serials[1]), "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("lang=\"zh-CN\"", html);
        Assert.Contains("首次查询", html);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(html) < 100 * 1024);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());

        var english = await app.Client().SendAsync(Get(Link(_serials[1]) + "?lang=en", "text/html"));
        Assert.Contains("lang=\"en\"", await english.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Resolve_Head_AnswersWithoutRecordingAScan()
    {
        var url = Link(_serials[2]);
        for (var i = 0; i < 3; i++)
        {
            var head = await app.Client().SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        }

        Assert.Equal(1, (await ScanAsync(url)).GetProperty("unit").GetProperty("scanCount").GetInt32());
    }

    [Fact]
    public async Task Resolve_CountsScans_FirstScanThenSeveral()
    {
        var url = Link(_serials[4]);
        var first = await ScanAsync(url);
        var second = await ScanAsync(url);

        Assert.True(first.GetProperty("unit").GetProperty("firstScan").GetBoolean());
        Assert.False(second.GetProperty("unit").GetProperty("firstScan").GetBoolean());
        Assert.Equal(2, second.GetProperty("unit").GetProperty("scanCount").GetInt32());
        Assert.Equal(first.GetProperty("unit").GetProperty("firstScanAt").GetString(), second.GetProperty("unit").GetProperty("firstScanAt").GetString());
    }

    [Fact]
    public async Task Linkset_AndResolverDescription()
    {
        var response = await app.Client().GetAsync(Link(_serials[5]) + "?linkType=linkset");
        Assert.Equal("application/linkset+json", response.Content.Headers.ContentType?.MediaType);
        var linkset = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("linkset")[0];
        Assert.Equal($"https://tea.example.cn{Link(_serials[5])}", linkset.GetProperty("anchor").GetString());
        Assert.Equal("application/json", linkset.GetProperty("https://gs1.org/voc/traceability")[0].GetProperty("type").GetString());

        var description = await TeaTraceApp.Expect(await app.Client().GetAsync("/.well-known/gs1resolver"), HttpStatusCode.OK);
        Assert.Equal("gtin", description.GetProperty("supportedPrimaryKeys")[0].GetString());
    }

    [Fact]
    public async Task WalkUp_UnknownSerialShowsTheLot_UnknownLotShowsTheProduct_UnknownGtinIs404()
    {
        var forged = await ScanAsync(Link("FAKE0000SERIAL"[..12]));
        Assert.False(forged.GetProperty("unit").GetProperty("issued").GetBoolean());
        Assert.Equal(_lotCode, forged.GetProperty("lot").GetProperty("code").GetString());
        Assert.Equal("warning", forged.GetProperty("risk").GetProperty("level").GetString());
        Assert.Contains(forged.GetProperty("risk").GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "never-issued");

        var lotLevel = await ScanAsync($"/01/{Gtin}/10/NOSUCHLOT");
        Assert.Equal(JsonValueKind.Null, lotLevel.GetProperty("lot").ValueKind);
        Assert.Equal(Gtin, lotLevel.GetProperty("product").GetProperty("gtin").GetString());

        var lot = await ScanAsync($"/01/{Gtin}/10/{_lotCode}");
        Assert.Equal(JsonValueKind.Null, lot.GetProperty("unit").ValueKind);
        Assert.Equal(_lotCode, lot.GetProperty("lot").GetProperty("code").GetString());

        // A real serial quoted under another lot is not what was issued either.
        var swapped = await ScanAsync($"/01/{Gtin}/10/{_lotCode[..7]}ZZZZZZ/21/{_serials[6]}");
        Assert.False(swapped.GetProperty("unit").GetProperty("issued").GetBoolean());

        await TeaTraceApp.Problem(await app.Client().SendAsync(Get("/01/09506000134352")), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/01/06901234560016/10/ABC/21/XYZ")] // bad check digit
    [InlineData("/01/06901234560015/21/XYZ/10/ABC")] // qualifiers out of order
    [InlineData("/01/06901234560015/10/ABC/")] // trailing slash
    [InlineData("/01/06901234560015/10/ABCDEFGHIJKLMNOPQRSTU")] // lot over 20 characters
    [InlineData("/01/06901234560015/10/ABC/21/123456789012345678901")] // serial over 20 characters
    [InlineData("/01/06901234560015/10/ABC?21=XYZ")] // key qualifier in the query string
    [InlineData("/01/0690123456")]
    public async Task Resolve_MalformedLink_Is400Problem_AndRecordsNothing(string url)
    {
        var before = app.Snapshot();
        var problem = await TeaTraceApp.Problem(await app.Client().SendAsync(Get(url, "text/html")), HttpStatusCode.BadRequest);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task Resolver_AllowsCrossOriginGets()
    {
        var request = Get(Link(_serials[7]));
        request.Headers.Add("Origin", "https://shop.example.com");
        var response = await app.Client().SendAsync(request);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    // ---- risk (who can move it, and how far: ScanRiskTests)

    [Fact]
    public async Task Recall_TurnsEveryUnitOfTheLotsToWarning()
    {
        var (lotId, code, serials) = await PackAsync(4);
        await app.Services.GetRequiredService<Features.LedgerApi.CheckpointSigner>().SignIfGrownAsync();
        Assert.Equal("ok", (await ScanAsync(Link(serials[0], code))).GetProperty("risk").GetProperty("level").GetString());

        var batch = (await TeaTraceApp.Expect(await app.Client(_world.RegulatorKey).GetAsync($"/api/lots/{lotId}"), HttpStatusCode.OK)).GetProperty("batchId").GetString();
        await TeaTraceApp.Created(await app.Client(_world.RegulatorKey).PostAsJsonAsync("/api/recalls", new { batchId = batch, reason = "霉变 (mould)" }));

        foreach (var serial in serials)
        {
            var doc = await ScanAsync(Link(serial, code));
            Assert.Equal("warning", doc.GetProperty("risk").GetProperty("level").GetString());
            Assert.Equal("recalled", doc.GetProperty("unit").GetProperty("status").GetString());
            Assert.Equal("霉变 (mould)", doc.GetProperty("recalls")[0].GetProperty("reason").GetString());
        }
    }

    [Fact]
    public async Task ScanClients_AreStoredOnlyAsSaltedHashes()
    {
        await ScanAsync(Link(_serials[10]), "Phone/Secret-Agent-123");
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT client_hash, network_hash FROM scans WHERE network_hash IS NOT NULL";
        using var reader = command.ExecuteReader();
        var rows = 0;
        while (reader.Read())
        {
            Assert.Matches("^[0-9a-f]{32}$", reader.GetString(0));
            Assert.Matches("^[0-9a-f]{32}$", reader.GetString(1));
            rows++;
        }

        Assert.True(rows > 0);
    }
}

/// <summary>Public endpoints answer 429 with Retry-After once a client passes the configured limit.</summary>
public sealed class RateLimitApp() : TeaTraceApp("none", null, new Dictionary<string, string>
{
    ["TeaTrace:RateLimit:Enabled"] = "true",
    ["TeaTrace:RateLimit:PermitLimit"] = "5",
    ["TeaTrace:RateLimit:WindowSeconds"] = "60",
});

public sealed class RateLimitTests(RateLimitApp app) : IClassFixture<RateLimitApp>
{
    [Fact]
    public async Task PublicEndpoints_OverTheLimit_Are429WithRetryAfter()
    {
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage last = null!;
        for (var i = 0; i < 7; i++)
        {
            last = await app.Client().GetAsync("/01/09506000134352");
            statuses.Add(last.StatusCode);
        }

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.NotFound));
        var problem = await TeaTraceApp.Problem(last, HttpStatusCode.TooManyRequests);
        Assert.Contains("try again", problem.GetProperty("detail").GetString());
        Assert.True(int.Parse(last.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        // Keyed endpoints are not limited this way.
        Assert.Equal(HttpStatusCode.OK, (await app.Admin().GetAsync("/api/me")).StatusCode);
    }
}
