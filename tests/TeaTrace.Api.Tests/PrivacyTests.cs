using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using TeaTrace.Ledger;

namespace TeaTrace.Api.Tests;

/// <summary>The public log proves everything and reveals only what a tin's buyer should see.</summary>
public sealed class PrivacyDemoTests(DemoApp app) : IClassFixture<DemoApp>
{
    private static async Task<List<(long Index, string Type, string Body)>> PublicEntriesAsync(HttpClient anonymous)
    {
        var entries = new List<(long, string, string)>();
        for (var from = 0L; ; from += 1000)
        {
            var page = await TeaTraceApp.Expect(await anonymous.GetAsync($"/api/ledger/entries?from={from}&count=1000"), HttpStatusCode.OK);
            var items = page.GetProperty("entries").EnumerateArray().ToList();
            entries.AddRange(items.Select(e => (e.GetProperty("index").GetInt64(), e.GetProperty("type").GetString()!, Encoding.UTF8.GetString(Convert.FromBase64String(e.GetProperty("body").GetString()!)))));
            if (items.Count < 1000)
            {
                return entries;
            }
        }
    }

    /// <summary>Every private value the database holds: the sealed fields, and the people, phones and places of the demo.</summary>
    private List<string> PrivateTexts()
    {
        var texts = new List<string> { "陈国华", "李秀英", "黄志强", "周丽", "0763-5188001", "138 2871 4402", "020-8188 3003" };
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT fields FROM sealed_parts WHERE fields IS NOT NULL";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            foreach (var property in JsonDocument.Parse((byte[])reader.GetValue(0)).RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String)
                {
                    texts.Add(property.Value.GetString()!);
                }
                else if (property.Name is "latitude" or "longitude" && property.Value.GetRawText().Length > 6)
                {
                    texts.Add(property.Value.GetRawText()); // an exact coordinate: more than two decimals
                }
            }
        }

        // A buyer may be an organisation, whose name is public anyway (organisations are): that is not a leak of the trade.
        using var orgs = db.CreateCommand();
        orgs.CommandText = "SELECT name FROM orgs";
        using var names = orgs.ExecuteReader();
        var organisations = new HashSet<string>(StringComparer.Ordinal);
        while (names.Read())
        {
            organisations.Add(names.GetString(0));
        }

        return [.. texts.Distinct().Where(t => !organisations.Contains(t))];
    }

    [Fact]
    public async Task NoPublicEntry_HoldsAPrivateValue_InAnyEncoding()
    {
        var entries = await PublicEntriesAsync(app.Client());
        var secrets = PrivateTexts();
        Assert.True(secrets.Count > 20, $"only {secrets.Count} private values found");
        foreach (var secret in secrets)
        {
            var spellings = new[]
            {
                secret,
                JsonSerializer.Serialize(secret)[1..^1], // \\uXXXX escapes, as a default JSON writer spells Chinese
                JsonSerializer.Serialize(secret, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })[1..^1],
            };
            foreach (var (index, type, body) in entries)
            {
                Assert.False(spellings.Any(s => body.Contains(s, StringComparison.Ordinal)), $"entry {index} ({type}) shows the private value \"{secret}\"");
            }
        }

        // Trades publish no buyer or price; plots only a place rounded to two decimals; keys no holder; every actor is a key id.
        foreach (var (index, type, body) in entries)
        {
            var root = JsonDocument.Parse(body).RootElement;
            var data = root.GetProperty("data");
            var actor = root.GetProperty("actor").GetString()!;
            Assert.True(actor == "system" || actor.StartsWith("key_", StringComparison.Ordinal), $"entry {index}: actor {actor}");
            switch (type)
            {
                case "trade.recorded":
                    Assert.False(data.TryGetProperty("buyer", out _) || data.TryGetProperty("unitPriceCny", out _) || data.TryGetProperty("totalCny", out _) || data.TryGetProperty("pricePerKg", out _), $"entry {index}");
                    Assert.Equal(64, root.GetProperty("sealed").GetString()!.Length);
                    break;
                case "plot.registered":
                    foreach (var axis in new[] { "latitude", "longitude" })
                    {
                        var value = data.GetProperty(axis).GetDouble();
                        Assert.Equal(Math.Round(value, 2), value);
                    }

                    break;
                case "key.issued":
                    Assert.False(data.TryGetProperty("holderName", out _), $"entry {index}");
                    break;
            }
        }
    }

    [Fact]
    public async Task EverySealedPart_OpensTheCommitmentInItsEntry()
    {
        var entries = (await PublicEntriesAsync(app.Client())).ToDictionary(e => e.Index);
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT entry_idx, salt, fields FROM sealed_parts WHERE fields IS NOT NULL";
        using var reader = command.ExecuteReader();
        var opened = 0;
        while (reader.Read())
        {
            var body = JsonDocument.Parse(entries[reader.GetInt64(0)].Body).RootElement;
            var commitment = Convert.FromHexString(body.GetProperty("sealed").GetString()!);
            Assert.Equal(commitment, SealedPart.Commitment((byte[])reader.GetValue(1), (byte[])reader.GetValue(2)));
            Assert.True(SealedPart.Opens(commitment, (byte[])reader.GetValue(1), JsonDocument.Parse((byte[])reader.GetValue(2)).RootElement));
            opened++;
        }

        Assert.True(opened > 50);
        var audit = await TeaTraceApp.Expect(await app.Client(DemoApp.DemoAdminKey).GetAsync("/api/ledger/audit"), HttpStatusCode.OK);
        Assert.True(audit.GetProperty("ok").GetBoolean(), audit.GetRawText());
        Assert.Equal(opened, audit.GetProperty("sealedChecked").GetInt32());
    }
}

