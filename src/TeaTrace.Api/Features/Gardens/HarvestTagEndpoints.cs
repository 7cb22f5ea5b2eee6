using System.Globalization;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Errors;

namespace TeaTrace.Api.Features.Gardens;

/// <summary>
/// A leaf basket's tag: a QR code of {PublicBaseUrl}/h/{code}, which opens the harvest in the processors' station
/// page, and a printable tag sheet. The QR image follows the harvest's own access rule; the sheet is public and shows
/// only the code, the picking date, the town, the cultivar and the GI status — not the plot's name or the weight.
/// </summary>
internal static class HarvestTagEndpoints
{
    public static IEndpointRouteBuilder MapHarvestTags(this IEndpointRouteBuilder app)
    {
        foreach (var format in new[] { "png", "svg" })
        {
            app.MapGet($"/api/harvests/{{id}}/qr.{format}", (string id, int? size, HttpContext http, HarvestStore harvests) => Qr(id, size, format, http, harvests))
                .WithTags("Field pages")
                .WithSummary($"A harvest's tag as a QR code ({format.ToUpperInvariant()}): {{PublicBaseUrl}}/h/{{code}}")
                .Allow(GardenAccess.HarvestReaders, GardenAccess.HarvestReaderRoles)
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status404NotFound);
        }

        app.MapGet("/h/{code}", (string code) => TypedResults.Redirect($"/station/?h={Uri.EscapeDataString(code)}"))
            .WithTags("Field pages").WithSummary("A harvest tag's link: opens the harvest in the station page").Public();
        app.MapGet("/h/{code}/tag", Sheet)
            .WithTags("Field pages").WithSummary("Printable tag for a leaf basket: the code in large type, the date, the town, the cultivar and the QR")
            .Produces<string>(StatusCodes.Status200OK, "text/html").Public().ProducesProblem(StatusCodes.Status404NotFound)
            .RequireRateLimiting(RateLimitOptions.PublicPolicy);
        return app;
    }

    private static IResult Qr(string id, int? size, string format, HttpContext http, HarvestStore harvests)
    {
        var harvest = harvests.Find(id);
        return harvest is null ? Refusal.NotFound(Noun.Harvest, id).ToProblem()
            : GardenAccess.CanReadHarvest(Caller.From(http.User), harvest.OrgId) ? TagPage.Qr(TagPage.HarvestLink(http, harvest.Code), size, format)
            : CommonRefusals.OtherOrganisations(Noun.Harvest).ToProblem();
    }

    private static IResult Sheet(string code, HttpContext http, HarvestStore harvests)
    {
        var harvest = harvests.Find(code);
        if (harvest is null)
        {
            return Refusal.NotFound(Noun.Harvest, code).ToProblem();
        }

        return TagPage.Render(http, harvest.Code, TagPage.HarvestLink(http, harvest.Code), new("Fresh leaf", "鲜叶"),
        [
            harvest.PickedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            $"{harvest.Town} · {harvest.Cultivar}",
            harvest.GiEligible ? "地理标志茶园 · GI garden" : "非地理标志茶园 · not a GI garden",
        ]);
    }
}
