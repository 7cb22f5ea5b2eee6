using System.Net;
using System.Text;

namespace TeaTrace.Api.Tests;

public sealed class ErrorTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>
{
    [Theory]
    [InlineData("{\"name\": \"x\", ", "application/json", HttpStatusCode.BadRequest)] // cut off half-way
    [InlineData("not json", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("[1, 2]", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("name=x&kind=farm", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("", "application/json", HttpStatusCode.BadRequest)]
    public async Task MalformedBody_IsProblemAndWritesNothing(string body, string contentType, HttpStatusCode status)
    {
        var before = app.Snapshot();
        var response = await app.Admin().PostAsync("/api/orgs", new StringContent(body, Encoding.UTF8, contentType));
        await TeaTraceApp.Problem(response, status);
        Assert.Equal(before, app.Snapshot());
    }

    [Fact]
    public async Task UnknownRoute_IsProblem404()
    {
        await TeaTraceApp.Problem(await app.Client().GetAsync("/api/teapots"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WrongMethod_IsProblem405()
    {
        await TeaTraceApp.Problem(await app.Admin().PutAsync("/api/orgs", new StringContent("{}", Encoding.UTF8, "application/json")), HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Health_AnswersWhenTheDatabaseDoes()
    {
        var health = await TeaTraceApp.Expect(await app.Client().GetAsync("/health"), HttpStatusCode.OK);
        Assert.Equal("ok", health.GetProperty("status").GetString());
    }
}

public sealed class HtmlClientErrorTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>
{
    [Fact]
    public async Task Refusals_ToAClientThatAcceptsOnlyHtml_AreStillProblems()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Accept.ParseAdd("text/html");
        await TeaTraceApp.Problem(await app.Client().SendAsync(request), HttpStatusCode.Unauthorized);
    }
}