/// <summary>Who opens a sealed part, what erasing one leaves, and what the audit says about both.</summary>
public sealed class PrivacyTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>, IAsyncLifetime
{
    private World _world = null!;

    public async Task InitializeAsync() => _world = await app.CreateWorldAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private long LastEntry(string type)
    {
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT max(idx) FROM ledger_entries WHERE type = $type";
        command.Parameters.AddWithValue("$type", type);
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task SealedPart_OpensForTheRecordsOwnSide_RegulatorsAndAdmins_Only()
    {
        var plot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId, latitude: 24.23456, longitude: 113.30178);
        var index = LastEntry("plot.registered");
        var url = $"/api/ledger/entries/{index}/sealed";

        foreach (var key in new[] { _world.CoopFarmerKey, _world.RegulatorKey, TeaTraceApp.AdminKey })
        {
            var part = await TeaTraceApp.Expect(await app.Client(key).GetAsync(url), HttpStatusCode.OK);
            Assert.Equal(24.23456, part.GetProperty("fields").GetProperty("latitude").GetDouble());
            Assert.True(SealedPart.Opens(Convert.FromHexString(part.GetProperty("commitment").GetString()!), Convert.FromHexString(part.GetProperty("salt").GetString()!), part.GetProperty("fields")));
        }

        foreach (var key in new[] { _world.FarmFarmerKey, _world.ProcessorKey, _world.DistributorKey })
        {
            await TeaTraceApp.Problem(await app.Client(key).GetAsync(url), HttpStatusCode.Forbidden);
        }

        await TeaTraceApp.Problem(await app.Client().GetAsync(url), HttpStatusCode.Unauthorized);
        // An organisation made without a phone has nothing private.
        await TeaTraceApp.Problem(await app.Client(TeaTraceApp.AdminKey).GetAsync($"/api/ledger/entries/{LastEntry("org.created")}/sealed"), HttpStatusCode.NotFound);

        // The plot's own readers still see the exact place through the API; the public entry holds it to two decimals.
        var read = await TeaTraceApp.Expect(await app.Client(_world.CoopFarmerKey).GetAsync($"/api/plots/{plot}"), HttpStatusCode.OK);
        Assert.Equal(24.23456, read.GetProperty("latitude").GetDouble());
        var entry = await TeaTraceApp.Expect(await app.Client().GetAsync($"/api/ledger/entries/{index}"), HttpStatusCode.OK);
        var body = Encoding.UTF8.GetString(Convert.FromBase64String(entry.GetProperty("body").GetString()!));
        Assert.Contains("\"latitude\":24.23", body, StringComparison.Ordinal);
        Assert.DoesNotContain("24.23456", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SamePrivateFields_GiveDifferentCommitments()
    {
        await TeaTraceApp.CreateKeyAsync(app.Admin(), _world.CoopId, "farmer");
        var first = LastEntry("key.issued");
        await TeaTraceApp.CreateKeyAsync(app.Admin(), _world.CoopId, "farmer");
        var second = LastEntry("key.issued");
        var a = await TeaTraceApp.Expect(await app.Admin().GetAsync($"/api/ledger/entries/{first}/sealed"), HttpStatusCode.OK);
        var b = await TeaTraceApp.Expect(await app.Admin().GetAsync($"/api/ledger/entries/{second}/sealed"), HttpStatusCode.OK);
        Assert.Equal(a.GetProperty("fields").GetRawText(), b.GetProperty("fields").GetRawText());
        Assert.NotEqual(a.GetProperty("commitment").GetString(), b.GetProperty("commitment").GetString());
        Assert.NotEqual(a.GetProperty("salt").GetString(), b.GetProperty("salt").GetString());
        Assert.Equal(64, a.GetProperty("salt").GetString()!.Length); // 256 random bits
    }

    [Fact]
    public async Task ErasingAKeyHolder_LeavesTheLogVerifiable_AndTheNameNowhere()
    {
        const string Name = "王小明 erase-me-4711";
        var created = await TeaTraceApp.Created(await app.Admin().PostAsJsonAsync($"/api/orgs/{_world.FarmId}/keys", new { holderName = Name, role = "farmer" }));
        var keyId = created.GetProperty("id").GetString()!;
        var issued = LastEntry("key.issued");

        var erasure = await TeaTraceApp.Created(await app.Admin().PostAsJsonAsync("/api/admin/erasures", new { subject = keyId, reason = "本人要求删除 (PIPL art. 47)" }));
        Assert.Equal(1, erasure.GetProperty("erased").GetInt32());
        Assert.Contains(issued, erasure.GetProperty("entries").EnumerateArray().Select(e => e.GetInt64()));

        var gone = await TeaTraceApp.Problem(await app.Admin().GetAsync($"/api/ledger/entries/{issued}/sealed"), HttpStatusCode.Gone);
        Assert.Equal(erasure.GetProperty("entryIndex").GetInt64(), gone.GetProperty("erasedBy").GetInt64());
        await TeaTraceApp.Problem(await app.Admin().PostAsJsonAsync("/api/admin/erasures", new { subject = keyId, reason = "again" }), HttpStatusCode.NotFound);

        // The log still proves everything, and says what was erased.
        await app.Services.GetRequiredService<TeaTrace.Api.Features.LedgerApi.CheckpointSigner>().SignIfGrownAsync();
        var audit = await TeaTraceApp.Expect(await app.Admin().GetAsync("/api/ledger/audit"), HttpStatusCode.OK);
        Assert.True(audit.GetProperty("ok").GetBoolean(), audit.GetRawText());
        Assert.True(audit.GetProperty("erased").GetInt32() >= 1);
        var proof = await TeaTraceApp.Expect(await app.Client().GetAsync($"/api/ledger/entries/{issued}/proof"), HttpStatusCode.OK);
        var entry = await TeaTraceApp.Expect(await app.Client().GetAsync($"/api/ledger/entries/{issued}"), HttpStatusCode.OK);
        Assert.True(ProofVerifier.VerifyInclusion(issued, proof.GetProperty("treeSize").GetInt64(), Rfc9162.HashLeaf(Convert.FromBase64String(entry.GetProperty("body").GetString()!)),
            proof.GetProperty("auditPath").EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!)).ToList(), Convert.FromHexString(proof.GetProperty("rootHash").GetString()!)).IsValid);

        var keyFile = Path.Combine(app.Directory, "admin.key");
        await File.WriteAllTextAsync(keyFile, TeaTraceApp.AdminKey);
        var output = new StringWriter();
        var code = await TeaTrace.Verify.VerifyCommand.RunAsync([app.Server.BaseAddress.ToString(), "--all", "--key-file", keyFile, "--state", Path.Combine(app.Directory, "verify.json")],
            output, app.Server.CreateHandler());
        Assert.True(code == 0, output.ToString());
        Assert.Contains("erased", output.ToString(), StringComparison.Ordinal);

        // No table holds the name: the database file and its WAL are searched byte by byte.
        SqliteConnection.ClearAllPools();
        var needle = Encoding.UTF8.GetBytes("erase-me-4711");
        foreach (var file in new[] { app.DatabasePath, app.DatabasePath + "-wal" }.Where(File.Exists))
        {
            Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(needle) < 0, $"{Path.GetFileName(file)} still holds the name");
        }
    }

    [Fact]
    public async Task ErasingARecordTheLawKeeps_IsRefusedWithTheDateItMayBeErased()
    {
        var lot = await app.SalesLotAsync(_world, "strip", "special", 10, 250);
        await TeaTraceApp.Created(await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/trades", new { lotId = lot, buyer = "张三茶庄", units = 1, unitPriceCny = 200, tradedAt = "2026-04-09T10:00:00+08:00" }));
        var before = app.Snapshot();

        var problem = await TeaTraceApp.Problem(await app.Admin().PostAsJsonAsync("/api/admin/erasures", new { subject = _world.FactoryId, reason = "closing" }), HttpStatusCode.UnprocessableEntity);

        Assert.StartsWith("20", problem.GetProperty("erasableFrom").GetString(), StringComparison.Ordinal);
        Assert.True(DateTimeOffset.Parse(problem.GetProperty("erasableFrom").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddYears(2));
        Assert.Equal(before, app.Snapshot());
    }
}

/// <summary>A sealed part changed behind the service's back (the database is all a forger has) fails the audit.</summary>
public sealed class SealedTamperTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>
{
    [Fact]
    public async Task AChangedSaltOrField_FailsTheAuditAtItsEntry()
    {
        var world = await app.CreateWorldAsync();
        await app.PlotAsync(world.CoopFarmerKey, world.CoopId, latitude: 24.11111, longitude: 113.22222);
        long index;
        using (var db = app.OpenDatabase())
        {
            using var last = db.CreateCommand();
            last.CommandText = "SELECT max(idx) FROM ledger_entries WHERE type = 'plot.registered'";
            index = (long)last.ExecuteScalar()!;
        }

        using (var db = app.OpenDatabase())
        {
            using var command = db.CreateCommand();
            command.CommandText = $"DROP TRIGGER sealed_parts_erase_only; UPDATE sealed_parts SET fields = replace(fields, '24.11111', '24.11112') WHERE entry_idx = {index}";
            command.ExecuteNonQuery();
        }

        var audit = await TeaTraceApp.Expect(await app.Admin().GetAsync("/api/ledger/audit"), HttpStatusCode.OK);
        Assert.False(audit.GetProperty("ok").GetBoolean());
        Assert.Equal(index, audit.GetProperty("firstBadIndex").GetInt64());
        Assert.Contains("do not open the commitment", audit.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
