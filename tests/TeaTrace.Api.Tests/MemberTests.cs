using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TeaTrace.Api.Tests;

/// <summary>A cooperative's members (社会化服务体系): registered by the cooperative, their leaf bought at its collection point, their month on a statement.</summary>
public sealed class MemberTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>, IAsyncLifetime
{
    private World _world = null!;
    private string _otherCoopId = "";
    private string _otherCoopKey = "";

    public async Task InitializeAsync()
    {
        _world = await app.CreateWorldAsync();
        _otherCoopId = await TeaTraceApp.CreateOrgAsync(app.Admin(), "黄花镇茶叶合作社", "cooperative", "黄花镇");
        _otherCoopKey = await TeaTraceApp.CreateKeyAsync(app.Admin(), _otherCoopId, "farmer");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient Coop => app.Client(_world.CoopFarmerKey);

    private async Task<string> MemberAsync(string name = "邓桂芳", string village = "英红镇 鸡笼山村", string? phone = null, string? idLast4 = null, string? orgId = null) =>
        (await TeaTraceApp.Created(await Coop.PostAsJsonAsync($"/api/orgs/{orgId ?? _world.CoopId}/members", new { name, village, phone, idLast4 })))
            .GetProperty("id").GetString()!;

    private async Task<string> MemberPlotAsync(string memberId)
    {
        var plot = await TeaTraceApp.Created(await Coop.PostAsJsonAsync("/api/plots", new
        {
            orgId = _world.CoopId,
            name = "成员茶园",
            town = "英红镇",
            cultivar = "英红九号",
            areaMu = 1.5,
            latitude = 24.2321,
            longitude = 113.3017,
            memberId,
        }));
        return plot.GetProperty("id").GetString()!;
    }

    private static object Collection(string memberId, string plotId, decimal kg = 12.345m, decimal price = 36.50m, string pickedOn = "2026-04-02",
        string collectedAt = "2026-04-02T17:30:00+08:00") =>
        new { memberId, plotId, pickedOn, pluckingStandard = "bud1leaf", kg, pricePerKgCny = price, collectedAt };

    [Fact]
    public async Task Member_Registered_IsListedWithItsPersonalFields_WhichAreSealedAndKeptOutOfTheRows()
    {
        var id = await MemberAsync("罗永福", "横石塘镇 龙华村", "139 2231 0457", "042X");

        var members = await TeaTraceApp.Expect(await Coop.GetAsync($"/api/orgs/{_world.CoopId}/members"), HttpStatusCode.OK);
        var member = members.EnumerateArray().Single(m => m.GetProperty("id").GetString() == id);
        Assert.Equal("罗永福", member.GetProperty("name").GetString());
        Assert.Equal("139 2231 0457", member.GetProperty("phone").GetString());
        Assert.Equal("042X", member.GetProperty("idLast4").GetString());
        Assert.Equal("横石塘镇 龙华村", member.GetProperty("village").GetString());
        Assert.False(member.GetProperty("erased").GetBoolean());
        await TeaTraceApp.Expect(await app.Client(_world.RegulatorKey).GetAsync($"/api/orgs/{_world.CoopId}/members"), HttpStatusCode.OK);

        var entry = LedgerTests.Entries(app).Single(e => e.SubjectId == id);
        Assert.Equal("member.registered", entry.Type);
        Assert.Contains("横石塘镇 龙华村", entry.Body, StringComparison.Ordinal);
        Assert.Contains("\"sealed\"", entry.Body, StringComparison.Ordinal);
        foreach (var secret in new[] { "罗永福", "2231", "042X" })
        {
            Assert.DoesNotContain(secret, entry.Body, StringComparison.Ordinal);
        }

        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT * FROM members WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        for (var i = 0; i < reader.FieldCount; i++)
        {
            Assert.DoesNotContain("罗永福", reader.GetValue(i).ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("12a4")]
    [InlineData("X123")]
    [InlineData("123x")]
    public async Task Member_WithIdLast4NotThreeDigitsAndADigitOrX_Is400_AndWritesNothing(string idLast4)
    {
        var before = app.Snapshot();
        var problem = await TeaTraceApp.Problem(await Coop.PostAsJsonAsync($"/api/orgs/{_world.CoopId}/members", new { name = "朱月娥", village = "黄花镇", idLast4 }), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("idLast4", out _));
        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task Member_OfAFarm_Is422_AndOfAnotherCooperative_Is403()
    {
        var before = app.Snapshot();
        var farm = await TeaTraceApp.Problem(await app.Client(_world.FarmFarmerKey).PostAsJsonAsync($"/api/orgs/{_world.FarmId}/members", new { name = "梁建平", village = "连江口镇" }),
            HttpStatusCode.UnprocessableEntity);
        Assert.Contains("cooperative", farm.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await TeaTraceApp.Problem(await app.Client(_otherCoopKey).PostAsJsonAsync($"/api/orgs/{_world.CoopId}/members", new { name = "梁建平", village = "英红镇" }), HttpStatusCode.Forbidden);
        await TeaTraceApp.Problem(await app.Client(_otherCoopKey).GetAsync($"/api/orgs/{_world.CoopId}/members"), HttpStatusCode.Forbidden);
        await TeaTraceApp.Problem(await app.Client(_world.FarmFarmerKey).GetAsync($"/api/orgs/{_world.FarmId}/members"), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task Plot_NamingAMember_ShowsIt_AndAMemberOfAnotherOrganisation_Is422()
    {
        var member = await MemberAsync();
        var plot = await MemberPlotAsync(member);
        var read = await TeaTraceApp.Expect(await Coop.GetAsync($"/api/plots/{plot}"), HttpStatusCode.OK);
        Assert.Equal(member, read.GetProperty("memberId").GetString());

        var stranger = (await TeaTraceApp.Created(await app.Client(_otherCoopKey).PostAsJsonAsync($"/api/orgs/{_otherCoopId}/members", new { name = "温秀兰", village = "黄花镇" })))
            .GetProperty("id").GetString()!;
        var before = app.Snapshot();
        foreach (var memberId in new[] { stranger, "mbr_unknown" })
        {
            var problem = await TeaTraceApp.Problem(await Coop.PostAsJsonAsync("/api/plots", new
            {
                orgId = _world.CoopId,
                name = "成员茶园",
                town = "英红镇",
                cultivar = "英红九号",
                areaMu = 1.5,
                latitude = 24.23,
                longitude = 113.30,
                memberId,
            }), HttpStatusCode.UnprocessableEntity);
            Assert.Equal(memberId, problem.GetProperty("memberId").GetString());
        }

        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task Collection_RecordsTheMembersHarvest_HeldByTheCooperative_WhichSellsItPooledOnOneCertificate()
    {
        var (first, second) = (await MemberAsync("邓桂芳"), await MemberAsync("朱月娥", "英红镇 积庆里村"));
        var (firstPlot, secondPlot) = (await MemberPlotAsync(first), await MemberPlotAsync(second));

        var one = await TeaTraceApp.Created(await Coop.PostAsJsonAsync("/api/collections", Collection(first, firstPlot, 12.345m, 36.50m)));
        Assert.Equal(450.59m, one.GetProperty("amountCny").GetDecimal()); // 12.345 kg × 36.50 = 450.5925
        Assert.Equal(first, one.GetProperty("memberId").GetString());
        Assert.StartsWith("H-", one.GetProperty("harvestCode").GetString(), StringComparison.Ordinal);
        var two = await TeaTraceApp.Created(await Coop.PostAsJsonAsync("/api/collections", Collection(second, secondPlot, 7.001m, 40.25m)));

        var harvest = await TeaTraceApp.Expect(await Coop.GetAsync($"/api/harvests/{one.GetProperty("harvestId").GetString()}"), HttpStatusCode.OK);
        Assert.Equal(_world.CoopId, harvest.GetProperty("orgId").GetString());
        Assert.Equal(12.345m, harvest.GetProperty("remainingKg").GetDecimal());

        var sale = await TeaTraceApp.Created(await Coop.PostAsJsonAsync("/api/leaf-sales", new
        {
            buyerOrgId = _world.FactoryId,
            soldAt = "2026-04-02T19:00:00+08:00",
            basis = "control",
            harvests = new[]
            {
                new { harvestId = one.GetProperty("harvestId").GetString(), kg = 12.345m },
                new { harvestId = two.GetProperty("harvestId").GetString(), kg = 7.001m },
            },
        }));
        Assert.Equal(2, sale.GetProperty("certificate").GetProperty("harvests").GetArrayLength());

        var types = LedgerTests.Entries(app).Where(e => e.SubjectId == one.GetProperty("id").GetString() || e.SubjectId == one.GetProperty("harvestId").GetString()).ToList();
        Assert.Equal(["harvest.recorded", "collection.recorded"], types.Select(e => e.Type));
        var collected = types[1].Body;
        Assert.Contains(first, collected, StringComparison.Ordinal);
        Assert.DoesNotContain("36.5", collected, StringComparison.Ordinal);
        Assert.DoesNotContain("450.59", collected, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Collection_InsideAPreHarvestInterval_Is422NamingTheInputAndFirstAllowedDate_AndWritesNothing()
    {
        var member = await MemberAsync();
        var plot = await MemberPlotAsync(member);
        var input = (await TeaTraceApp.Created(await Coop.PostAsJsonAsync($"/api/plots/{plot}/inputs", new
        {
            kind = "pesticide",
            product = "0.3% 苦参碱水剂",
            activeIngredient = "苦参碱",
            source = "农资店",
            dose = 75,
            doseUnit = "mL/mu",
            method = "喷雾",
            appliedOn = "2026-03-30",
            preHarvestIntervalDays = 7,
        }))).GetProperty("id").GetString();

        var before = app.Snapshot();
        var problem = await TeaTraceApp.Problem(await Coop.PostAsJsonAsync("/api/collections", Collection(member, plot)), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(input, problem.GetProperty("inputId").GetString());
        Assert.Equal("2026-04-06", problem.GetProperty("firstAllowedDate").GetString());
        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task Collection_FromAnotherMembersPlot_Is422_AndAnotherCooperativesFarmer_Is403OnCollectionsAndStatements()
    {
        var (member, neighbour) = (await MemberAsync(), await MemberAsync("梁建平"));
        var neighboursPlot = await MemberPlotAsync(neighbour);
        var farmPlot = await app.PlotAsync(_world.FarmFarmerKey, _world.FarmId);
        var before = app.Snapshot();

        var problem = await TeaTraceApp.Problem(await Coop.PostAsJsonAsync("/api/collections", Collection(member, neighboursPlot)), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(neighbour, problem.GetProperty("plotMemberId").GetString());
        await TeaTraceApp.Problem(await Coop.PostAsJsonAsync("/api/collections", Collection(member, farmPlot)), HttpStatusCode.UnprocessableEntity);
        await TeaTraceApp.Problem(await app.Client(_otherCoopKey).PostAsJsonAsync("/api/collections", Collection(neighbour, neighboursPlot)), HttpStatusCode.Forbidden);
        await TeaTraceApp.Problem(await app.Client(_otherCoopKey).GetAsync($"/api/orgs/{_world.CoopId}/members/{neighbour}/statement?month=2026-04"), HttpStatusCode.Forbidden);
        await TeaTraceApp.Problem(await app.Client(_otherCoopKey).GetAsync($"/api/orgs/{_otherCoopId}/members/{neighbour}/statement?month=2026-04"), HttpStatusCode.NotFound);
        await TeaTraceApp.Problem(await Coop.PostAsJsonAsync("/api/collections", Collection(member, neighboursPlot, price: 36.505m)), HttpStatusCode.BadRequest);
        await TeaTraceApp.Problem(await Coop.PostAsJsonAsync("/api/collections", Collection(member, neighboursPlot, collectedAt: "2026-04-01T17:30:00+08:00")), HttpStatusCode.BadRequest);
        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task Statement_ListsTheMonthsCollections_WithAmountsExactToTheFen_AsJsonAndAsAPrintablePage()
    {
        var member = await MemberAsync("温秀兰", "黄花镇 石龙村", idLast4: "381X");
        var plot = await MemberPlotAsync(member);
        await TeaTraceApp.Created(await Coop.PostAsJsonAsync("/api/collections", Collection(member, plot, 12.345m, 36.50m, "2026-04-02", "2026-04-02T17:30:00+08:00")));
        await TeaTraceApp.Created(await Coop.PostAsJsonAsync("/api/collections", Collection(member, plot, 7.001m, 40.25m, "2026-04-30", "2026-04-30T23:50:00+08:00")));
        await TeaTraceApp.Created(await Coop.PostAsJsonAsync("/api/collections", Collection(member, plot, 5m, 40m, "2026-05-01", "2026-05-01T00:10:00+08:00")));

        var statement = await TeaTraceApp.Expect(await Coop.GetAsync($"/api/orgs/{_world.CoopId}/members/{member}/statement?month=2026-04"), HttpStatusCode.OK);
        Assert.Equal("2026-04", statement.GetProperty("month").GetString());
        Assert.Equal("温秀兰", statement.GetProperty("member").GetProperty("name").GetString());
        Assert.Equal(2, statement.GetProperty("collections").GetArrayLength());
        Assert.Equal(19.346m, statement.GetProperty("kg").GetDecimal());
        Assert.Equal(732.38m, statement.GetProperty("amountCny").GetDecimal()); // 450.59 + 281.79 (7.001 × 40.25 = 281.79025)
        Assert.Equal([450.59m, 281.79m], statement.GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("amountCny").GetDecimal()));
        await TeaTraceApp.Expect(await app.Client(_world.RegulatorKey).GetAsync($"/api/orgs/{_world.CoopId}/members/{member}/statement?month=2026-04"), HttpStatusCode.OK);
        await TeaTraceApp.Problem(await Coop.GetAsync($"/api/orgs/{_world.CoopId}/members/{member}/statement?month=2026-4"), HttpStatusCode.BadRequest);

        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/orgs/{_world.CoopId}/members/{member}/statement?month=2026-04");
        request.Headers.Accept.ParseAdd("text/html");
        var page = await Coop.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        foreach (var text in new[] { "对账单", "Statement", "温秀兰", "黄花镇 石龙村", "¥732.38", "19.346", "381X" })
        {
            Assert.Contains(text, html, StringComparison.Ordinal);
        }

        Assert.True(html.IndexOf("鲜叶交售对账单", StringComparison.Ordinal) < html.IndexOf("Statement of fresh leaf", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Erasure_OfAMemberId_RemovesTheirPersonalFields_ButNotWhileTheirCollectionsMustBeKept()
    {
        var member = await MemberAsync("周桂英", "连江口镇 浦竹村", "135 0763 1188");
        var erased = await TeaTraceApp.Created(await app.Admin().PostAsJsonAsync("/api/admin/erasures", new { subject = member, reason = "本人要求删除" }));
        Assert.Equal(1, erased.GetProperty("erased").GetInt32());
        var listed = (await TeaTraceApp.Expect(await Coop.GetAsync($"/api/orgs/{_world.CoopId}/members"), HttpStatusCode.OK))
            .EnumerateArray().Single(m => m.GetProperty("id").GetString() == member);
        Assert.True(listed.GetProperty("erased").GetBoolean());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("name").ValueKind);
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("phone").ValueKind);
        using (var db = app.OpenDatabase())
        using (var command = db.CreateCommand())
        {
            command.CommandText = "SELECT count(*) FROM sealed_parts WHERE instr(CAST(fields AS TEXT), '周桂英') > 0";
            Assert.Equal(0L, (long)command.ExecuteScalar()!);
        }

        var seller = await MemberAsync("陈木生");
        await TeaTraceApp.Created(await Coop.PostAsJsonAsync("/api/collections", Collection(seller, await MemberPlotAsync(seller))));
        var before = app.Snapshot();
        var kept = await TeaTraceApp.Problem(await app.Admin().PostAsJsonAsync("/api/admin/erasures", new { subject = seller, reason = "本人要求删除" }), HttpStatusCode.UnprocessableEntity);
        Assert.True(kept.TryGetProperty("erasableFrom", out _));
        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task Collection_RetriedWithTheSameIdempotencyKey_IsRecordedOnce()
    {
        var member = await MemberAsync();
        var plot = await MemberPlotAsync(member);
        var answers = new List<JsonElement>();
        for (var i = 0; i < 2; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/collections") { Content = JsonContent.Create(Collection(member, plot)) };
            request.Headers.Add("Idempotency-Key", "coop-outbox-0001-" + member);
            answers.Add(await TeaTraceApp.Created(await Coop.SendAsync(request)));
        }

        Assert.Equal(answers[0].GetProperty("id").GetString(), answers[1].GetProperty("id").GetString());
        var statement = await TeaTraceApp.Expect(await Coop.GetAsync($"/api/orgs/{_world.CoopId}/members/{member}/statement?month=2026-04"), HttpStatusCode.OK);
        Assert.Equal(1, statement.GetProperty("collections").GetArrayLength());
    }
}
