using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using TeaTrace.Api.Idempotency;

namespace TeaTrace.Api.Tests;

/// <summary>A farmer's phone on a weak network sends the same request again: it is answered as before and written once.</summary>
public sealed class IdempotencyTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>, IAsyncLifetime
{
    private World _world = null!;
    private string _plot = "";

    public async Task InitializeAsync()
    {
        _world = await app.CreateWorldAsync();
        _plot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<HttpResponseMessage> HarvestAsync(string key, decimal kg = 12.5m, string? farmerKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/harvests")
        {
            Content = JsonContent.Create(new { plotId = _plot, pickedOn = "2026-05-02", pluckingStandard = "bud1leaf", freshLeafKg = kg }),
        };
        request.Headers.Add("Idempotency-Key", key);
        return app.Client(farmerKey ?? _world.CoopFarmerKey).SendAsync(request);
    }

    [Fact]
    public async Task SameKeySameBody_ReturnsTheFirstResponse_AndWritesOnce()
    {
        var key = Guid.NewGuid().ToString();
        var first = await HarvestAsync(key);
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var after = app.Snapshot();

        var second = await HarvestAsync(key);

        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(firstBody, await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal("true", second.Headers.GetValues(IdempotencyMiddleware.ReplayedHeader).Single());
        Assert.Equal(after, app.Snapshot());
    }

    [Fact]
    public async Task SameKeyDifferentBody_Is422AndWritesNothing()
    {
        var key = Guid.NewGuid().ToString();
        await TeaTraceApp.Created(await HarvestAsync(key, 10m));
        var before = app.Snapshot();

        var problem = await TeaTraceApp.Problem(await HarvestAsync(key, 11m), HttpStatusCode.UnprocessableEntity);

        Assert.Contains("different request", problem.GetProperty("detail").GetString());
        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task ManyDeliveriesAtOnce_WriteOnce()
    {
        var key = Guid.NewGuid().ToString();
        var before = app.LedgerSize();

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => HarvestAsync(key)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single(responses.Select(r => r.Headers.Location).Distinct());
        Assert.Equal(before + 1, app.LedgerSize());
    }

    [Fact]
    public async Task Keys_BelongToTheirCaller()
    {
        var admin = app.Admin();
        var key = Guid.NewGuid().ToString();
        await TeaTraceApp.Created(await HarvestAsync(key));

        // Another caller's identical key is a new request of theirs, not a replay of someone else's response.
        var other = await HarvestAsync(key, farmerKey: await TeaTraceApp.CreateKeyAsync(admin, _world.CoopId, "farmer"));
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        Assert.False(other.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));
    }

    [Fact]
    public async Task RefusedRequest_IsNotRemembered_AndCanBeSentAgain()
    {
        var key = Guid.NewGuid().ToString();
        await TeaTraceApp.Problem(await HarvestAsync(key, -1m), HttpStatusCode.BadRequest);
        await TeaTraceApp.Problem(await HarvestAsync(key, -1m), HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.Created, (await HarvestAsync(key + "-fixed")).StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    public async Task BadKey_Is400(string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/harvests") { Content = JsonContent.Create(new { }) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        await TeaTraceApp.Problem(await app.Client(_world.CoopFarmerKey).SendAsync(request), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ExpiredKeys_AreForgottenByTheCleanupJob()
    {
        var key = Guid.NewGuid().ToString();
        await TeaTraceApp.Created(await HarvestAsync(key));
        using (var db = app.OpenDatabase())
        {
            using var age = db.CreateCommand();
            age.CommandText = "UPDATE idempotency_keys SET created_at = '2026-01-01T00:00:00+08:00' WHERE key = $key";
            age.Parameters.AddWithValue("$key", key);
            Assert.Equal(1, age.ExecuteNonQuery());
        }

        Assert.True(await app.Services.GetRequiredService<IdempotencyCleanupJob>().RunAsync(CancellationToken.None) >= 1);
        // Forgotten: the same key is a new request again.
        var again = await HarvestAsync(key);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.False(again.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));
    }

    [Fact]
    public async Task OversizeBody_Is413()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/harvests") { Content = new StringContent(new string(' ', 2 * 1024 * 1024), System.Text.Encoding.UTF8, "application/json") };
        await TeaTraceApp.Problem(await app.Client(_world.CoopFarmerKey).SendAsync(request), HttpStatusCode.RequestEntityTooLarge);
    }
}

public sealed class KeyReplayTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>
{
    [Fact]
    public async Task KeyCreation_RetriedWithItsIdempotencyKey_Is409WithTheKeysId_AndTheKeyIsStoredNowhere()
    {
        var world = await app.CreateWorldAsync();
        HttpRequestMessage Issue()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/orgs/{world.CoopId}/keys") { Content = JsonContent.Create(new { holderName = "手机二号", role = "farmer" }) };
            request.Headers.Add(IdempotencyMiddleware.Header, "issue-phone-2");
            return request;
        }

        var first = await TeaTraceApp.Created(await app.Admin().SendAsync(Issue()));
        var secret = first.GetProperty("apiKey").GetString()!;
        var id = first.GetProperty("id").GetString()!;

        var replay = await app.Admin().SendAsync(Issue());
        var problem = await TeaTraceApp.Problem(replay, HttpStatusCode.Conflict);
        Assert.Equal(id, problem.GetProperty("keyId").GetString());
        Assert.Equal($"/api/keys/{id}", replay.Headers.Location?.OriginalString);
        Assert.Equal("true", replay.Headers.GetValues(IdempotencyMiddleware.ReplayedHeader).Single());
        Assert.DoesNotContain(secret, problem.GetRawText(), StringComparison.Ordinal);

        // Not in the database, its WAL, or anything else the service keeps: a copy of the files opens no door.
        var needle = System.Text.Encoding.UTF8.GetBytes(secret);
        foreach (var file in Directory.EnumerateFiles(app.Directory, "*", SearchOption.AllDirectories))
        {
            Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(needle) < 0, $"{Path.GetFileName(file)} holds the key");
        }

        // The key itself works, once, as issued.
        await TeaTraceApp.Expect(await app.Client(secret).GetAsync("/api/me"), HttpStatusCode.OK);
    }
}
