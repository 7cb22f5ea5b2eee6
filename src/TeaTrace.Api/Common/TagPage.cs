using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;

namespace TeaTrace.Api.Common;

/// <summary>
/// A printable tag for a leaf basket or a batch trolley: the code in large type, a few public lines and the QR of its
/// link. Anyone near the basket can read it, so it shows only what the consumer's provenance page would.
/// </summary>
internal static class TagPage
{
    public static ContentHttpResult Render(HttpContext http, string code, string link, Text kind, IEnumerable<string> lines)
    {
        SecurityHeaders.ForPage(http.Response);
        var details = string.Concat(lines.Select(line => $"<p>{WebUtility.HtmlEncode(line)}</p>"));
        var kindText = $"{kind.Zh} {kind.En}";
        return TypedResults.Text($"""
            <!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{WebUtility.HtmlEncode(code)} · {WebUtility.HtmlEncode(kindText)}</title>
            <meta name="description" content="{WebUtility.HtmlEncode($"TeaTrace 标签 {code}：{kind.Zh}。Tag for {kind.En.ToLowerInvariant()} {code}.")}">
            <link rel="icon" href="/assets/icon.svg" type="image/svg+xml"><link rel="stylesheet" href="/field/tag.css"></head>
            <body><main class="tag"><p class="kind">{WebUtility.HtmlEncode(kindText)}</p><h1 class="code">{WebUtility.HtmlEncode(code)}</h1>{details}
            <div class="qr">{QrCodes.Svg(link, 320)}</div><p class="link">{WebUtility.HtmlEncode(link)}</p></main></body></html>
            """, "text/html; charset=utf-8");
    }

    /// <summary>An image of a tag's link, for a label printer.</summary>
    public static IResult Qr(string link, int? size, string format)
    {
        var pixels = size ?? QrCodes.DefaultSize;
        if (pixels is < QrCodes.MinSize or > QrCodes.MaxSize)
        {
            return Errors.Problems.ToProblem(CommonRefusals.QrSize(QrCodes.MinSize, QrCodes.MaxSize));
        }

        return format == "png" ? TypedResults.File(QrCodes.Png(link, pixels), "image/png") : TypedResults.Text(QrCodes.Svg(link, pixels), "image/svg+xml");
    }

    public static string HarvestLink(HttpContext http, string code) => $"{DigitalLinks.BaseUrl(http)}/h/{Uri.EscapeDataString(code)}";

    public static string BatchLink(HttpContext http, string code) => $"{DigitalLinks.BaseUrl(http)}/b/{Uri.EscapeDataString(code)}";
}
