using System.Net;
using System.Net.Http.Json;

namespace TeaTrace.Api.Tests;

public sealed class OrgAndKeyTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>
{
    [Fact]
    public async Task CreateOrg_Valid_IsReadableAndLedgered()
    {
        var before = app.LedgerSize();
        var response = await app.Admin().PostAsJsonAsync("/api/orgs", new { name = "黄花镇茶场", kind = "farm", town = "黄花镇", licenceNo = "JY144188100", gs1CompanyPrefix = (string?)null });
        var org = await TeaTraceApp.Created(response);
        Assert.Equal($"/api/orgs/{org.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);

        var read = await TeaTraceApp.Expect(await app.Admin().GetAsync(response.Headers.Location), HttpStatusCode.OK);
        Assert.Equal("黄花镇茶场", read.GetProperty("name").GetString());
        Assert.Equal("farm", read.GetProperty("kind").GetString());
        Assert.Equal(before + 1, app.LedgerSize());
    }

    [Theory]
    [InlineData("{\"name\":\"x\",\"kind\":\"bank\",\"town\":\"英红镇\"}", "kind")]
    [InlineData("{\"kind\":\"farm\",\"town\":\"英红镇\"}", "name")]
    [InlineData("{\"name\":\"x\",\"kind\":\"factory\",\"town\":\"英红镇\",\"gs1CompanyPrefix\":\"69A\"}", "gs1CompanyPrefix")]
    public async Task CreateOrg_Invalid_Is400WithFieldErrorAndWritesNothing(string json, string field)
    {
        var before = app.Snapshot();
        var response = await app.Admin().PostAsync("/api/orgs", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var problem = await TeaTraceApp.Problem(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task CreateKey_RoleThatDoesNotFitOrg_Is422AndWritesNothing()
    {
        var admin = app.Admin();
        var farm = await TeaTraceApp.CreateOrgAsync(admin, "石牯塘茶园", "farm", "石牯塘镇");
        var before = app.Snapshot();

        var response = await admin.PostAsJsonAsync($"/api/orgs/{farm}/keys", new { holderName = "x", role = "processor" });

        var problem = await TeaTraceApp.Problem(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("cannot belong to a farm", problem.GetProperty("detail").GetString());
        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task CreateKey_UnknownOrg_Is404()
    {
        var before = app.Snapshot();
        var response = await app.Admin().PostAsJsonAsync("/api/orgs/org_nope/keys", new { holderName = "x", role = "farmer" });
        await TeaTraceApp.Problem(response, HttpStatusCode.NotFound);
        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task Key_IsShownOnceAndStoredOnlyAsItsHash()
    {
        var admin = app.Admin();
        var farm = await TeaTraceApp.CreateOrgAsync(admin, "九龙镇茶园", "farm", "九龙镇");
        var key = await TeaTraceApp.CreateKeyAsync(admin, farm, "farmer");

        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT key_hash FROM api_keys";
        using var reader = command.ExecuteReader();
        var hashes = new List<byte[]>();
        while (reader.Read())
        {
            hashes.Add((byte[])reader.GetValue(0));
        }

        Assert.Contains(hashes, h => h.SequenceEqual(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key))));
        foreach (var file in System.IO.Directory.GetFiles(app.Directory, "teatrace.db*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            Assert.DoesNotContain(key, System.Text.Encoding.Latin1.GetString(copy.ToArray()), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RevokedKey_Gets401AtOnce()
    {
        var admin = app.Admin();
        var farm = await TeaTraceApp.CreateOrgAsync(admin, "望埠镇茶园", "farm", "望埠镇");
        var created = await TeaTraceApp.Created(await admin.PostAsJsonAsync($"/api/orgs/{farm}/keys", new { holderName = "x", role = "farmer" }));
        var key = created.GetProperty("apiKey").GetString()!;
        await TeaTraceApp.Expect(await app.Client(key).GetAsync("/api/me"), HttpStatusCode.OK);

        await TeaTraceApp.Expect(await admin.DeleteAsync($"/api/keys/{created.GetProperty("id").GetString()}"), HttpStatusCode.NoContent);

        var problem = await TeaTraceApp.Problem(await app.Client(key).GetAsync("/api/me"), HttpStatusCode.Unauthorized);
        Assert.Contains("revoked", problem.GetProperty("detail").GetString());
        var refused = await app.Client(key).PostAsJsonAsync("/api/plots", new { orgId = farm, name = "x", town = "x", cultivar = "英红九号", areaMu = 1, latitude = 24.2, longitude = 113.3 });
        await TeaTraceApp.Problem(refused, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RevokeKey_Twice_IsNoOpAndLedgersOnce()
    {
        var admin = app.Admin();
        var farm = await TeaTraceApp.CreateOrgAsync(admin, "西牛镇茶园", "farm", "西牛镇");
        var created = await TeaTraceApp.Created(await admin.PostAsJsonAsync($"/api/orgs/{farm}/keys", new { holderName = "x", role = "farmer" }));
        var id = created.GetProperty("id").GetString();

        await TeaTraceApp.Expect(await admin.DeleteAsync($"/api/keys/{id}"), HttpStatusCode.NoContent);
        var before = app.Snapshot();
        await TeaTraceApp.Expect(await admin.DeleteAsync($"/api/keys/{id}"), HttpStatusCode.NoContent);
        Assert.Equal(before, app.Snapshot());
        await TeaTraceApp.Problem(await admin.DeleteAsync("/api/keys/key_nope"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UnknownKey_Gets401Problem()
    {
        var response = await app.Client("tt_not_a_key_at_all_0000").GetAsync("/api/me");
        var problem = await TeaTraceApp.Problem(response, HttpStatusCode.Unauthorized);
        Assert.Contains("not recognised", problem.GetProperty("detail").GetString());
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Me_NamesTheKeysOrganisationAndRole()
    {
        var admin = app.Admin();
        var factory = await TeaTraceApp.CreateOrgAsync(admin, "大湾镇茶厂", "factory", "大湾镇");
        var key = await TeaTraceApp.CreateKeyAsync(admin, factory, "processor");

        var me = await TeaTraceApp.Expect(await app.Client(key).GetAsync("/api/me"), HttpStatusCode.OK);

        Assert.Equal("processor", me.GetProperty("role").GetString());
        Assert.Equal(factory, me.GetProperty("org").GetProperty("id").GetString());
    }

    [Fact]
    public async Task GetOrg_OtherOrganisationsKey_Is403()
    {
        var admin = app.Admin();
        var a = await TeaTraceApp.CreateOrgAsync(admin, "甲茶园", "farm", "英红镇");
        var b = await TeaTraceApp.CreateOrgAsync(admin, "乙茶园", "farm", "英红镇");
        var key = await TeaTraceApp.CreateKeyAsync(admin, a, "farmer");

        await TeaTraceApp.Expect(await app.Client(key).GetAsync($"/api/orgs/{a}"), HttpStatusCode.OK);
        await TeaTraceApp.Problem(await app.Client(key).GetAsync($"/api/orgs/{b}"), HttpStatusCode.Forbidden);
    }
}

/// <summary>The last working admin key cannot be revoked; in its own database so no other test's admin keys count.</summary>
public sealed class LastAdminKeyTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>
{
    [Fact]
    public async Task RevokeKey_LastAdmin_Is409()
    {
        var admin = app.Admin();
        var me = await TeaTraceApp.Expect(await admin.GetAsync("/api/me"), HttpStatusCode.OK);
        var before = app.Snapshot();

        var problem = await TeaTraceApp.Problem(await admin.DeleteAsync($"/api/keys/{me.GetProperty("keyId").GetString()}"), HttpStatusCode.Conflict);

        Assert.Contains("last working admin key", problem.GetProperty("detail").GetString());
        Assert.Equal(before, app.Snapshot());
    }
}
