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
}
