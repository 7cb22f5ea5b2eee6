using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace TeaTrace.Api.Tests;

/// <summary>A clock the tests move forward, so a time window can be crossed without waiting for it.</summary>
public sealed class MovableClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}

/// <summary>The service behind a named proxy, on a clock the tests can move.</summary>
public sealed class ScanRiskApp() : TeaTraceApp("none", null, new Dictionary<string, string>
{
    ["TeaTrace:ForwardedHeaders:KnownProxies:0"] = Proxy,
    ["TeaTrace:Risk:WindowDays"] = WindowDays.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ["TeaTrace:Risk:PlaceMinutes"] = PlaceMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture),
})
{
    public const string Proxy = "10.9.9.9";
    public const int WindowDays = 30;
    public const int PlaceMinutes = 10;

    public MovableClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>
/// Who can move a unit's risk, and how far: requests a person scanning does not make, wrong links, invented serials,
/// one network posing as many, reported places and old scans must not turn a genuine tin into a "warning"; many
/// real networks still do.
/// </summary>
public sealed class ScanRiskTests(ScanRiskApp app) : IClassFixture<ScanRiskApp>, IAsyncLifetime
{
    private const string Gtin = "06901234560015";
    private const string OtherGtin = "06901234560022";
    private const string UnknownGtin = "09506000134352";

    private World _world = null!;
    private string _lotCode = "";
    private string _otherLotCode = "";
    private List<string> _serials = [];
    private int _nextSerial;

    public async Task InitializeAsync()
    {
        _world = await app.CreateWorldAsync();
        var batch = await app.CompletedBatchAsync(_world);
        var lot = await TeaTraceApp.Created(await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(batch, unitCount: 12)));
        _lotCode = lot.GetProperty("code").GetString()!;
        var units = await TeaTraceApp.Expect(await app.Client(_world.ProcessorKey).GetAsync($"/api/lots/{lot.GetProperty("id").GetString()}/units?limit=100"), HttpStatusCode.OK);
        _serials = units.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("serial").GetString()!).ToList();
        var other = await TeaTraceApp.Created(await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(batch, unitCount: 2, gtin: OtherGtin)));
        _otherLotCode = other.GetProperty("code").GetString()!;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private string NextLink() => Link(_serials[_nextSerial++]);

    private string Link(string serial) => $"/01/{Gtin}/10/{_lotCode}/21/{serial}";

    /// <summary>An address in the i-th of many /24 networks.</summary>
    private static string Network(int i) => $"198.18.{i}.7";

    private static readonly string[] HtmlAccept = ["text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"];

    private static HttpRequestMessage Request(string url, string agent, string accept = "application/json", params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        request.Headers.TryAddWithoutValidation("User-Agent", agent);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    /// <summary>A phone asking for the provenance document, as a scanning app does.</summary>
    private async Task<JsonElement> ScanAsync(string url, string address, string agent = "Phone/1")
    {
        using var client = app.ClientFrom(address);
        return await TeaTraceApp.Expect(await client.SendAsync(Request(url, agent)), HttpStatusCode.OK);
    }

    /// <summary>A phone's browser opening the link from the camera: a top-level navigation.</summary>
    private async Task OpenAsync(string url, string address, string agent = "Mozilla/5.0 (Linux; Android 14) Mobile")
    {
        using var client = app.ClientFrom(address);
        var response = await client.SendAsync(Request(url, agent, HtmlAccept[0],
            ("Sec-Fetch-Dest", "document"), ("Sec-Fetch-Mode", "navigate"), ("Sec-Fetch-Site", "none"), ("Sec-Fetch-User", "?1")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    private static string Level(JsonElement doc) => doc.GetProperty("risk").GetProperty("level").GetString()!;

    private static List<string?> Reasons(JsonElement doc) =>
        doc.GetProperty("risk").GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("code").GetString()).ToList();

    private static int ScanCount(JsonElement doc) => doc.GetProperty("unit").GetProperty("scanCount").GetInt32();

    private static void NotAWarning(JsonElement doc) => Assert.True(Level(doc) is "ok" or "caution", $"risk is {Level(doc)}: {string.Join(", ", Reasons(doc))}");

    private async Task<HttpStatusCode> PlaceAsync(JsonElement scan, double latitude, double longitude)
    {
        var token = scan.GetProperty("unit").GetProperty("scanToken").GetString();
        var response = await app.Client().PostAsJsonAsync($"/api/scans/{token}/place", new { latitude, longitude });
        return response.StatusCode;
    }

    /// <summary>One scan placed in Guangzhou, one in Beijing (1,900 km apart) minutes later; then the unit's risk.</summary>
    private async Task<JsonElement> PlacedFarApartAsync(string url, string guangzhou, string beijing)
    {
        Assert.Equal(HttpStatusCode.NoContent, await PlaceAsync(await ScanAsync(url, guangzhou, "Phone/GZ"), 23.13, 113.26));
        Assert.Equal(HttpStatusCode.NoContent, await PlaceAsync(await ScanAsync(url, beijing, "Phone/BJ"), 39.90, 116.40));
        return await ScanAsync(url, beijing, "Phone/BJ");
    }

    // ---- one network posing as many devices

    [Fact]
    public async Task OneAddress_ManyUserAgents_IsAtMostACaution()
    {
        var url = NextLink();
        JsonElement doc = default;
        for (var agent = 1; agent <= 22; agent++)
        {
            doc = await ScanAsync(url, "203.0.113.7", $"Phone/{agent}");
            NotAWarning(doc);
        }

        Assert.Equal("caution", Level(doc));
        Assert.Contains("several-devices", Reasons(doc));
    }

    [Theory]
    [InlineData("198.19.5.{0}")]
    [InlineData("2001:db8:5:{0:x}::{0:x}")]
    public async Task OneNetwork_ManyAddressesAndAgents_IsAtMostACaution(string addressPattern)
    {
        var url = NextLink();
        for (var i = 1; i <= 25; i++)
        {
            NotAWarning(await ScanAsync(url, string.Format(System.Globalization.CultureInfo.InvariantCulture, addressPattern, i), $"Phone/{i}"));
        }
    }

    [Fact]
    public async Task ForwardedFor_FromAnAddressThatIsNotAProxy_IsIgnored()
    {
        var url = NextLink();
        using var client = app.ClientFrom("203.0.113.8");
        for (var i = 1; i <= 22; i++)
        {
            var doc = await TeaTraceApp.Expect(await client.SendAsync(Request(url, $"Phone/{i}", headers: ("X-Forwarded-For", Network(i)))), HttpStatusCode.OK);
            NotAWarning(doc);
        }
    }

    // ---- requests that are not a person scanning

    public static TheoryData<string, string, string[]> Embedded => new()
    {
        // <img src=…>
        { "image", "image/avif,image/webp,image/apng,image/*,*/*;q=0.8", ["Sec-Fetch-Dest: image", "Sec-Fetch-Mode: no-cors", "Sec-Fetch-Site: cross-site"] },
        // <script src=…>
        { "script", "*/*", ["Sec-Fetch-Dest: script", "Sec-Fetch-Mode: no-cors", "Sec-Fetch-Site: cross-site"] },
        // <iframe src=…>: a navigation, but not a top-level one
        { "iframe", HtmlAccept[0], ["Sec-Fetch-Dest: iframe", "Sec-Fetch-Mode: navigate", "Sec-Fetch-Site: cross-site"] },
        // fetch(…) from another site's script, asking for the document
        { "fetch", "application/json", ["Sec-Fetch-Dest: empty", "Sec-Fetch-Mode: cors", "Sec-Fetch-Site: cross-site"] },
        // another page's speculation rules fetching the page ahead of a click that may never come
        { "prefetch", HtmlAccept[0], ["Sec-Fetch-Dest: document", "Sec-Fetch-Mode: navigate", "Sec-Fetch-Site: cross-site", "Sec-Purpose: prefetch"] },
        // an image in a browser that sends no fetch metadata
        { "old image", "image/webp,image/png,image/*;q=0.8,*/*;q=0.5", [] },
    };

    [Theory]
    [MemberData(nameof(Embedded))]
    public async Task EmbeddedFetches_FromManyNetworks_AreServedButNotCounted(string kind, string accept, string[] headers)
    {
        var url = NextLink();
        var served = new List<HttpResponseMessage>();
        for (var visitor = 1; visitor <= 22; visitor++)
        {
            using var client = app.ClientFrom(Network(visitor));
            served.Add(await client.SendAsync(Request(url, $"Browser/{visitor}", accept, [.. headers.Select(h => (h[..h.IndexOf(':')], h[(h.IndexOf(':') + 2)..]))])));
        }

        var scan = await ScanAsync(url, Network(200));
        Assert.Equal(1, ScanCount(scan));
        Assert.Equal("ok", Level(scan));
        foreach (var response in served)
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{kind}: {(int)response.StatusCode}");
            // Nothing was recorded, so there is no scan to report a place for.
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("data-token", body, StringComparison.Ordinal);
            if (response.Content.Headers.ContentType?.MediaType == "application/json")
            {
                Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(body).RootElement.GetProperty("unit").GetProperty("scanToken").ValueKind);
            }
        }
    }

    // ---- links that do not name this unit

    [Theory]
    [InlineData("wrong lot")]
    [InlineData("another product's lot")]
    [InlineData("unknown product")]
    public async Task ScansOfTheSerialUnderAWrongGtinOrLot_DoNotCountForIt(string wrong)
    {
        var serial = _serials[_nextSerial++];
        var (url, status) = wrong switch
        {
            "wrong lot" => ($"/01/{Gtin}/10/NOTTHELOT/21/{serial}", HttpStatusCode.OK),
            "another product's lot" => ($"/01/{OtherGtin}/10/{_otherLotCode}/21/{serial}", HttpStatusCode.OK),
            _ => ($"/01/{UnknownGtin}/21/{serial}", HttpStatusCode.NotFound),
        };
        for (var visitor = 1; visitor <= 22; visitor++)
        {
            using var client = app.ClientFrom(Network(visitor));
            var response = await client.SendAsync(Request(url, $"Phone/{visitor}"));
            var body = await TeaTraceApp.Expect(response, status);
            if (status == HttpStatusCode.OK)
            {
                Assert.False(body.GetProperty("unit").GetProperty("issued").GetBoolean());
                Assert.Equal("warning", Level(body)); // that link is not a genuine code
            }
        }

        var genuine = await ScanAsync(Link(serial), Network(200));
        Assert.Equal(1, ScanCount(genuine));
        Assert.Equal("ok", Level(genuine));
    }

    [Fact]
    public async Task UnknownSerials_AreNotStoredPerSerial()
    {
        var invented = Enumerable.Range(0, 3).Select(_ => "X" + Guid.NewGuid().ToString("N")[..15].ToUpperInvariant()).ToList();
        string[] links = [Link(invented[0]), $"/01/{Gtin}/21/{invented[1]}", $"/01/{Gtin}/10/NOSUCHLOT/21/{invented[2]}"];
        var answers = new List<JsonElement>();
        foreach (var link in links)
        {
            for (var visitor = 1; visitor <= 3; visitor++)
            {
                answers.Add(await ScanAsync(link, Network(visitor), $"Phone/{visitor}"));
            }
        }

        using var db = app.OpenDatabase();
        foreach (var (table, column) in TextColumns(db))
        {
            using var command = db.CreateCommand();
            command.CommandText = $"SELECT count(*) FROM \"{table}\" WHERE \"{column}\" IN ($a, $b, $c, 'NOSUCHLOT')";
            command.Parameters.AddWithValue("$a", invented[0]);
            command.Parameters.AddWithValue("$b", invented[1]);
            command.Parameters.AddWithValue("$c", invented[2]);
            Assert.True((long)command.ExecuteScalar()! == 0, $"{table}.{column} holds an invented serial or lot");
        }

        // What is kept is a count per known lot (or per product, when the lot is not one of its lots) and day.
        using var kept = db.CreateCommand();
        kept.CommandText = "SELECT coalesce(sum(scans), 0) FROM unissued_scans WHERE gtin = $gtin AND lot_code = $lot";
        kept.Parameters.AddWithValue("$gtin", Gtin);
        kept.Parameters.AddWithValue("$lot", _lotCode);
        Assert.Equal(3L, (long)kept.ExecuteScalar()!);

        foreach (var doc in answers)
        {
            Assert.Equal("warning", Level(doc));
            Assert.Contains("never-issued", Reasons(doc));
            Assert.Null(doc.GetProperty("unit").GetProperty("scanToken").GetString()); // nothing to report a place for
        }
    }

    private static List<(string Table, string Column)> TextColumns(Microsoft.Data.Sqlite.SqliteConnection db)
    {
        using var command = db.CreateCommand();
        command.CommandText = """
            SELECT m.name, c.name FROM sqlite_master m JOIN pragma_table_info(m.name) c
            WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND (c.type = 'TEXT' OR c.type = '')
            """;
        using var reader = command.ExecuteReader();
        var columns = new List<(string, string)>();
        while (reader.Read())
        {
            columns.Add((reader.GetString(0), reader.GetString(1)));
        }

        return columns;
    }

    // ---- reported places

    [Fact]
    public async Task FarApartPlaces_FromOneNetwork_AreNotAWarning()
    {
        NotAWarning(await PlacedFarApartAsync(NextLink(), "203.0.113.9", "203.0.113.9"));
    }

    [Fact]
    public async Task FarApartPlaces_FromTwoNetworks_AreACautionNotAWarning()
    {
        var after = await PlacedFarApartAsync(NextLink(), Network(1), Network(2));
        Assert.Equal("caution", Level(after));
        Assert.Contains("far-apart", Reasons(after));
    }

    [Fact]
    public async Task Place_IsReportedOncePerScan_AndOnlyWithinMinutesOfIt()
    {
        var url = NextLink();
        var scan = await ScanAsync(url, Network(1));
        Assert.Equal(HttpStatusCode.NoContent, await PlaceAsync(scan, 23.13, 113.26));
        Assert.Equal(HttpStatusCode.NotFound, await PlaceAsync(scan, 39.90, 116.40));

        var late = await ScanAsync(url, Network(2));
        app.Clock.Advance(TimeSpan.FromMinutes(ScanRiskApp.PlaceMinutes + 1));
        Assert.Equal(HttpStatusCode.NotFound, await PlaceAsync(late, 39.90, 116.40));
    }

    // ---- what still raises a warning

    [Theory]
    [InlineData("v4")]
    [InlineData("v6")]
    public async Task ManyNetworks_GoCautionThenWarning(string family)
    {
        string Address(int i) => family == "v4" ? Network(i) : $"2001:db8:{i:x}::1";
        var url = NextLink();
        for (var i = 1; i <= 5; i++)
        {
            await OpenAsync(url, Address(i));
        }

        var sixth = await ScanAsync(url, Address(6));
        Assert.Equal("caution", Level(sixth));
        Assert.Contains("several-devices", Reasons(sixth));

        for (var i = 7; i <= 20; i++)
        {
            await OpenAsync(url, Address(i));
        }

        var last = await ScanAsync(url, Address(21));
        Assert.Equal(21, ScanCount(last));
        Assert.Equal("warning", Level(last));
        Assert.Contains("many-networks", Reasons(last));
    }

    [Fact]
    public async Task ManyNetworks_BehindANamedProxy_AreJudgedByForwardedFor()
    {
        var url = NextLink();
        using var proxy = app.ClientFrom(ScanRiskApp.Proxy);
        JsonElement doc = default;
        for (var i = 1; i <= 21; i++)
        {
            doc = await TeaTraceApp.Expect(await proxy.SendAsync(Request(url, "Phone/1", headers: ("X-Forwarded-For", Network(i)))), HttpStatusCode.OK);
        }

        Assert.Equal("warning", Level(doc));
        Assert.Contains("many-networks", Reasons(doc));
    }

    [Fact]
    public async Task FarApartPlaces_CorroboratedBySeveralNetworks_AreAWarning()
    {
        var url = NextLink();
        for (var i = 1; i <= 4; i++)
        {
            await OpenAsync(url, Network(i));
        }

        var after = await PlacedFarApartAsync(url, Network(5), Network(6));
        Assert.Equal("warning", Level(after));
        Assert.Contains("far-apart", Reasons(after));
    }

    [Fact]
    public async Task OldScans_StopCounting()
    {
        var url = NextLink();
        for (var i = 1; i <= 20; i++)
        {
            await OpenAsync(url, Network(i));
        }

        var copied = await ScanAsync(url, Network(21));
        Assert.Equal("warning", Level(copied));

        app.Clock.Advance(TimeSpan.FromDays(ScanRiskApp.WindowDays + 1));
        var later = await ScanAsync(url, Network(22));
        Assert.Equal("ok", Level(later));
        Assert.Equal(22, ScanCount(later)); // the page still says how often the code was scanned
        Assert.Equal(copied.GetProperty("unit").GetProperty("firstScanAt").GetString(), later.GetProperty("unit").GetProperty("firstScanAt").GetString());
    }
}
