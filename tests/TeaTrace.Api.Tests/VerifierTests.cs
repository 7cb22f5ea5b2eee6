using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using TeaTrace.Api.Features.LedgerApi;
using TeaTrace.Verify;

namespace TeaTrace.Api.Tests;

/// <summary>The auditor's verifier against the service on a real port, knowing nothing but the ledger library and HTTP.</summary>
public sealed class VerifierTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "teatrace-tests", Guid.NewGuid().ToString("N"));
    private readonly DemoApp _app;
    private readonly string _baseUrl;

    public VerifierTests()
    {
        _app = new DemoApp(_directory);
        _app.UseKestrel(0);
        _app.StartServer();
        _baseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _app.ClientOptions.BaseAddress = new Uri(_baseUrl);
    }

    private string StatePath => Path.Combine(_directory, "verify-state.json");

    private async Task<(int Code, string Output)> VerifyAsync(params string[] extra)
    {
        using var output = new StringWriter();
        var code = await VerifyCommand.RunAsync([_baseUrl, "--state", StatePath, .. extra], output);
        return (code, output.ToString());
    }

    [Fact]
    public async Task Verify_HonestLog_PassesAndThenChecksConsistency()
    {
        var (code, output) = await VerifyAsync("--all", "--entry", "0", "--entry", "7");
        Assert.True(code == VerifyCommand.Ok, output);
        Assert.Contains("trusting the server's key on first use", output);
        Assert.Contains("entry 7", output);
        Assert.True(File.Exists(StatePath));

        var world = await _app.CreateWorldAsync();
        await _app.PlotAsync(world.CoopFarmerKey, world.CoopId);
        await _app.Services.GetRequiredService<CheckpointSigner>().SignIfGrownAsync();

        (code, output) = await VerifyAsync("--all");
        Assert.True(code == VerifyCommand.Ok, output);
        Assert.Contains("consistent with the checkpoint seen before", output);
        Assert.DoesNotContain("first use", output);
    }

    [Fact]
    public async Task Verify_WrongPinnedKey_Fails()
    {
        var other = TeaTrace.Ledger.NoteSigner.Generate("teatrace.local/ledger").Verifier.VerifierKey;

        var (code, output) = await VerifyAsync("--key", other);

        Assert.Equal(VerifyCommand.CheckFailed, code);
        Assert.Contains("does not verify", output);
    }

    [Fact]
    public async Task Verify_OneChangedByteInTheDatabase_Fails()
    {
        Assert.Equal(VerifyCommand.Ok, (await VerifyAsync()).Code);
        using (var db = _app.OpenDatabase())
        {
            using var drop = db.CreateCommand();
            drop.CommandText = "DROP TRIGGER ledger_entries_no_update";
            drop.ExecuteNonQuery();
            using var edit = db.CreateCommand();
            // An attacker edits the stored bytes and their hash, and leaves the tree alone.
            edit.CommandText = "UPDATE ledger_entries SET body = CAST(replace(body, '\"areaMu\":12.5', '\"areaMu\":92.5') AS BLOB) WHERE type = 'plot.registered'";
            Assert.Equal(LedgerTests.Entries(_app).Count(e => e.Type == "plot.registered"), edit.ExecuteNonQuery());
        }

        var (code, output) = await VerifyAsync("--all");
        Assert.True(code == VerifyCommand.CheckFailed, output);
        Assert.Contains("FAIL", output);

        var plotEntry = LedgerTests.Entries(_app).First(e => e.Body.Contains("\"areaMu\":92.5", StringComparison.Ordinal)).Index;
        (code, output) = await VerifyAsync("--entry", plotEntry.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(VerifyCommand.CheckFailed, code);
        Assert.Contains($"Entry {plotEntry}", output);
    }

    [Fact]
    public async Task Verify_RewrittenHistory_Fails()
    {
        Assert.Equal(VerifyCommand.Ok, (await VerifyAsync()).Code);
        var state = File.ReadAllText(StatePath);
        var root = System.Text.Json.JsonDocument.Parse(state).RootElement.GetProperty("rootHash").GetString()!;
        File.WriteAllText(StatePath, state.Replace(root, new string('a', 64), StringComparison.Ordinal));

        var (code, output) = await VerifyAsync();

        Assert.Equal(VerifyCommand.CheckFailed, code);
        Assert.Contains("rewrote its history", output);
    }

    [Fact]
    public async Task Verify_Unreachable_IsAnError()
    {
        using var output = new StringWriter();
        Assert.Equal(VerifyCommand.Error, await VerifyCommand.RunAsync(["http://127.0.0.1:9", "--state", StatePath], output));
        Assert.Equal(VerifyCommand.Error, await VerifyCommand.RunAsync(["not a url"], output));
    }

    public void Dispose()
    {
        _app.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
