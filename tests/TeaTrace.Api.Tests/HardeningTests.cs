using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;

namespace TeaTrace.Api.Tests;

/// <summary>What a client may send: UTF-8 JSON, names that read as what they are, full RFC 3339 times.</summary>
public sealed class InputTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>, IAsyncLifetime
{
    private World _world = null!;
    private string _plot = "";

    public async Task InitializeAsync()
    {
        _world = await app.CreateWorldAsync();
        _plot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("iso-8859-1")]
    [InlineData("windows-1252")]
    [InlineData("gb2312")]
    [InlineData("utf-16")]
    public async Task BodyInAnotherCharset_Is415_AndWritesNothing(string charset)
    {
        var before = app.Snapshot();
        var body = new ByteArrayContent(Encoding.Latin1.GetBytes("{\"orgId\":\"" + _world.CoopId + "\",\"name\":\"Caf\u00e9 plot\",\"town\":\"英红镇\",\"cultivar\":\"英红九号\",\"areaMu\":1,\"latitude\":24.2,\"longitude\":113.3}"));
        body.Headers.TryAddWithoutValidation("Content-Type", $"application/json; charset={charset}");

        var problem = await TeaTraceApp.Problem(await app.Client(_world.CoopFarmerKey).PostAsync("/api/plots", body), HttpStatusCode.UnsupportedMediaType);

        Assert.Contains("UTF-8", problem.GetProperty("detail").GetString());
        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task Utf8Charset_IsAccepted()
    {
        var body = new StringContent($$"""{"orgId":"{{_world.CoopId}}","name":"Café 地块","town":"英红镇","cultivar":"英红九号","areaMu":1,"latitude":24.2,"longitude":113.3}""",
            Encoding.UTF8, "application/json");
        var plot = await TeaTraceApp.Created(await app.Client(_world.CoopFarmerKey).PostAsync("/api/plots", body));
        Assert.Equal("Café 地块", plot.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("\u200B\u200B\u200B", "visible")]          // zero-width spaces only
    [InlineData("\u3164\u3164", "visible")]                // Hangul fillers
    [InlineData("   ", "")]                                 // spaces only (refused as missing, by [Required])
    [InlineData("\u00A0\u3000", "")]                       // no-break and ideographic spaces
    [InlineData("鸡笼山\u0000地块", "control")]
    [InlineData("鸡笼山\u001B[31m地块", "control")]
    [InlineData("tea\u202Egnp.exe", "bidirectional")]     // right-to-left override
    [InlineData("\u2067evil\u2069 plot", "bidirectional")] // an isolate
    public async Task Names_InvisibleOrWithControlOrBidiCharacters_Are400_AndWriteNothing(string name, string said)
    {
        var before = app.Snapshot();
        var response = await app.Client(_world.CoopFarmerKey).PostAsJsonAsync("/api/plots", new
        {
            orgId = _world.CoopId,
            name,
            town = "英红镇",
            cultivar = "英红九号",
            areaMu = 1,
            latitude = 24.2,
            longitude = 113.3,
        });

        var problem = await TeaTraceApp.Problem(response, HttpStatusCode.BadRequest);
        Assert.Contains(said, problem.GetProperty("errors").GetProperty("name")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, app.Snapshot());
    }

    [Theory]
    [InlineData("2026-06-01T10:00+08")]
    [InlineData("2026-06-01T10:00+08:00")]
    [InlineData("2026-06-01T10:00:00")]
    [InlineData("2026-06-01 10:00:00+08:00")]
    [InlineData("2026-06-01T10:00:00+0800")]
    public async Task Times_NotFullRfc3339_Are400(string startedAt)
    {
        var harvest = await app.HarvestAsync(_world.CoopFarmerKey, _plot, 20m, "2026-06-01");
        var before = app.Snapshot();
        var response = await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/batches", new
        {
            factoryOrgId = _world.FactoryId,
            startedAt,
            claimsGi = false,
            inputs = new[] { new { harvestId = harvest.GetProperty("id").GetString(), kg = 10 } },
        });

        var problem = await TeaTraceApp.Problem(response, HttpStatusCode.BadRequest);
        Assert.Contains("seconds and an offset", problem.GetProperty("errors").GetProperty("$.startedAt")[0].GetString());
        Assert.Equal(before, app.Snapshot());
    }

    [Theory]
    [InlineData("2026-06-01T10:00:00+08:00")]
    [InlineData("2026-06-01T02:00:00Z")]
    [InlineData("2026-06-01T10:00:00.250+08:00")]
    public async Task Times_FullRfc3339_AreAccepted(string startedAt)
    {
        var harvest = await app.HarvestAsync(_world.CoopFarmerKey, _plot, 20m, "2026-06-01");
        await app.HandOverAsync(_world.FactoryId, harvest.GetProperty("id").GetString()!, 10m, "2026-06-01T09:00:00+08:00");
        await TeaTraceApp.Created(await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/batches", new
        {
            factoryOrgId = _world.FactoryId,
            startedAt,
            claimsGi = false,
            inputs = new[] { new { harvestId = harvest.GetProperty("id").GetString(), kg = 10 } },
        }));
    }
}

