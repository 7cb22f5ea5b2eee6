using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using TeaTrace.Api.Features.Operations;

namespace TeaTrace.Api.Tests;

public sealed class BackupApp() : TeaTraceApp("none", null, new Dictionary<string, string> { ["TeaTrace:Backup:Keep"] = "2" });

internal sealed class RestoredApp(string directory) : TeaTraceApp("none", directory);

public sealed class BackupTests(BackupApp app) : IClassFixture<BackupApp>
{
    [Fact]
    public async Task OnlineBackup_WhileWritesGoOn_RestoresToAnAuditedLedger()
    {
        var world = await app.CreateWorldAsync();
        var plot = await app.PlotAsync(world.CoopFarmerKey, world.CoopId);
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var client = app.Client(world.CoopFarmerKey);
            var written = 0;
            while (!stop.IsCancellationRequested)
            {
                await TeaTraceApp.Created(await client.PostAsJsonAsync("/api/harvests", new { plotId = plot, pickedOn = Scenario.Day, pluckingStandard = "bud", freshLeafKg = 3 }));
                written++;
            }

            return written;
        })).ToList();

        await Task.Delay(300);
        var backup = await TeaTraceApp.Created(await app.Admin().PostAsJsonAsync("/api/admin/backups", new { }));
        await Task.Delay(300);
        await stop.CancelAsync();
        var written = (await Task.WhenAll(writers)).Sum();
        Assert.True(written > 0);

        var file = backup.GetProperty("file").GetString()!;
        var entries = backup.GetProperty("entries").GetInt64();
        Assert.True(entries > 0 && entries < app.LedgerSize(), "the backup is the ledger as of one moment while writes went on");
        Assert.Equal("ok", Scalar(file, "PRAGMA integrity_check"));

        var restored = Path.Combine(Path.GetTempPath(), "teatrace-tests", Guid.NewGuid().ToString("N"));
        BackupService.Restore(file, Path.Combine(restored, "teatrace.db"), Path.Combine(restored, "ledger.key"));
        await using var again = new RestoredApp(restored);
        var audit = await TeaTraceApp.Expect(await again.Admin().GetAsync("/api/ledger/audit"), HttpStatusCode.OK);
        Assert.True(audit.GetProperty("ok").GetBoolean(), audit.GetRawText());
        Assert.Equal(entries, audit.GetProperty("entries").GetInt64());
        // The restored service signs on with the same key: its checkpoint verifies with the original's public key.
        var original = await TeaTraceApp.Expect(await app.Client().GetAsync("/api/ledger/public-key"), HttpStatusCode.OK);
        var copy = await TeaTraceApp.Expect(await again.Client().GetAsync("/api/ledger/public-key"), HttpStatusCode.OK);
        Assert.Equal(original.GetProperty("verifierKey").GetString(), copy.GetProperty("verifierKey").GetString());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task NightlyJob_KeepsTheNewestBackups()
    {
        var job = app.Services.GetRequiredService<BackupJob>();
        for (var i = 0; i < 4; i++)
        {
            await job.RunAsync();
            await Task.Delay(5);
        }

        var folder = app.Services.GetRequiredService<BackupService>().Folder;
        Assert.Equal(2, Directory.GetFiles(folder, "teatrace-*.db").Length);
        Assert.Equal(2, Directory.GetFiles(folder, "teatrace-*.ledger.key").Length);
        Assert.All(Directory.GetFiles(folder, "*.ledger.key"), key => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key)));
    }

    [Fact]
    public async Task CommandLine_BackupAndRestore()
    {
        _ = app.Server;
        var target = Path.Combine(app.Directory, "cli", "copy.db");
        var (code, output) = await RunAsync("backup", target);
        Assert.True(code == 0, output);
        Assert.Contains("ledger entries", output);
        Assert.True(File.Exists(target) && File.Exists(Path.ChangeExtension(target, ".ledger.key")));

        var restored = Path.Combine(Path.GetTempPath(), "teatrace-tests", Guid.NewGuid().ToString("N"));
        (code, output) = await RunAsync("restore", target, restored);
        Assert.True(code == 0, output);
        await using var again = new RestoredApp(restored);
        var audit = await TeaTraceApp.Expect(await again.Admin().GetAsync("/api/ledger/audit"), HttpStatusCode.OK);
        Assert.True(audit.GetProperty("ok").GetBoolean(), audit.GetRawText());
    }

    private async Task<(int Code, string Output)> RunAsync(string command, string file, string? directory = null)
    {
        var dir = directory ?? app.Directory;
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "TeaTrace.Api.dll"), command, file])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ConnectionStrings__TeaTrace"] = $"Data Source={Path.Combine(dir, "teatrace.db")}",
                ["TeaTrace__Ledger__SigningKeyPath"] = Path.Combine(dir, "ledger.key"),
                ["TeaTrace__Jobs__Server"] = "false",
                ["Logging__LogLevel__Default"] = "Warning",
            },
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    private static string Scalar(string database, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string)command.ExecuteScalar()!;
    }
}
