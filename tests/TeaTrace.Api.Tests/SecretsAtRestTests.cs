using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;

namespace TeaTrace.Api.Tests;

/// <summary>The data folder and everything the service keeps in it are readable by the service's user only.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SecretsAtRestTests(JobServerApp app) : IClassFixture<JobServerApp>
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = OwnerOnly | UnixFileMode.UserExecute;

    [Fact]
    public async Task DataFolder_Is0700_AndEveryFileIn_It0600()
    {
        var world = await app.CreateWorldAsync();
        await app.PlotAsync(world.CoopFarmerKey, world.CoopId);
        await TeaTraceApp.Created(await app.Admin().PostAsJsonAsync("/api/admin/backups", new { }));

        var files = Directory.EnumerateFiles(app.Directory, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith("teatrace.db-wal", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("teatrace-jobs.db", StringComparison.Ordinal));
        Assert.Contains(files, f => f.Contains("/backups/", StringComparison.Ordinal) && f.EndsWith(".db", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("ledger.key.last-signed", StringComparison.Ordinal));
        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(app.Directory));
        Assert.All(Directory.EnumerateDirectories(app.Directory, "*", SearchOption.AllDirectories), d => Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(d)));
        Assert.All(files, f => Assert.True(File.GetUnixFileMode(f) == OwnerOnly, $"{f} is {File.GetUnixFileMode(f)}"));
    }

    [Fact]
    public async Task FilesFromAnOlderVersion_AreNarrowedAtStart()
    {
        var directory = Path.Combine(Path.GetTempPath(), "teatrace-tests", Guid.NewGuid().ToString("N"));
        await using (var first = new RestoredApp(directory))
        {
            _ = first.Server;
        }

        SqliteConnection.ClearAllPools();
        var open = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(directory, OwnerOnlyFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        foreach (var file in new[] { "teatrace.db", "ledger.key", "ledger.key.last-signed" })
        {
            File.SetUnixFileMode(Path.Combine(directory, file), open);
        }

        await using var again = new RestoredApp(directory);
        await TeaTraceApp.Expect(await again.Client().GetAsync("/health"), HttpStatusCode.OK);
        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(directory));
        Assert.All(new[] { "teatrace.db", "ledger.key", "ledger.key.last-signed" }, f => Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(directory, f))));
    }
}
