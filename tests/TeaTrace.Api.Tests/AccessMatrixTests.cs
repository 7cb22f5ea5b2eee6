using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace TeaTrace.Api.Tests;

/// <summary>Role × endpoint: no key is 401, a role the endpoint does not name is 403, and nothing is written either way.</summary>
public sealed class AccessMatrixTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>, IAsyncLifetime
{
    private static readonly string[] AllRoles = ["admin", "farmer", "processor", "distributor", "regulator", "lab"];

    public static readonly TheoryData<string, string, string> Matrix = new()
    {
        { "POST", "/api/orgs", "admin" },
        { "GET", "/api/orgs/{id}", "admin farmer processor distributor regulator lab" },
        { "POST", "/api/orgs/{orgId}/keys", "admin" },
        { "DELETE", "/api/keys/{id}", "admin" },
        { "GET", "/api/me", "admin farmer processor distributor regulator lab" },
        { "POST", "/api/plots", "admin farmer" },
        { "GET", "/api/plots", "admin farmer regulator" },
        { "GET", "/api/plots/{id}", "admin farmer regulator" },
        { "POST", "/api/plots/{id}/inputs", "admin farmer" },
        { "GET", "/api/plots/{id}/inputs", "admin farmer regulator" },
        { "POST", "/api/harvests", "admin farmer" },
        { "GET", "/api/harvests/{id}", "admin farmer processor regulator" },
        { "POST", "/api/batches", "admin processor" },
        { "GET", "/api/batches/{id}", "admin processor distributor regulator" },
        { "POST", "/api/batches/{id}/steps", "admin processor" },
        { "POST", "/api/batches/{id}/readings", "admin processor" },
        { "POST", "/api/batches/{id}/complete", "admin processor" },
        { "POST", "/api/lots", "admin processor distributor" },
        { "GET", "/api/lots/{id}", "admin processor distributor regulator" },
        { "GET", "/api/lots/{id}/units", "admin processor distributor regulator" },
        { "GET", "/api/ledger/audit", "admin regulator" },
        { "GET", "/api/lots/{id}/labels.csv", "admin processor distributor regulator" },
        { "GET", "/api/units/{serial}/qr.png", "admin processor distributor regulator" },
        { "GET", "/api/units/{serial}/qr.svg", "admin processor distributor regulator" },
        { "POST", "/api/recalls", "admin regulator" },
        { "GET", "/api/trace/forward", "admin regulator" },
        { "GET", "/api/trace/backward", "admin regulator" },
        { "POST", "/api/trades", "admin processor distributor" },
        { "POST", "/api/market/rebuild", "admin" },
        { "POST", "/api/market/days/{date}/reopen", "admin" },
        { "POST", "/api/admin/backups", "admin" },
        { "GET", "/api/harvests/{id}/qr.png", "admin farmer processor regulator" },
        { "GET", "/api/harvests/{id}/qr.svg", "admin farmer processor regulator" },
        { "GET", "/api/batches/{id}/qr.png", "admin processor distributor regulator" },
        { "GET", "/api/batches/{id}/qr.svg", "admin processor distributor regulator" },
        { "GET", "/api/ledger/entries/{index}/sealed", "admin farmer processor distributor regulator lab" },
        { "POST", "/api/admin/erasures", "admin" },
        { "POST", "/api/leaf-sales", "admin farmer" },
        { "GET", "/api/certificates/{number}", "admin farmer processor regulator" },
        { "POST", "/api/certificates/{number}/void", "admin farmer" },
        { "GET", "/api/certificates/{number}/qr.png", "admin farmer processor" },
        { "GET", "/api/certificates/{number}/qr.svg", "admin farmer processor" },
        { "POST", "/api/leaf-receipts", "admin farmer processor" },
        { "POST", "/api/leaf-rejections", "admin farmer processor" },
        { "GET", "/api/orgs/{orgId}/purchases", "admin farmer processor regulator" },
        { "GET", "/api/leaf-buyers", "admin farmer" },
        { "POST", "/api/residue-tests", "admin farmer lab" },
        { "GET", "/api/residue-tests/{id}", "admin farmer regulator lab" },
        { "GET", "/api/plots/{id}/residue-tests", "admin farmer regulator" },
        { "POST", "/api/shipments", "admin processor" },
        { "GET", "/api/shipments/{id}", "admin processor distributor regulator" },
        { "GET", "/api/shipments/{id}/qr.png", "admin processor distributor" },
        { "GET", "/api/shipments/{id}/qr.svg", "admin processor distributor" },
        { "POST", "/api/shipments/{id}/receive", "admin distributor" },
        { "POST", "/api/orgs/{orgId}/members", "admin farmer" },
        { "GET", "/api/orgs/{orgId}/members", "admin farmer regulator" },
        { "GET", "/api/orgs/{orgId}/members/{memberId}/statement", "admin farmer regulator" },
        { "POST", "/api/collections", "admin farmer" },
    };

    private readonly Dictionary<string, string> _keys = [];

    public async Task InitializeAsync()
    {
        var world = await app.CreateWorldAsync();
        _keys["admin"] = TeaTraceApp.AdminKey;
        _keys["farmer"] = world.CoopFarmerKey;
        _keys["processor"] = world.ProcessorKey;
        _keys["distributor"] = world.DistributorKey;
        _keys["regulator"] = world.RegulatorKey;
        _keys["lab"] = await TeaTraceApp.CreateKeyAsync(app.Admin(), await TeaTraceApp.CreateOrgAsync(app.Admin(), "广东省茶叶质量检测中心", "lab", "广州市天河区"), "lab");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Endpoint_WithoutKey_Is401_WithOtherRoles_Is403(string method, string template, string allowed)
    {
        var path = template.Replace("{id}", "x_1", StringComparison.Ordinal).Replace("{orgId}", "x_1", StringComparison.Ordinal).Replace("{serial}", "X1", StringComparison.Ordinal)
            .Replace("{memberId}", "x_1", StringComparison.Ordinal)
            .Replace("{date}", "2026-06-01", StringComparison.Ordinal).Replace("{index}", "999999", StringComparison.Ordinal);
        var before = app.Snapshot();

        await TeaTraceApp.Problem(await Send(app.Client(), method, path), HttpStatusCode.Unauthorized);
        foreach (var role in AllRoles.Except(allowed.Split(' ')))
        {
            var problem = await TeaTraceApp.Problem(await Send(app.Client(_keys[role]), method, path), HttpStatusCode.Forbidden);
            Assert.Contains(role, problem.GetProperty("detail").GetString());
        }

        foreach (var role in allowed.Split(' '))
        {
            var status = (await Send(app.Client(_keys[role]), method, path)).StatusCode;
            Assert.True(status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{role} was refused by {method} {path}: {status}");
        }

        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public void Matrix_CoversEveryKeyedEndpoint()
    {
        var covered = Matrix.Select(row => $"{row[0]} {row[1]}").ToHashSet();
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>() is not null)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {Normalise(e.RoutePattern.RawText!)}"))
            .ToList();

        Assert.NotEmpty(endpoints);
        Assert.All(endpoints, e => Assert.Contains(e, covered));
    }

    private static string Normalise(string pattern) => pattern.TrimEnd('/').Replace(":long", "", StringComparison.Ordinal);

    private static Task<HttpResponseMessage> Send(HttpClient client, string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        return client.SendAsync(request);
    }
}
