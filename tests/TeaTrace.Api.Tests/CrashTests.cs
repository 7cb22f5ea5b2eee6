using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using TeaTrace.Ledger;
using Xunit.Abstractions;

namespace TeaTrace.Api.Tests;

/// <summary>
/// The real service as its own process, killed with SIGKILL in the middle of concurrent writes, again and again.
/// Every write that was answered 201 must be there after the restart, retries with the same Idempotency-Key must
/// not write twice, the ledger audit must pass, and every signed checkpoint must be consistent with the others.
/// </summary>
[Trait("Category", "Crash")]
public sealed class CrashTests(ITestOutputHelper output) : IDisposable
{
    private const string AdminKey = "tt_crash_test_admin_key_00000001";
    private const int Rounds = 5;
    private const int Writers = 8;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "teatrace-crash", Guid.NewGuid().ToString("N"));
    private Process? _service;
    private string _baseUrl = "";

    private sealed record Attempt(string Key, decimal Kg);

    [Fact]
    public async Task KilledMidWrite_LosesNoAcknowledgedWrite_AndKeepsTheLedgerWhole()
    {
        Directory.CreateDirectory(_directory);
        await StartAsync();
        using var admin = Client(AdminKey);
        var farm = await TeaTraceApp.CreateOrgAsync(admin, "崩溃测试茶园", "farm", "英红镇");
        var farmer = await TeaTraceApp.CreateKeyAsync(admin, farm, "farmer");
        var plot = (await TeaTraceApp.Created(await Client(farmer).PostAsJsonAsync("/api/plots", new
        {
            orgId = farm,
            name = "地块",
            town = "英红镇",
            cultivar = "英红九号",
            areaMu = 3,
            latitude = 24.2,
            longitude = 113.3,
        }))).GetProperty("id").GetString()!;

        var acknowledged = new ConcurrentDictionary<string, string>(); // Idempotency-Key → harvest id
        var answers = new ConcurrentDictionary<string, Answer>(); // Idempotency-Key → the answer the phone got
        var unanswered = new ConcurrentDictionary<string, Attempt>();
        var tried = 0;
        var sequence = 0;
        var roundsThatWrote = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var acknowledgedBefore = acknowledged.Count;
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
            {
                using var client = Client(farmer);
                while (!stop.IsCancellationRequested)
                {
                    var attempt = new Attempt(Guid.NewGuid().ToString(), 1m + (Interlocked.Increment(ref sequence) / 1000m));
                    Interlocked.Increment(ref tried);
                    try
                    {
                        var answer = await SendAsync(client, plot, attempt);
                        acknowledged[attempt.Key] = answer.Id;
                        answers[attempt.Key] = answer;
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                    {
                        unanswered[attempt.Key] = attempt; // cut off: the write may or may not have happened
                        await Task.Delay(20);
                    }
                }
            })).ToList();

            await Task.Delay(400 + Random.Shared.Next(600));
            _service!.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no flush
            await _service.WaitForExitAsync();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            roundsThatWrote += acknowledged.Count > acknowledgedBefore ? 1 : 0;
            await StartAsync();

            foreach (var (key, id) in acknowledged)
            {
                Assert.True((await Client(farmer).GetAsync($"/api/harvests/{id}")).StatusCode == HttpStatusCode.OK, $"harvest {id} was answered 201 and is gone after crash {round + 1}");
            }
        }

        // A phone retries what never got an answer, with the same key: each becomes exactly one harvest.
        using (var retry = Client(farmer))
        {
            foreach (var attempt in unanswered.Values)
            {
                var answer = await SendAsync(retry, plot, attempt);
                acknowledged[attempt.Key] = answer.Id;
                answers[attempt.Key] = answer;
            }
        }

        // Every answered request, sent again after the crashes, is answered exactly as it was the first time: the
        // stored reply (status, body, Location) was written with the harvest, in one transaction.
        using (var again = Client(farmer))
        {
            foreach (var (key, first) in answers)
            {
                var replay = await SendAsync(again, plot, new Attempt(key, first.Kg));
                Assert.True(replay.Replayed, $"request {key} was not replayed");
                Assert.Equal(first.Body, replay.Body);
                Assert.Equal(first.Location, replay.Location);
            }
        }

        var harvests = await CountHarvestsAsync(plot);
        Assert.Equal(acknowledged.Count, harvests);
        Assert.Equal(acknowledged.Count, acknowledged.Values.Distinct().Count());

        var audit = await TeaTraceApp.Expect(await admin.GetAsync("/api/ledger/audit"), HttpStatusCode.OK);
        Assert.True(audit.GetProperty("ok").GetBoolean(), audit.GetRawText());
        await AssertCheckpointsConsistentAsync(admin, roundsThatWrote);

        output.WriteLine($"{tried} writes tried over {Rounds} SIGKILLs; {acknowledged.Count} harvests in the end, {unanswered.Count} of them retried after a cut-off; 0 acknowledged writes lost; audit ok over {audit.GetProperty("entries").GetInt64()} entries and {audit.GetProperty("checkpoints").GetInt64()} checkpoints.");
    }

    private sealed record Answer(string Id, decimal Kg, string Body, Uri? Location, bool Replayed);

    private static async Task<Answer> SendAsync(HttpClient client, string plot, Attempt attempt)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/harvests")
        {
            Content = JsonContent.Create(new { plotId = plot, pickedOn = "2026-05-02", pluckingStandard = "bud1leaf", freshLeafKg = attempt.Kg }),
        };
        request.Headers.Add("Idempotency-Key", attempt.Key);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        return new Answer(JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!, attempt.Kg, body, response.Headers.Location,
            response.Headers.Contains("Idempotent-Replayed"));
    }

    private async Task<long> CountHarvestsAsync(string plot)
    {
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_directory, "teatrace.db")};Pooling=False");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT count(*) FROM harvests WHERE plot_id = $plot";
        command.Parameters.AddWithValue("$plot", plot);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Each start after a round that wrote signs a checkpoint (a round cut off before any commit adds none).</summary>
    private async Task AssertCheckpointsConsistentAsync(HttpClient client, int roundsThatWrote)
    {
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_directory, "teatrace.db")};Pooling=False");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT size, root_hash FROM checkpoints ORDER BY size";
        var checkpoints = new List<(long Size, byte[] Root)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                checkpoints.Add((reader.GetInt64(0), (byte[])reader.GetValue(1)));
            }
        }

        Assert.True(checkpoints.Count >= roundsThatWrote + 1, $"a checkpoint at the first start and after each of the {roundsThatWrote} rounds that wrote expected, found {checkpoints.Count}");
        foreach (var (older, newer) in checkpoints.Zip(checkpoints.Skip(1)))
        {
            var proof = await TeaTraceApp.Expect(await client.GetAsync($"/api/ledger/consistency?from={older.Size}&to={newer.Size}"), HttpStatusCode.OK);
            var path = proof.GetProperty("proof").EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!)).ToList();
            Assert.True(ProofVerifier.VerifyConsistency(older.Size, newer.Size, path, older.Root, newer.Root).IsValid, $"checkpoints {older.Size} and {newer.Size} disagree");
        }
    }

    private HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(_baseUrl), Timeout = TimeSpan.FromSeconds(20) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private async Task StartAsync()
    {
        if (_baseUrl.Length == 0)
        {
            _baseUrl = $"http://127.0.0.1:{FreePort()}"; // the same address across restarts, as a phone would see it
        }

        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "TeaTrace.Api.dll"), "--urls", _baseUrl])
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["ConnectionStrings__TeaTrace"] = $"Data Source={Path.Combine(_directory, "teatrace.db")}",
                ["TeaTrace__BootstrapAdminKey"] = AdminKey,
                ["TeaTrace__PublicBaseUrl"] = _baseUrl,
                ["TeaTrace__Ledger__SigningKeyPath"] = Path.Combine(_directory, "ledger.key"),
                ["TeaTrace__Jobs__Server"] = "false",
                ["TeaTrace__RateLimit__Enabled"] = "false",
                ["Logging__LogLevel__Default"] = "Warning",
            },
        };
        _service = Process.Start(start)!;
        _service.OutputDataReceived += (_, _) => { };
        _service.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.WriteLine(e.Data); } };
        _service.BeginOutputReadLine();
        _service.BeginErrorReadLine();
        using var probe = new HttpClient { BaseAddress = new Uri(_baseUrl) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_service.HasExited, "the service exited while starting");
            try
            {
                if ((await probe.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        Assert.Fail("the service did not start within a minute");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (_service is { HasExited: false })
        {
            _service.Kill(entireProcessTree: true);
        }

        _service?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
