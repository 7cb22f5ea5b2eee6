using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace TeaTrace.Api.Tests;

/// <summary>The README's walk-through, run as written with bash, curl and jq against the service on a real port.</summary>
public sealed class ReadmeWalkthroughTests
{
    [Fact]
    public async Task Walkthrough_RunsAsWritten()
    {
        var text = await RunBlockAsync("walkthrough");

        Assert.Contains("\"status\": 422", text, StringComparison.Ordinal);
        Assert.Contains("\"firstAllowedDate\": \"2026-04-27\"", text, StringComparison.Ordinal);
        Assert.Contains("Rapid tests do not detect matrine", text, StringComparison.Ordinal);
        Assert.Contains("\"soldKg\": 86.4", text, StringComparison.Ordinal);
        Assert.Contains("\"ok\": true", text, StringComparison.Ordinal);
        Assert.Contains("\"firstScan\": true", text, StringComparison.Ordinal);
        Assert.Contains("\"origin\": \"英红镇\"", text, StringComparison.Ordinal);
        Assert.Equal(3, text.Split('\n').Count(line => line.Contains("/01/06901234560015/10/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task VerifyWalkthrough_ChecksSignatureAndInclusionByHand()
    {
        var text = await RunBlockAsync("verify-walkthrough");

        Assert.Contains("Signature Verified Successfully", text, StringComparison.Ordinal);
        Assert.Contains("entry 7 is in the signed tree of", text, StringComparison.Ordinal);
    }

    private static async Task<string> RunBlockAsync(string marker)
    {
        var script = ExtractBlock(File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")), marker);
        var directory = Path.Combine(Path.GetTempPath(), "teatrace-tests", Guid.NewGuid().ToString("N"));
        using var app = new DemoApp(directory);
        app.UseKestrel(0);
        app.StartServer();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var run = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["BASE"] = address.Replace("[::]", "localhost", StringComparison.Ordinal) },
        };
        using var process = Process.Start(run)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        var text = await output + await errors;
        Assert.True(process.ExitCode == 0, $"the README block '{marker}' failed ({process.ExitCode}):\n{text}");

        app.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // a file the stopping service still writes; the temp folder is cleaned by the OS
        }

        return text;
    }

    internal static string ExtractBlock(string readme, string name)
    {
        var marker = readme.IndexOf($"<!-- {name} -->", StringComparison.Ordinal);
        Assert.True(marker >= 0, $"README.md has no <!-- {name} --> marker");
        var start = readme.IndexOf("```bash\n", marker, StringComparison.Ordinal) + "```bash\n".Length;
        var end = readme.IndexOf("\n```", start, StringComparison.Ordinal);
        return readme[start..end];
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TeaTrace.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("TeaTrace.sln not found above the test's directory.");
    }
}
