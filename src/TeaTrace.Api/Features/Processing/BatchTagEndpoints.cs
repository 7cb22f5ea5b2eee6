using System.Globalization;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Errors;
using TeaTrace.Api.Features.Orgs;

namespace TeaTrace.Api.Features.Processing;

/// <summary>
/// A batch trolley's tag: a QR code of {PublicBaseUrl}/b/{code}, which opens the batch in the processors' station page,
/// and a printable tag sheet. The QR image follows the batch's own access rule; the sheet is public and shows only the
/// code, the start, the factory (organisations are public) and the GI claim — not the weight of leaf.
/// </summary>
internal static class BatchTagEndpoints
{
    public static IEndpointRouteBuilder MapBatchTags(this IEndpointRouteBuilder app)
    {
        foreach (var format in new[] { "png", "svg" })
        {
            app.MapGet($"/api/batches/{{id}}/qr.{format}", (string id, int? size, HttpContext http, BatchStore batches) => Qr(id, size, format, http, batches))
                .WithTags("Field pages")
                .WithSummary($"A batch's tag as a QR code ({format.ToUpperInvariant()}): {{PublicBaseUrl}}/b/{{code}}")
                .Allow(BatchAccess.Readers, BatchAccess.ReaderRoles)
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status404NotFound);
        }

        app.MapGet("/b/{code}", (string code) => TypedResults.Redirect($"/station/?b={Uri.EscapeDataString(code)}"))
            .WithTags("Field pages").WithSummary("A batch tag's link: opens the batch in the station page").Public();
        app.MapGet("/b/{code}/tag", Sheet)
            .WithTags("Field pages").WithSummary("Printable tag for a batch trolley: the code in large type, the start, the factory and the QR")
            .Produces<string>(StatusCodes.Status200OK, "text/html").Public().ProducesProblem(StatusCodes.Status404NotFound)
            .RequireRateLimiting(RateLimitOptions.PublicPolicy);
        return app;
    }

    private static IResult Qr(string id, int? size, string format, HttpContext http, BatchStore batches)
    {
        var batch = batches.Find(id);
        return batch is null ? Refusal.NotFound(Noun.Batch, id).ToProblem()
            : BatchAccess.CanRead(Caller.From(http.User), batch.FactoryOrgId) ? TagPage.Qr(TagPage.BatchLink(http, batch.Code), size, format)
            : ProcessingRefusals.OtherFactory().ToProblem();
    }

    private static IResult Sheet(string code, HttpContext http, BatchStore batches, OrgStore orgs)
    {
        var batch = batches.Find(code);
        if (batch is null)
        {
            return Refusal.NotFound(Noun.Batch, code).ToProblem();
        }

        return TagPage.Render(http, batch.Code, TagPage.BatchLink(http, batch.Code), new("Batch", "加工批次"),
        [
            batch.StartedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            orgs.Find(batch.FactoryOrgId)?.Name ?? "",
            batch.ClaimsGi ? "英德红茶地理标志 · Yingde black tea GI" : "不标注地理标志 · no GI claim",
        ]);
    }
}
