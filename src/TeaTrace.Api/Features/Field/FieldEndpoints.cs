using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Errors;
using TeaTrace.Api.Features.Gardens;
using TeaTrace.Api.Features.Processing;

namespace TeaTrace.Api.Features.Field;

/// <summary>
/// Tags for leaf baskets and batch trolleys: QR codes of {PublicBaseUrl}/h/{code} and /b/{code}, which open the
/// harvest or batch in the processors' station page, and a printable tag sheet per harvest or batch.
/// </summary>
internal static class FieldEndpoints
{
    private const string HarvestReaders = "farmer of the plot's organisation, any processor, regulator, admin";
    private const string BatchReaders = "processor of the batch's factory, any distributor, regulator, admin";

    public static IEndpointRouteBuilder MapField(this IEndpointRouteBuilder app)
    {
        var tags = app.MapGroup("/api").WithTags("Field pages");
        foreach (var format in new[] { "png", "svg" })
        {
            tags.MapGet($"/harvests/{{id}}/qr.{format}", (string id, int? size, HttpContext http, GardenStore gardens) => HarvestQr(id, size, format, http, gardens))
                .WithSummary($"A harvest's tag as a QR code ({format.ToUpperInvariant()}): {{PublicBaseUrl}}/h/{{code}}")
                .Allow(HarvestReaders, Roles.Farmer, Roles.Processor, Roles.Regulator, Roles.Admin)
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status404NotFound);
            tags.MapGet($"/batches/{{id}}/qr.{format}", (string id, int? size, HttpContext http, ProcessingStore processing) => BatchQr(id, size, format, http, processing))
                .WithSummary($"A batch's tag as a QR code ({format.ToUpperInvariant()}): {{PublicBaseUrl}}/b/{{code}}")
                .Allow(BatchReaders, Roles.Processor, Roles.Distributor, Roles.Regulator, Roles.Admin)
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status404NotFound);
        }

        app.MapGet("/h/{code}", (string code) => TypedResults.Redirect($"/station/?h={Uri.EscapeDataString(code)}"))
            .WithTags("Field pages").WithSummary("A harvest tag's link: opens the harvest in the station page").Public();
        app.MapGet("/b/{code}", (string code) => TypedResults.Redirect($"/station/?b={Uri.EscapeDataString(code)}"))
            .WithTags("Field pages").WithSummary("A batch tag's link: opens the batch in the station page").Public();
        app.MapGet("/h/{code}/tag", HarvestTag)
            .WithTags("Field pages").WithSummary("Printable tag for a leaf basket: the code in large type, the date, the plot and the QR")
            .Produces<string>(StatusCodes.Status200OK, "text/html").Public().ProducesProblem(StatusCodes.Status404NotFound)
            .RequireRateLimiting(RateLimitOptions.PublicPolicy);
        app.MapGet("/b/{code}/tag", BatchTag)
            .WithTags("Field pages").WithSummary("Printable tag for a batch trolley: the code in large type, the start, the factory and the QR")
            .Produces<string>(StatusCodes.Status200OK, "text/html").Public().ProducesProblem(StatusCodes.Status404NotFound)
            .RequireRateLimiting(RateLimitOptions.PublicPolicy);
        return app;
    }

    public static string HarvestLink(HttpContext http, string code) => $"{DigitalLinks.BaseUrl(http)}/h/{Uri.EscapeDataString(code)}";

    public static string BatchLink(HttpContext http, string code) => $"{DigitalLinks.BaseUrl(http)}/b/{Uri.EscapeDataString(code)}";

    private static IResult HarvestQr(string id, int? size, string format, HttpContext http, GardenStore gardens)
    {
        var harvest = gardens.FindHarvest(id);
        var caller = Caller.From(http.User);
        if (harvest is null)
        {
            return Refusal.NotFound("harvest", id).ToProblem();
        }

        return caller.Role == Roles.Processor || caller.ActsFor(harvest.OrgId) || caller.IsRegulator
            ? Qr(HarvestLink(http, harvest.Code), size, format)
            : Refusal.Forbidden("This harvest belongs to another organisation.").ToProblem();
    }

    private static IResult BatchQr(string id, int? size, string format, HttpContext http, ProcessingStore processing)
    {
        var batch = processing.Find(id);
        var caller = Caller.From(http.User);
        if (batch is null)
        {
            return Refusal.NotFound("batch", id).ToProblem();
        }

        return caller.ActsFor(batch.FactoryOrgId) || caller.IsRegulator || caller.Role == Roles.Distributor
            ? Qr(BatchLink(http, batch.Code), size, format)
            : Refusal.Forbidden("This batch belongs to another factory.").ToProblem();
    }

    private static IResult Qr(string link, int? size, string format)
    {
        var pixels = size ?? QrCodes.DefaultSize;
        if (pixels is < QrCodes.MinSize or > QrCodes.MaxSize)
        {
            return Refusal.Invalid("size", $"size is the image width in pixels, {QrCodes.MinSize} to {QrCodes.MaxSize}.").ToProblem();
        }

        return format == "png" ? TypedResults.File(QrCodes.Png(link, pixels), "image/png") : TypedResults.Text(QrCodes.Svg(link, pixels), "image/svg+xml");
    }

    private static IResult HarvestTag(string code, HttpContext http, GardenStore gardens)
    {
        var harvest = gardens.FindHarvest(code);
        if (harvest is null)
        {
            return Refusal.NotFound("harvest", code).ToProblem();
        }

        var plot = gardens.FindPlot(harvest.PlotId);
        return Tag(http, harvest.Code, HarvestLink(http, harvest.Code), "鲜叶 Fresh leaf",
            [harvest.PickedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), $"{plot?.Town} · {plot?.Name}", $"{harvest.Cultivar} · {harvest.FreshLeafKg.ToString(CultureInfo.InvariantCulture)} kg"]);
    }

    private static IResult BatchTag(string code, HttpContext http, ProcessingStore processing, Orgs.OrgStore orgs)
    {
        var batch = processing.Find(code);
        if (batch is null)
        {
            return Refusal.NotFound("batch", code).ToProblem();
        }

        var factory = orgs.Find(batch.FactoryOrgId);
        return Tag(http, batch.Code, BatchLink(http, batch.Code), "加工批次 Batch",
            [batch.StartedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), factory?.Name ?? "", $"{batch.FreshLeafKg.ToString(CultureInfo.InvariantCulture)} kg{(batch.ClaimsGi ? " · GI" : "")}"]);
    }

    private static ContentHttpResult Tag(HttpContext http, string code, string link, string kind, IEnumerable<string> lines)
    {
        SecurityHeaders.ForPage(http.Response);
        var details = string.Concat(lines.Select(line => $"<p>{WebUtility.HtmlEncode(line)}</p>"));
        return TypedResults.Text($"""
            <!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{WebUtility.HtmlEncode(code)}</title><link rel="icon" href="/assets/icon.svg" type="image/svg+xml"><link rel="stylesheet" href="/field/tag.css"></head>
            <body><main class="tag"><p class="kind">{WebUtility.HtmlEncode(kind)}</p><h1 class="code">{WebUtility.HtmlEncode(code)}</h1>{details}
            <div class="qr">{QrCodes.Svg(link, 320)}</div><p class="link">{WebUtility.HtmlEncode(link)}</p></main></body></html>
            """, "text/html; charset=utf-8");
    }
}
