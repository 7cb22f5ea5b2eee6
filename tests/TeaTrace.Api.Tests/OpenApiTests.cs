using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace TeaTrace.Api.Tests;

public sealed class OpenApiTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>
{
    [Fact]
    public async Task OpenApi_DescribesEveryEndpointWithItsRolesAndErrors()
    {
        var document = await TeaTraceApp.Expect(await app.Client().GetAsync("/openapi/v1.json"), HttpStatusCode.OK);
        var paths = document.GetProperty("paths");
        Assert.Equal("http", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey").GetProperty("type").GetString());

        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api", StringComparison.Ordinal) || e.RoutePattern.RawText == "/health")
            .ToList();
        Assert.NotEmpty(endpoints);
        foreach (var endpoint in endpoints)
        {
            var path = endpoint.RoutePattern.RawText!.TrimEnd('/').Replace(":long", "", StringComparison.Ordinal);
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is missing from the OpenAPI document");
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods)
            {
                var operation = item.GetProperty(method.ToLowerInvariant());
                var description = operation.GetProperty("description").GetString()!;
                Assert.True(description.StartsWith("Roles: ", StringComparison.Ordinal) || description.StartsWith("Public", StringComparison.Ordinal), $"{method} {path}: {description}");
                Assert.False(string.IsNullOrEmpty(operation.GetProperty("summary").GetString()));
                var responses = operation.GetProperty("responses");
                if (description.StartsWith("Roles: ", StringComparison.Ordinal))
                {
                    Assert.True(responses.TryGetProperty("401", out _), $"{method} {path} does not list 401");
                    Assert.True(responses.TryGetProperty("403", out _), $"{method} {path} does not list 403");
                    Assert.Equal(JsonValueKind.Array, operation.GetProperty("security").ValueKind);
                }

                if (method == "POST")
                {
                    Assert.True(responses.TryGetProperty("400", out _), $"{method} {path} does not list 400");
                }
            }
        }

        var harvest = paths.GetProperty("/api/harvests").GetProperty("post").GetProperty("responses");
        Assert.True(harvest.TryGetProperty("422", out _));
    }

    [Fact]
    public async Task Docs_AreServedWithoutOtherHosts()
    {
        var response = await app.Client().GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("openapi/v1.json", html);
        Assert.DoesNotContain("https://", html);
    }
    /// <summary>
    /// The served document, checked by Stoplight Spectral's OpenAPI ruleset (the JSON Schema of OpenAPI 3.1, path
    /// parameters declared for every templated path, unique operation ids, …): a validator this service did not write.
    /// </summary>
    [Fact]
    public async Task OpenApiDocument_PassesSpectralsOpenApiRules()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "TeaTrace.sln")))
        {
            root = root.Parent;
        }

        var spectral = Path.Combine(root!.FullName, "tests", "tools", "node_modules", ".bin", "spectral");
        Assert.True(File.Exists(spectral), $"Spectral is not installed: run `npm ci --prefix tests/tools` ({spectral}).");
        var document = Path.Combine(app.Directory, "openapi.json");
        await File.WriteAllTextAsync(document, await app.Client().GetStringAsync("/openapi/v1.json"));
        var ruleset = Path.Combine(app.Directory, ".spectral.yaml");
        await File.WriteAllTextAsync(ruleset, "extends: [\"spectral:oas\"]\n");

        var start = new System.Diagnostics.ProcessStartInfo(spectral, ["lint", document, "--ruleset", ruleset, "--format", "json", "--fail-severity", "error", "--quiet"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        var results = JsonDocument.Parse(output.Length == 0 ? "[]" : output).RootElement.EnumerateArray()
            .Where(r => r.GetProperty("severity").GetInt32() == 0)
            .Select(r => $"{r.GetProperty("code").GetString()}: {r.GetProperty("message").GetString()} at {string.Join('.', r.GetProperty("path").EnumerateArray())}")
            .ToList();
        Assert.True(results.Count == 0, string.Join('\n', results));
        Assert.True(process.ExitCode == 0, $"spectral exited {process.ExitCode}: {errors}");
    }
}
