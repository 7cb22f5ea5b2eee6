using System.Net;
using System.Net.Http.Json;

namespace TeaTrace.Api.Tests;

/// <summary>Problem responses in the reader's language: Chinese for zh*, English otherwise; the machine-readable parts unchanged.</summary>
public sealed class LanguageTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>, IAsyncLifetime
{
    private World _world = null!;
    private string _plot = "";

    public async Task InitializeAsync()
    {
        _world = await app.CreateWorldAsync();
        _plot = await app.PlotAsync(_world.CoopFarmerKey, _world.CoopId);
        await TeaTraceApp.Created(await app.Client(_world.CoopFarmerKey).PostAsJsonAsync($"/api/plots/{_plot}/inputs", new
        {
            kind = "pesticide",
            product = "苦参碱",
            source = "农资店",
            dose = 0.5,
            doseUnit = "L/亩",
            method = "喷雾",
            appliedOn = "2026-03-18",
            preHarvestIntervalDays = 7,
        }));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<HttpResponseMessage> HarvestInsideTheIntervalAsync(string? language)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/harvests")
        {
            Content = JsonContent.Create(new { plotId = _plot, pickedOn = "2026-03-20", pluckingStandard = "bud1leaf", freshLeafKg = 5 }),
        };
        if (language is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(language);
        }

        return app.Client(_world.CoopFarmerKey).SendAsync(request);
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("zh")]
    [InlineData("zh-Hans-CN,zh;q=0.9,en;q=0.8")]
    [InlineData("en;q=0.5, zh-TW")]
    public async Task ARefusedHarvest_IsExplainedInChinese_WhenTheFarmerReadsChinese(string language)
    {
        var problem = await TeaTraceApp.Problem(await HarvestInsideTheIntervalAsync(language), HttpStatusCode.UnprocessableEntity);

        Assert.Equal("仍在安全间隔期内", problem.GetProperty("title").GetString());
        Assert.Contains("最早可采摘日期为 2026-03-25", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("2026-03-25", problem.GetProperty("firstAllowedDate").GetString());
        Assert.False(problem.TryGetProperty("tt:zh", out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("en-GB")]
    [InlineData("fr, zh;q=0.5")]
    public async Task ARefusedHarvest_IsExplainedInEnglish_OtherwiseAndByDefault(string? language)
    {
        var problem = await TeaTraceApp.Problem(await HarvestInsideTheIntervalAsync(language), HttpStatusCode.UnprocessableEntity);

        Assert.Equal("Inside a pre-harvest interval", problem.GetProperty("title").GetString());
        Assert.Contains("the first allowed harvest date is 2026-03-25", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("2026-03-25", problem.GetProperty("firstAllowedDate").GetString());
    }

    [Fact]
    public async Task ValidationErrors_KeepTheirKeys_AndSpeakChinese()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/harvests")
        {
            Content = JsonContent.Create(new { plotId = _plot, pickedOn = "2026-04-02", pluckingStandard = "bud1leaf" }),
        };
        request.Headers.AcceptLanguage.ParseAdd("zh-CN");

        var problem = await TeaTraceApp.Problem(await app.Client(_world.CoopFarmerKey).SendAsync(request), HttpStatusCode.BadRequest);

        Assert.Equal("请求中有字段不正确。", problem.GetProperty("title").GetString());
        Assert.Contains("必填", problem.GetProperty("errors").GetProperty("freshLeafKg")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StepOutOfOrder_SaysWhichStepIsNext_InChinese_WithExpectedStepUnchanged()
    {
        var harvest = await app.HarvestAsync(_world.CoopFarmerKey, _plot, 30m);
        var batch = await app.BatchAsync(_world.ProcessorKey, _world.FactoryId, true, (harvest.GetProperty("id").GetString()!, 20m));
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/batches/{batch.GetProperty("id").GetString()}/steps")
        {
            Content = JsonContent.Create(new { step = "rolling", startedAt = "2026-04-04T07:15:00+08:00", endedAt = "2026-04-04T08:35:00+08:00" }),
        };
        request.Headers.AcceptLanguage.ParseAdd("zh-CN");

        var problem = await TeaTraceApp.Problem(await app.Client(_world.ProcessorKey).SendAsync(request), HttpStatusCode.Conflict);

        Assert.Equal("withering", problem.GetProperty("expectedStep").GetString());
        Assert.Contains("下一道工序是萎凋", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingKey_IsExplainedInChinese()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.AcceptLanguage.ParseAdd("zh-CN");
        var problem = await TeaTraceApp.Problem(await app.Client().SendAsync(request), HttpStatusCode.Unauthorized);
        Assert.Contains("API 密钥", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}

public sealed class ValidationWordsTests
{
    [Theory]
    [InlineData("The FreshLeafKg field is required.", "FreshLeafKg 为必填项。")]
    [InlineData("The field Units must be between 1 and 100000.", "Units 必须在 1 到 100000 之间。")]
    [InlineData("The field Name must be a string with a minimum length of 1 and a maximum length of 100.", "Name 须为 1 到 100 个字符。")]
    [InlineData("The field Market must be a string with a maximum length of 100.", "Market 最多 100 个字符。")]
    [InlineData("PluckingStandard must be one of: bud, bud1leaf, bud2leaves, bud3leaves.", "PluckingStandard 须为以下之一：bud, bud1leaf, bud2leaves, bud3leaves。")]
    [InlineData("Something the service never says.", "Something the service never says.")]
    public void DataAnnotationMessages_HaveTheirChineseWords(string english, string chinese) =>
        Assert.Equal(chinese, TeaTrace.Api.Errors.ProblemLanguage.Translate(english));
}
