using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TeaTrace.Api.Common;
using TeaTrace.Api.Features.Residues;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Tests;

/// <summary>Records residue tests for tests that need one, and makes testing laboratories with their keys.</summary>
public static class ResidueScenario
{
    public static async Task<(string OrgId, string Key)> LabAsync(this TeaTraceApp app, string name = "广东省茶叶质量检测中心")
    {
        var admin = app.Admin();
        var org = await TeaTraceApp.CreateOrgAsync(admin, name, "lab", "广州市天河区");
        return (org, await TeaTraceApp.CreateKeyAsync(admin, org, "lab"));
    }

    public static object Lab(string plotId, params object[] results) =>
        new { plotId, sampledOn = Scenario.Day, method = "lab", reportNo = "GDTQ-2026-0417", results };

    public static object Rapid(string plotId, double inhibitionPct, bool? pass = null, string sampledOn = Scenario.Day) =>
        new { plotId, sampledOn, method = "rapid", results = new[] { new { @class = "organophosphate-carbamate", inhibitionPct, pass } } };

    public static async Task<JsonElement> ResidueTestAsync(this TeaTraceApp app, string key, object body) =>
        await TeaTraceApp.Created(await app.Client(key).PostAsJsonAsync("/api/residue-tests", body));
}

public sealed class ResidueTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>, IAsyncLifetime
{
    private World _world = null!;
    private string _labId = "";
    private string _labKey = "";
    private string _plot = "";