/// <summary>Links printed into labels, QR codes and feeds never follow a request's Host header.</summary>
public sealed class HostHeaderTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>
{
    [Fact]
    public async Task ForeignHostHeader_IsRefused_AndLinksUseThePublicAddress()
    {
        var world = await app.CreateWorldAsync();
        var batch = await app.CompletedBatchAsync(world);
        var lot = await TeaTraceApp.Created(await app.Client(world.ProcessorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(batch, unitCount: 3)));
        var id = lot.GetProperty("id").GetString();

        var evil = app.Client(world.ProcessorKey);
        evil.DefaultRequestHeaders.Host = "evil.example";
        Assert.Equal(HttpStatusCode.BadRequest, (await evil.GetAsync($"/api/lots/{id}/labels.csv")).StatusCode);

        var labels = await app.Client(world.ProcessorKey).GetStringAsync($"/api/lots/{id}/labels.csv");
        Assert.Contains("https://tea.example.cn/01/", labels);
        Assert.DoesNotContain("evil.example", labels);
    }
}

/// <summary>The service as it starts in Production: what it refuses to start without.</summary>
public sealed class ProductionStartTests
{
    private sealed class ProductionApp(IReadOnlyDictionary<string, string> settings) : TeaTraceApp("none", null, settings)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment(Environments.Production);
        }
    }

    [Fact]
    public void Production_WithoutPublicBaseUrl_RefusesToStart()
    {
        using var app = new ProductionApp(new Dictionary<string, string> { ["TeaTrace:PublicBaseUrl"] = "" });
        var error = Assert.ThrowsAny<Exception>(() => app.Server);
        Assert.Contains("TeaTrace:PublicBaseUrl must be set in Production", Messages(error));
    }

    [Fact]
    public async Task Production_WithPublicBaseUrl_StartsAndAnswersItsHost()
    {
        await using var app = new ProductionApp(new Dictionary<string, string> { ["TeaTrace:PublicBaseUrl"] = "https://tea.example.cn" });
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://tea.example.cn") });
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        client.DefaultRequestHeaders.Host = "evil.example";
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public void ShortBootstrapAdminKey_RefusesToStart()
    {
        using var app = new ProductionApp(new Dictionary<string, string>
        {
            ["TeaTrace:PublicBaseUrl"] = "https://tea.example.cn",
            ["TeaTrace:BootstrapAdminKey"] = "tt_only_twenty_nine_characters",
        });
        var error = Assert.ThrowsAny<Exception>(() => app.Server);
        Assert.Contains("at least 32 characters", Messages(error));
    }

    private static string Messages(Exception error)
    {
        var text = new StringBuilder();
        for (var e = error; e is not null; e = e.InnerException)
        {
            text.AppendLine(e.Message);
        }

        return text.ToString();
    }
}

public sealed class KeyGuessApp() : TeaTraceApp("none", null, new Dictionary<string, string>
{
    ["TeaTrace:KeyGuesses:FailureLimit"] = "5",
    ["TeaTrace:KeyGuesses:WindowSeconds"] = "600",
});

/// <summary>Wrong keys from one address are counted; past the limit, that address's key checks wait.</summary>
public sealed class KeyGuessTests(KeyGuessApp app) : IClassFixture<KeyGuessApp>
{
    [Fact]
    public async Task WrongKeys_PastTheLimit_Are429_EvenForARightKey_AndTheDashboardSignInToo()
    {
        var elsewhere = app.ClientFrom("203.0.113.77");
        for (var i = 0; i < 5; i++)
        {
            var wrong = app.ClientFrom("198.51.100.9");
            wrong.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", $"tt_guess_{i:D40}");
            await TeaTraceApp.Problem(await wrong.GetAsync("/api/me"), HttpStatusCode.Unauthorized);
        }

        var right = app.ClientFrom("198.51.100.9");
        right.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TeaTraceApp.AdminKey);
        var refused = await right.GetAsync("/api/me");
        var problem = await TeaTraceApp.Problem(refused, HttpStatusCode.TooManyRequests);
        Assert.Contains("Too many wrong", problem.GetProperty("title").GetString());
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 600);

        var signIn = await right.PostAsync("/jobs/login", new FormUrlEncodedContent([new("apiKey", TeaTraceApp.AdminKey)]));
        Assert.Equal(HttpStatusCode.TooManyRequests, signIn.StatusCode);

        // Another address is not held back.
        elsewhere.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TeaTraceApp.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task FailedDashboardSignIns_CountToo()
    {
        var client = app.ClientFrom("192.0.2.44");
        for (var i = 0; i < 5; i++)
        {
            var failed = await client.PostAsync("/jobs/login", new FormUrlEncodedContent([new("apiKey", $"tt_guess_{i:D40}")]));
            Assert.Equal(HttpStatusCode.Redirect, failed.StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsync("/jobs/login", new FormUrlEncodedContent([new("apiKey", TeaTraceApp.AdminKey)]))).StatusCode);
    }
}

/// <summary>The job dashboard's actions need Hangfire's antiforgery token, not just the session cookie.</summary>
public sealed class DashboardAntiforgeryTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>
{
    [Fact]
    public async Task DashboardAction_WithTheCookieButNoToken_IsRefused_AndThePagesHaveAPolicy()
    {
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true });
        var signedIn = await browser.PostAsync("/jobs/login", new FormUrlEncodedContent([new("apiKey", TeaTraceApp.AdminKey)]));
        Assert.Equal("/jobs", signedIn.Headers.Location?.OriginalString);

        var trigger = await browser.PostAsync("/jobs/recurring/trigger", new FormUrlEncodedContent([new("jobs[]", "market-rollup")]));
        Assert.Equal(HttpStatusCode.Forbidden, trigger.StatusCode);

        var dashboard = await browser.GetAsync("/jobs");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.StartsWith("default-src 'none'", dashboard.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var docs = await browser.GetAsync("/docs/");
        var policy = docs.Headers.GetValues("Content-Security-Policy").Single();
        Assert.StartsWith("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("'sha256-", policy, StringComparison.Ordinal);
    }
}
