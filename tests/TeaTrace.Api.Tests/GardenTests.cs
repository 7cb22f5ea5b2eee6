using System.Net;
using System.Net.Http.Json;

namespace TeaTrace.Api.Tests;

public sealed class GardenTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>, IAsyncLifetime
{
    private World _world = null!;

    public async Task InitializeAsync() => _world = await app.CreateWorldAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("英红九号", 24.2321, 113.3017, true)]
    [InlineData("金萱", 24.2321, 113.3017, false)] // not a GI cultivar
    [InlineData("英红九号", 24.35, 114.13, false)] // Wengyuan: outside the GI area
    [InlineData("凤凰水仙", 23.84, 112.76, true)] // near the area's south-west corner
    public async Task CreatePlot_GiEligibility_FollowsAreaAndCultivar(string cultivar, double latitude, double longitude, bool eligible)
    {
        var response = await app.Client(_world.CoopFarmerKey).PostAsJsonAsync("/api/plots", new
        {
            orgId = _world.CoopId,
            name = "测试地块",
            town = "英红镇",
            cultivar,
            areaMu = 3.5,
            latitude,
            longitude,
            certifications = new[] { "有机 Organic" },
        });
        var plot = await TeaTraceApp.Created(response);
        Assert.Equal(eligible, plot.GetProperty("giEligible").GetBoolean());
        Assert.Equal(eligible, plot.GetProperty("giReasons").GetArrayLength() == 0);
        var read = await TeaTraceApp.Expect(await app.Client(_world.CoopFarmerKey).GetAsync(response.Headers.Location), HttpStatusCode.OK);
        Assert.Equal(eligible, read.GetProperty("giEligible").GetBoolean());
        Assert.Equal("有机 Organic", read.GetProperty("certifications")[0].GetString());
    }

    [Fact]
    public async Task CreatePlot_ForAnotherOrganisation_Is403AndWritesNothing()
    {
        var before = app.Snapshot();
        var response = await app.Client(_world.FarmFarmerKey).PostAsJsonAsync("/api/plots", new
        {
            orgId = _world.CoopId,
            name = "x",
            town = "英红镇",
            cultivar = "英红九号",
            areaMu = 1,
            latitude = 24.2,
            longitude = 113.3,
        });
        await TeaTraceApp.Problem(response, HttpStatusCode.Forbidden);
        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task CreatePlot_ForAFactory_Is422()
    {
        var response = await app.Admin().PostAsJsonAsync("/api/plots", new
        {
            orgId = _world.FactoryId,
            name = "x",
            town = "英红镇",
            cultivar = "英红九号",
            areaMu = 1,
            latitude = 24.2,
            longitude = 113.3,
        });
        await TeaTraceApp.Problem(response, HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Plots_OtherOrganisationsFarmer_Gets403_RegulatorReads()
    {
        var plot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId);

        await TeaTraceApp.Problem(await app.Client(_world.FarmFarmerKey).GetAsync($"/api/plots/{plot}"), HttpStatusCode.Forbidden);
        await TeaTraceApp.Problem(await app.Client(_world.FarmFarmerKey).GetAsync($"/api/plots/{plot}/inputs"), HttpStatusCode.Forbidden);
        await TeaTraceApp.Problem(await app.Client(_world.FarmFarmerKey).GetAsync($"/api/plots?orgId={_world.CoopId}"), HttpStatusCode.Forbidden);
        await TeaTraceApp.Expect(await app.Client(_world.RegulatorKey).GetAsync($"/api/plots/{plot}"), HttpStatusCode.OK);
        var mine = await TeaTraceApp.Expect(await app.Client(_world.CoopFarmerKey).GetAsync("/api/plots"), HttpStatusCode.OK);
        Assert.Contains(mine.EnumerateArray(), p => p.GetProperty("id").GetString() == plot);
        Assert.All(mine.EnumerateArray(), p => Assert.Equal(_world.CoopId, p.GetProperty("orgId").GetString()));
    }

    [Fact]
    public async Task CreateInput_PesticideWithoutInterval_Is400AndWritesNothing()
    {
        var plot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId);
        var before = app.Snapshot();

        var response = await app.Client(_world.CoopFarmerKey).PostAsJsonAsync($"/api/plots/{plot}/inputs", Pesticide("2026-03-20", null));

        var problem = await TeaTraceApp.Problem(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("preHarvestIntervalDays", out _));
        Assert.Equal(before, app.Snapshot());
    }

    [Theory]
    [InlineData("40% 氧乐果乳油", "omethoate")]
    [InlineData("20% 三氯杀螨醇乳油", "dicofol")] // banned on tea, and failing any residue test that detects it
    public async Task CreateInput_BannedPesticide_Is422AndWritesNothing(string product, string activeIngredient)
    {
        var plot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId);
        var before = app.Snapshot();

        var response = await app.Client(_world.CoopFarmerKey).PostAsJsonAsync($"/api/plots/{plot}/inputs", new
        {
            kind = "pesticide",
            product,
            activeIngredient,
            source = "x",
            dose = 50,
            doseUnit = "mL/mu",
            method = "spray",
            appliedOn = "2026-03-20",
            preHarvestIntervalDays = 10,
        });

        var problem = await TeaTraceApp.Problem(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("banned", problem.GetProperty("detail").GetString());
        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task Harvest_InsidePreHarvestInterval_Is422NamingInputAndFirstDate_AndWritesNothing()
    {
        var plot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId);
        var client = app.Client(_world.CoopFarmerKey);
        var input = await TeaTraceApp.Created(await client.PostAsJsonAsync($"/api/plots/{plot}/inputs", Pesticide("2026-03-25", 10)));
        Assert.Equal("2026-04-04", input.GetProperty("firstHarvestOn").GetString());
        var before = app.Snapshot();

        var response = await client.PostAsJsonAsync("/api/harvests", new { plotId = plot, pickedOn = "2026-04-03", pluckingStandard = "bud1leaf", freshLeafKg = 50 });

        var problem = await TeaTraceApp.Problem(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(input.GetProperty("id").GetString(), problem.GetProperty("inputId").GetString());
        Assert.Equal("2026-04-04", problem.GetProperty("firstAllowedDate").GetString());
        Assert.Contains("苦参碱", problem.GetProperty("detail").GetString());
        Assert.Contains("2026-04-04", problem.GetProperty("detail").GetString());
        Assert.Equal(before, app.Snapshot());

        // On the first allowed date the harvest is recorded.
        var harvest = await app.HarvestAsync(_world.CoopFarmerKey, plot, 50m, "2026-04-04");
        Assert.Equal(50m, harvest.GetProperty("remainingKg").GetDecimal());
    }

    [Fact]
    public async Task Harvest_BeforeThePesticideWasApplied_IsAllowed()
    {
        var plot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId);
        await TeaTraceApp.Created(await app.Client(_world.CoopFarmerKey).PostAsJsonAsync($"/api/plots/{plot}/inputs", Pesticide("2026-03-25", 10)));
        await app.HarvestAsync(_world.CoopFarmerKey, plot, 20m, "2026-03-24");
    }

    [Fact]
    public async Task Harvest_CorrectedPesticideRecord_StopsCounting()
    {
        var plot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId);
        var client = app.Client(_world.CoopFarmerKey);
        var wrong = await TeaTraceApp.Created(await client.PostAsJsonAsync($"/api/plots/{plot}/inputs", Pesticide("2026-03-30", 10)));
        var wrongId = wrong.GetProperty("id").GetString();

        var correction = Pesticide("2026-03-10", 10, wrongId);
        var corrected = await TeaTraceApp.Created(await client.PostAsJsonAsync($"/api/plots/{plot}/inputs", correction));
        Assert.Equal(wrongId, corrected.GetProperty("correctsInputId").GetString());

        await app.HarvestAsync(_world.CoopFarmerKey, plot, 30m, "2026-04-02");
        var inputs = await TeaTraceApp.Expect(await client.GetAsync($"/api/plots/{plot}/inputs"), HttpStatusCode.OK);
        Assert.Equal(corrected.GetProperty("id").GetString(), inputs.EnumerateArray().Single(i => i.GetProperty("id").GetString() == wrongId).GetProperty("correctedByInputId").GetString());

        // A record is corrected once; the correction is what gets corrected next.
        await TeaTraceApp.Problem(await client.PostAsJsonAsync($"/api/plots/{plot}/inputs", Pesticide("2026-03-11", 10, wrongId)), HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("{\"plotId\":\"P\",\"pickedOn\":\"2026-04-02\",\"pluckingStandard\":\"bud1leaf\",\"freshLeafKg\":-3}", "freshLeafKg")]
    [InlineData("{\"plotId\":\"P\",\"pickedOn\":\"2026-04-02\",\"pluckingStandard\":\"bud1leaf\",\"freshLeafKg\":1.2345}", "freshLeafKg")]
    [InlineData("{\"plotId\":\"P\",\"pickedOn\":\"2026-04-02\",\"pluckingStandard\":\"whole\",\"freshLeafKg\":12}", "pluckingStandard")]
    [InlineData("{\"plotId\":\"P\",\"pluckingStandard\":\"bud\",\"freshLeafKg\":12}", "pickedOn")]
    [InlineData("{\"plotId\":\"P\",\"pickedOn\":\"2099-04-02\",\"pluckingStandard\":\"bud\",\"freshLeafKg\":12}", "pickedOn")]
    [InlineData("{\"plotId\":\"P\",\"pickedOn\":\"04/02/2026\",\"pluckingStandard\":\"bud\",\"freshLeafKg\":12}", "$.pickedOn")]
    [InlineData("{\"plotId\":\"P\",\"pickedOn\":\"2026-04-02\",\"pluckingStandard\":\"bud\",\"freshLeafKg\":\"twelve\"}", "$.freshLeafKg")]
    public async Task Harvest_InvalidFields_Is400WithFieldAndWritesNothing(string json, string field)
    {
        var plot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId);
        var before = app.Snapshot();

        var response = await app.Client(_world.CoopFarmerKey).PostAsync("/api/harvests",
            new StringContent(json.Replace("\"P\"", $"\"{plot}\"", StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"));

        var problem = await TeaTraceApp.Problem(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task Harvest_OnAnotherOrganisationsPlot_Is403AndWritesNothing()
    {
        var plot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId);
        var before = app.Snapshot();
        var response = await app.Client(_world.FarmFarmerKey).PostAsJsonAsync("/api/harvests", new { plotId = plot, pickedOn = Scenario.Day, pluckingStandard = "bud", freshLeafKg = 5 });
        await TeaTraceApp.Problem(response, HttpStatusCode.Forbidden);
        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task Harvest_UnknownPlot_Is404()
    {
        var response = await app.Client(_world.CoopFarmerKey).PostAsJsonAsync("/api/harvests", new { plotId = "plt_nope", pickedOn = Scenario.Day, pluckingStandard = "bud", freshLeafKg = 5 });
        var problem = await TeaTraceApp.Problem(response, HttpStatusCode.NotFound);
        Assert.Contains("plt_nope", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Harvest_ReadableByIdOrCode_ByProcessorsButNotOtherFarmers()
    {
        var plot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId);
        var harvest = await app.HarvestAsync(_world.CoopFarmerKey, plot, 12.345m);
        var code = harvest.GetProperty("code").GetString()!;
        Assert.Matches("^H-[0-9A-Z]{8}$", code);

        var byCode = await TeaTraceApp.Expect(await app.Client(_world.ProcessorKey).GetAsync($"/api/harvests/{code}"), HttpStatusCode.OK);
        Assert.Equal(harvest.GetProperty("id").GetString(), byCode.GetProperty("id").GetString());
        Assert.Equal(12.345m, byCode.GetProperty("freshLeafKg").GetDecimal());
        await TeaTraceApp.Problem(await app.Client(_world.FarmFarmerKey).GetAsync($"/api/harvests/{code}"), HttpStatusCode.Forbidden);
    }

    private static object Pesticide(string appliedOn, int? days, string? correctsInputId = null) => new
    {
        kind = "pesticide",
        product = "0.3% 苦参碱水剂",
        activeIngredient = "matrine",
        source = "英德市农资门市",
        dose = 75,
        doseUnit = "mL/mu",
        method = "spray",
        appliedOn,
        preHarvestIntervalDays = days,
        correctsInputId,
    };
}