    public async Task InitializeAsync()
    {
        _world = await app.CreateWorldAsync();
        (_labId, _labKey) = await app.LabAsync();
        _plot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task LabTest_WithinLimits_PassesAndIsALedgerEntry()
    {
        var before = app.LedgerSize();
        var response = await app.Client(_labKey).PostAsJsonAsync("/api/residue-tests", ResidueScenario.Lab(_plot,
            new { pesticide = "联苯菊酯", mgPerKg = 5.0 }, // at the limit passes
            new { pesticide = "imidacloprid", notDetected = true },
            new { pesticide = "Talstar 天王星", activeIngredient = "Bifenthrin", mgPerKg = 0.4 }));
        var test = await TeaTraceApp.Created(response);

        Assert.Equal("pass", test.GetProperty("verdict").GetString());
        Assert.Equal("entrusted-test", test.GetProperty("kind").GetString());
        Assert.Equal(_labId, test.GetProperty("recordedByOrgId").GetString());
        Assert.Equal(0, test.GetProperty("exceedances").GetArrayLength());
        Assert.Equal(5m, test.GetProperty("results")[0].GetProperty("limitMgPerKg").GetDecimal());
        Assert.Equal(0.5m, test.GetProperty("results")[1].GetProperty("limitMgPerKg").GetDecimal());
        Assert.Equal(5m, test.GetProperty("results")[2].GetProperty("limitMgPerKg").GetDecimal()); // found by its active ingredient
        Assert.Contains("GB 2763-2026", test.GetProperty("limitsSource").GetString(), StringComparison.Ordinal);

        var id = test.GetProperty("id").GetString()!;
        Assert.Equal(before + 1, app.LedgerSize());
        var entry = LedgerTests.Entries(app).Last();
        Assert.Equal(EntryTypes.ResidueTestRecorded, entry.Type);
        Assert.Equal(id, entry.SubjectId);
        using var body = JsonDocument.Parse(entry.Bytes);
        Assert.Equal("pass", body.RootElement.GetProperty("data").GetProperty("verdict").GetString());
        Assert.Equal("GDTQ-2026-0417", body.RootElement.GetProperty("data").GetProperty("reportNo").GetString());
        Assert.False(body.RootElement.TryGetProperty("sealed", out _)); // all of it is public

        var read = await TeaTraceApp.Expect(await app.Client(_world.CoopFarmerKey).GetAsync(response.Headers.Location), HttpStatusCode.OK);
        Assert.Equal("pass", read.GetProperty("verdict").GetString());
        Assert.Equal(3, read.GetProperty("results").GetArrayLength());
        var audit = await TeaTraceApp.Expect(await app.Client(_world.RegulatorKey).GetAsync("/api/ledger/audit"), HttpStatusCode.OK);
        Assert.True(audit.GetProperty("ok").GetBoolean(), audit.GetRawText());
    }

    [Fact]
    public async Task LabTest_AboveALimit_FailsAndListsTheExceedance()
    {
        var test = await app.ResidueTestAsync(_labKey, ResidueScenario.Lab(_plot,
            new { pesticide = "吡虫啉", mgPerKg = 0.8 },
            new { pesticide = "bifenthrin", mgPerKg = 1.2 }));

        Assert.Equal("fail", test.GetProperty("verdict").GetString());
        var exceedance = Assert.Single(test.GetProperty("exceedances").EnumerateArray());
        Assert.Equal("吡虫啉", exceedance.GetProperty("pesticide").GetString());
        Assert.Equal(0.8m, exceedance.GetProperty("mgPerKg").GetDecimal());
        Assert.Equal(0.5m, exceedance.GetProperty("limitMgPerKg").GetDecimal());
        Assert.False(test.GetProperty("results")[0].GetProperty("pass").GetBoolean());
        Assert.True(test.GetProperty("results")[1].GetProperty("pass").GetBoolean());
    }

    [Theory]
    [InlineData("三氯杀螨醇")] // dicofol: banned for residue tests
    [InlineData("fenvalerate")]
    [InlineData("甲胺磷")] // methamidophos: on the highly toxic list farm inputs are checked against
    public async Task LabTest_ABannedPesticideDetected_FailsAtAnyAmount(string banned)
    {
        var test = await app.ResidueTestAsync(_labKey, ResidueScenario.Lab(_plot, new { pesticide = banned, mgPerKg = 0.001 }));
        Assert.Equal("fail", test.GetProperty("verdict").GetString());
        var exceedance = Assert.Single(test.GetProperty("exceedances").EnumerateArray());
        Assert.Equal(0m, exceedance.GetProperty("limitMgPerKg").GetDecimal());
        Assert.True(test.GetProperty("results")[0].GetProperty("banned").GetBoolean());

        var clean = await app.ResidueTestAsync(_labKey, ResidueScenario.Lab(_plot, new { pesticide = banned, notDetected = true }));
        Assert.Equal("pass", clean.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task LabTest_APesticideWithNoConfiguredLimit_Is422AndWritesNothing()
    {
        var before = app.Snapshot();
        var response = await app.Client(_labKey).PostAsJsonAsync("/api/residue-tests", ResidueScenario.Lab(_plot,
            new { pesticide = "bifenthrin", mgPerKg = 0.1 },
            new { pesticide = "苦参碱", activeIngredient = "matrine", notDetected = true }));
        var problem = await TeaTraceApp.Problem(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("苦参碱", problem.GetProperty("pesticide").GetString());
        Assert.Contains("TeaTrace:Residues:Limits", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task RapidTest_JudgedAgainstTheThreshold_ByTheServer()
    {
        var negative = await app.ResidueTestAsync(_world.CoopFarmerKey, ResidueScenario.Rapid(_plot, 20.5, pass: true));
        Assert.Equal("pass", negative.GetProperty("verdict").GetString());
        Assert.Equal("self-test", negative.GetProperty("kind").GetString());
        Assert.Equal("organophosphate-carbamate", negative.GetProperty("results")[0].GetProperty("class").GetString());

        var positive = await app.ResidueTestAsync(_world.CoopFarmerKey, ResidueScenario.Rapid(_plot, 50.0));
        Assert.Equal("fail", positive.GetProperty("verdict").GetString());
        Assert.False(positive.GetProperty("results")[0].GetProperty("pass").GetBoolean());

        var before = app.Snapshot();
        var disagrees = await TeaTraceApp.Problem(await app.Client(_world.CoopFarmerKey).PostAsJsonAsync("/api/residue-tests",
            ResidueScenario.Rapid(_plot, 72.0, pass: true)), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(50.0, disagrees.GetProperty("positiveFromPct").GetDouble());
        var unknown = await TeaTraceApp.Problem(await app.Client(_world.CoopFarmerKey).PostAsJsonAsync("/api/residue-tests", new
        {
            plotId = _plot,
            sampledOn = Scenario.Day,
            method = "rapid",
            results = new[] { new { @class = "pyrethroid", inhibitionPct = 10.0 } },
        }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("pyrethroid", unknown.GetProperty("class").GetString());
        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task ResultsOfTheWrongShape_Are400AndWriteNothing()
    {
        var before = app.Snapshot();
        var client = app.Client(_labKey);
        async Task Bad(object body, string field)
        {
            var problem = await TeaTraceApp.Problem(await client.PostAsJsonAsync("/api/residue-tests", body), HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        }

        await Bad(ResidueScenario.Lab(_plot, new { pesticide = "bifenthrin", mgPerKg = 0.1, notDetected = true }), "results[0].mgPerKg");
        await Bad(ResidueScenario.Lab(_plot, new { pesticide = "bifenthrin" }), "results[0].mgPerKg");
        await Bad(ResidueScenario.Lab(_plot, new { activeIngredient = "bifenthrin", mgPerKg = 0.1 }), "results[0].pesticide");
        await Bad(ResidueScenario.Lab(_plot, new { @class = "organophosphate-carbamate", inhibitionPct = 10.0 }), "results[0].class");
        await Bad(new { plotId = _plot, sampledOn = Scenario.Day, method = "lab", results = new[] { new { pesticide = "bifenthrin", mgPerKg = 0.1 } } }, "reportNo");
        await Bad(new { plotId = _plot, sampledOn = Scenario.Day, method = "lab", reportNo = "R1", results = Array.Empty<object>() }, "results");
        await TeaTraceApp.Problem(await app.Client(_world.CoopFarmerKey).PostAsJsonAsync("/api/residue-tests", new
        {
            plotId = _plot,
            sampledOn = Scenario.Day,
            method = "rapid",
            results = new[] { new { pesticide = "bifenthrin", mgPerKg = 0.1 } },
        }), HttpStatusCode.BadRequest);
        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task WhoMayRecord_LabAnyPlot_FarmerItsOwn_OthersRefused()
    {
        // A laboratory is entrusted: it may test a plot of any organisation, but only as a laboratory test.
        var farmPlot = await app.PlotAsync(_world.FarmFarmerKey, _world.FarmId);
        await app.ResidueTestAsync(_labKey, ResidueScenario.Lab(farmPlot, new { pesticide = "bifenthrin", notDetected = true }));

        var before = app.Snapshot();
        await TeaTraceApp.Problem(await app.Client(_labKey).PostAsJsonAsync("/api/residue-tests", ResidueScenario.Rapid(farmPlot, 10)), HttpStatusCode.UnprocessableEntity);
        var other = await TeaTraceApp.Problem(await app.Client(_world.CoopFarmerKey).PostAsJsonAsync("/api/residue-tests", ResidueScenario.Rapid(farmPlot, 10)), HttpStatusCode.Forbidden);
        Assert.Contains("own organisation", other.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await TeaTraceApp.Problem(await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/residue-tests", ResidueScenario.Rapid(farmPlot, 10)), HttpStatusCode.Forbidden);
        await TeaTraceApp.Problem(await app.Client(_world.RegulatorKey).PostAsJsonAsync("/api/residue-tests", ResidueScenario.Rapid(farmPlot, 10)), HttpStatusCode.Forbidden);
        await TeaTraceApp.Problem(await app.Client(_labKey).PostAsJsonAsync("/api/residue-tests", ResidueScenario.Lab("plt_nowhere", new { pesticide = "bifenthrin", notDetected = true })), HttpStatusCode.NotFound);
        Assert.Equal(before, app.Snapshot());

        // A farmer's own laboratory report is a self-test; its report number may be left out.
        var own = await app.ResidueTestAsync(_world.FarmFarmerKey, new { plotId = farmPlot, sampledOn = Scenario.Day, method = "lab", results = new[] { new { pesticide = "bifenthrin", mgPerKg = 0.2 } } });
        Assert.Equal("self-test", own.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Reading_TheRecordingLab_ThePlotsOrganisation_RegulatorAndAdmin()
    {
        var test = await app.ResidueTestAsync(_labKey, ResidueScenario.Lab(_plot, new { pesticide = "bifenthrin", notDetected = true }));
        var path = $"/api/residue-tests/{test.GetProperty("id").GetString()}";
        var (_, otherLabKey) = await app.LabAsync("清远市农产品质量检测站");

        foreach (var key in new[] { _labKey, _world.CoopFarmerKey, _world.RegulatorKey, app.AdminApiKey })
        {
            await TeaTraceApp.Expect(await app.Client(key).GetAsync(path), HttpStatusCode.OK);
        }

        await TeaTraceApp.Problem(await app.Client(otherLabKey).GetAsync(path), HttpStatusCode.Forbidden);
        await TeaTraceApp.Problem(await app.Client(_world.FarmFarmerKey).GetAsync(path), HttpStatusCode.Forbidden);
        await TeaTraceApp.Problem(await app.Client(_world.CoopFarmerKey).GetAsync("/api/residue-tests/rt_unknown"), HttpStatusCode.NotFound);
        await TeaTraceApp.Problem(await app.Client(_world.FarmFarmerKey).GetAsync($"/api/plots/{_plot}/residue-tests"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Plot_ShowsItsTests_NewestFirst_FailedOnesIncluded()
    {
        var plot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId);
        var older = await app.ResidueTestAsync(_world.CoopFarmerKey, ResidueScenario.Rapid(plot, 12, sampledOn: "2026-03-30"));
        var failed = await app.ResidueTestAsync(_labKey, ResidueScenario.Lab(plot, new { pesticide = "imidacloprid", mgPerKg = 2.0 }));

        var tests = await TeaTraceApp.Expect(await app.Client(_world.CoopFarmerKey).GetAsync($"/api/plots/{plot}/residue-tests"), HttpStatusCode.OK);
        Assert.Equal([failed.GetProperty("id").GetString(), older.GetProperty("id").GetString()], tests.EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        Assert.Equal("fail", tests[0].GetProperty("verdict").GetString());
        Assert.Equal(2.0m, tests[0].GetProperty("exceedances")[0].GetProperty("mgPerKg").GetDecimal());
        await TeaTraceApp.Expect(await app.Client(_world.RegulatorKey).GetAsync($"/api/plots/{plot}/residue-tests"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task HarvestAndLot_MustBeTheTestedPlotsAndExist()
    {
        var harvest = (await app.HarvestAsync(_world.CoopFarmerKey, _plot, 20m)).GetProperty("id").GetString()!;
        var otherPlot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId);
        var before = app.Snapshot();
        var another = await TeaTraceApp.Problem(await app.Client(_labKey).PostAsJsonAsync("/api/residue-tests", new
        {
            plotId = otherPlot,
            harvestId = harvest,
            sampledOn = Scenario.Day,
            method = "lab",
            reportNo = "R-1",
            results = new[] { new { pesticide = "bifenthrin", notDetected = true } },
        }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(harvest, another.GetProperty("harvestId").GetString());
        await TeaTraceApp.Problem(await app.Client(_labKey).PostAsJsonAsync("/api/residue-tests", new
        {
            plotId = _plot,
            harvestId = "hv_unknown",
            sampledOn = Scenario.Day,
            method = "lab",
            reportNo = "R-1",
            results = new[] { new { pesticide = "bifenthrin", notDetected = true } },
        }), HttpStatusCode.NotFound);
        await TeaTraceApp.Problem(await app.Client(_labKey).PostAsJsonAsync("/api/residue-tests", new
        {
            plotId = _plot,
            sampledOn = Scenario.Day,
            method = "lab",
            reportNo = "R-1",
            lotId = "lot_unknown",
            results = new[] { new { pesticide = "bifenthrin", notDetected = true } },
        }), HttpStatusCode.NotFound);
        Assert.Equal(before, app.Snapshot());

        var batch = await app.CompletedBatchAsync(_world);
        var lot = (await TeaTraceApp.Created(await app.Client(_world.ProcessorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(batch, unitCount: 2)))).GetProperty("id").GetString();
        var spot = await app.ResidueTestAsync(_labKey, new
        {
            plotId = _plot,
            harvestId = harvest,
            sampledOn = Scenario.Day,
            method = "lab",
            reportNo = "R-2",
            lotId = lot,
            planLineId = "plan-2026-q2/line-7",
            results = new[] { new { pesticide = "bifenthrin", notDetected = true } },
        });
        Assert.Equal(harvest, spot.GetProperty("harvestId").GetString());
        Assert.Equal(lot, spot.GetProperty("lotId").GetString());
        Assert.Equal("plan-2026-q2/line-7", spot.GetProperty("planLineId").GetString());
    }

    // ---- the basis a leaf sale checks, run inside a real write of the ledger writer

    private async Task<Refusal?> BasisAsync(string plotId, string basis, params string[] testIds)
    {
        var writer = app.Services.GetRequiredService<ILedgerWriter>();
        var options = app.Services.GetRequiredService<IOptions<ResidueOptions>>().Value;
        var before = app.Snapshot();
        var result = await writer.WriteAsync(tx => ResidueBasis.Check(tx, options, plotId, new DateOnly(2026, 4, 2), basis, testIds) is { } refusal
            ? refusal : (WriteResult<bool>)true);
        Assert.Equal(before, app.Snapshot()); // a check reads; it never writes
        return result.Refusal;
    }

    private async Task SprayAsync(string plotId, string product, string? activeIngredient, string appliedOn)
    {
        await TeaTraceApp.Created(await app.Client(_world.CoopFarmerKey).PostAsJsonAsync($"/api/plots/{plotId}/inputs", new
        {
            kind = "pesticide",
            product,
            activeIngredient,
            source = "英红镇农资店",
            dose = 20,
            doseUnit = "mL/亩",
            method = "喷雾",
            appliedOn,
            preHarvestIntervalDays = 7,
        }));
    }

    [Fact]
    public async Task Basis_ARapidTestDoesNotCoverBifenthrin_ALabTestDoes()
    {
        var plot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId);
        await SprayAsync(plot, "2.5%联苯菊酯乳油", "联苯菊酯", "2026-03-20");
        await SprayAsync(plot, "毒死蜱乳油", "chlorpyrifos", "2026-03-10");
        var rapid = (await app.ResidueTestAsync(_world.CoopFarmerKey, ResidueScenario.Rapid(plot, 15))).GetProperty("id").GetString()!;

        var refusal = await BasisAsync(plot, "self-test", rapid);
        Assert.NotNull(refusal);
        Assert.Equal(422, refusal.Status);
        Assert.Equal(["联苯菊酯"], (IReadOnlyList<string>)refusal.Extensions!["uncovered"]!);
        Assert.Equal(["联苯菊酯"], (IReadOnlyList<string>)refusal.Extensions!["needLab"]!);
        Assert.Contains("laboratory test is needed", refusal.Detail.En, StringComparison.Ordinal);
        Assert.Contains(plot, refusal.Detail.En, StringComparison.Ordinal);

        // A laboratory's test naming bifenthrin in English covers the input recorded in Chinese; with the rapid test for chlorpyrifos, all is covered.
        var lab = (await app.ResidueTestAsync(_labKey, ResidueScenario.Lab(plot, new { pesticide = "bifenthrin", mgPerKg = 0.3 }))).GetProperty("id").GetString()!;
        Assert.Null(await BasisAsync(plot, "self-test", rapid, lab));
        Assert.Equal(["chlorpyrifos"], (IReadOnlyList<string>)(await BasisAsync(plot, "self-test", lab))!.Extensions!["uncovered"]!);

        // An entrusted-test basis counts only laboratories' tests; control needs none.
        Assert.Equal(["chlorpyrifos"], (IReadOnlyList<string>)(await BasisAsync(plot, "entrusted-test", rapid, lab))!.Extensions!["uncovered"]!);
        Assert.Contains("by a laboratory", (await BasisAsync(plot, "entrusted-test", rapid))!.Detail.En, StringComparison.Ordinal);
        Assert.Null(await BasisAsync(plot, "control"));
    }

    [Fact]
    public async Task Basis_ALatestFailedTest_RefusesEveryBasis_UntilALaterTestPasses()
    {
        var plot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId);
        var other = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId);
        var otherPass = (await app.ResidueTestAsync(_world.CoopFarmerKey, ResidueScenario.Rapid(other, 5))).GetProperty("id").GetString()!;
        Assert.Null(await BasisAsync(plot, "control"));
        var noTest = await BasisAsync(plot, "self-test", otherPass); // another plot's test does not count for this one
        Assert.Equal("No passing residue test", noTest!.Title.En);
        Assert.Equal("No passing residue test", (await BasisAsync(plot, "self-test"))!.Title.En);

        var failed = (await app.ResidueTestAsync(_labKey, ResidueScenario.Lab(plot, new { pesticide = "acetamiprid", mgPerKg = 12.0 }))).GetProperty("id").GetString()!;
        foreach (var basis in new[] { "control", "self-test", "entrusted-test" })
        {
            var refusal = await BasisAsync(plot, basis, failed);
            Assert.Equal(failed, refusal!.Extensions!["testId"]);
        }

        var passed = (await app.ResidueTestAsync(_world.CoopFarmerKey, ResidueScenario.Rapid(plot, 8))).GetProperty("id").GetString()!;
        Assert.Null(await BasisAsync(plot, "control"));
        Assert.Null(await BasisAsync(plot, "self-test", passed)); // nothing was sprayed, so a passing test is enough
    }

    [Fact]
    public async Task Basis_ATestSampledBeforeTheSpraying_DoesNotCoverIt()
    {
        var plot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId);
        var early = (await app.ResidueTestAsync(_labKey, new { plotId = plot, sampledOn = "2026-03-15", method = "lab", reportNo = "R-9", results = new[] { new { pesticide = "imidacloprid", notDetected = true } } }))
            .GetProperty("id").GetString()!;
        await SprayAsync(plot, "吡虫啉可湿性粉剂", "吡虫啉", "2026-03-18");
        Assert.Equal(["吡虫啉"], (IReadOnlyList<string>)(await BasisAsync(plot, "entrusted-test", early))!.Extensions!["uncovered"]!);
    }
}

/// <summary>The pure rules: names, judging, and what a test covers.</summary>
public sealed class ResidueRuleTests
{
    private static readonly ResidueOptions Options = new();

    [Theory]
    [InlineData("联苯菊酯", "bifenthrin")]
    [InlineData(" BIFENTHRIN ", "bifenthrin")]
    [InlineData("高效氯氟氰菊酯", "lambda-cyhalothrin")]
    [InlineData("毒死蜱", "chlorpyrifos")]
    [InlineData("苦参碱", "苦参碱")]
    public void Canonical_NamesThePesticideInTheLimitsOrClasses(string name, string canonical) =>
        Assert.Equal(canonical, ResidueRules.Canonical(Options, name));

    [Fact]
    public void Canonical_MatchesWholeNamesOnly()
    {
        Assert.NotEqual(ResidueRules.Canonical(Options, "乐果"), ResidueRules.Canonical(Options, "氧乐果"));
        Assert.Null(ResidueRules.LimitFor(Options, "联苯"));
    }

    [Fact]
    public void JudgeLab_AtTheLimitPasses_AboveFails_UnconfiguredIsNamed()
    {
        var (lines, unconfigured) = ResidueRules.JudgeLab(Options, [], [new("bifenthrin", null, 5m, false), new("bifenthrin", null, 5.01m, false)]);
        Assert.Null(unconfigured);
        Assert.Equal([true, false], lines.Select(l => l.Pass));
        Assert.Equal("matrine", ResidueRules.JudgeLab(Options, [], [new("bifenthrin", null, 1m, false), new("matrine", null, null, true)]).Unconfigured);
        Assert.False(ResidueRules.JudgeLab(Options, ["dicofol"], [new("Dicofol", null, 0.01m, false)]).Lines[0].Pass);
    }

    [Fact]
    public void Uncovered_RapidClassCoversOnlyItsIngredients_LabCoversWhatItNames()
    {
        var applied = new[] { new AppliedPesticide("i1", "联苯菊酯", new DateOnly(2026, 3, 20)), new AppliedPesticide("i2", "毒死蜱", new DateOnly(2026, 3, 20)) };
        var rapid = new TestCoverage("t1", new DateOnly(2026, 3, 30), [], ["organophosphate-carbamate"]);
        var lab = new TestCoverage("t2", new DateOnly(2026, 3, 30), ["Talstar", "Bifenthrin"], []);
        var early = new TestCoverage("t3", new DateOnly(2026, 3, 19), ["bifenthrin"], ["organophosphate-carbamate"]);

        Assert.Equal(["联苯菊酯"], ResidueRules.Uncovered(Options, applied, [rapid]).Select(u => u.Name));
        Assert.Equal(["毒死蜱"], ResidueRules.Uncovered(Options, applied, [lab]).Select(u => u.Name));
        Assert.Empty(ResidueRules.Uncovered(Options, applied, [rapid, lab]));
        Assert.Equal(2, ResidueRules.Uncovered(Options, applied, [early]).Count);
        Assert.False(ResidueRules.AnyClassCovers(Options, "联苯菊酯"));
        Assert.True(ResidueRules.AnyClassCovers(Options, "Chlorpyrifos"));
    }

    [Fact]
    public void Defaults_AreValid_AndAConfusedTableIsNot()
    {
        Assert.True(new ResidueOptionsCheck().Validate(null, new ResidueOptions()).Succeeded);
        var confused = new ResidueOptions
        {
            Limits = [new() { Pesticide = "bifenthrin", Zh = "联苯菊酯", MgPerKg = 5m }, new() { Pesticide = "talstar", Zh = "联苯菊酯", MgPerKg = 5m }],
        };
        Assert.Contains("联苯菊酯", new ResidueOptionsCheck().Validate(null, confused).FailureMessage, StringComparison.Ordinal);
    }
}
