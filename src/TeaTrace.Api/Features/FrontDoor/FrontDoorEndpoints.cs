using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Errors;
using TeaTrace.Api.Features.Gardens;
using TeaTrace.Api.Features.LedgerApi;
using TeaTrace.Api.Features.Processing;
using TeaTrace.Api.Features.Resolver;

namespace TeaTrace.Api.Features.FrontDoor;

/// <summary>The service's front door: the page at / and the code box behind it, /go?code=, which sends any code to its page.</summary>
internal static class FrontDoorEndpoints
{
    private const string HtmlType = "text/html; charset=utf-8";

    public static IEndpointRouteBuilder MapFrontDoor(this IEndpointRouteBuilder app)
    {
        // A page for people; the code box behind it is described in the API document.
        app.MapGet("/", Page)
            .ExcludeFromDescription()
            .Public()
            .RequireRateLimiting(RateLimitOptions.PublicPolicy);

        app.MapGet("/go", Go)
            .WithTags("Front door")
            .WithSummary("Send a typed or scanned code to its page")
            .WithDescription("""
                The front door's code box. code is what a person typed or scanned: a tin's serial (spaces, dashes, lower case and
                the letters O, I and L typed for 0 and 1 are forgiven), a GS1 Digital Link with a GTIN (01) from any host (only
                its GTIN, lot and serial are kept, and the answer always stays on this service), a harvest or batch tag's code
                (H-XXXXXXXX, B-XXXXXXXX) or its /h/ or /b/ link. A known code is answered 302 with its page in Location: the
                consumer page for a tin or product (with ?lang=en when lang is en), /h/{code} or /b/{code} for a tag. A serial
                never issued under a known GTIN still goes to the consumer page, which says so. An empty code goes back to the
                front door. An unknown code is 404: a page in the chosen language with the box again, or a problem document for
                a client that asks for JSON.
                """)
            .Produces(StatusCodes.Status302Found)
            .Public()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(RateLimitOptions.PublicPolicy);

        return app;
    }

    private static ContentHttpResult Page(HttpContext http, LedgerTree tree)
    {
        var checkpoint = tree.LatestCheckpoint();
        var pulse = new LedgerPulse(tree.Size(), checkpoint?.Size, checkpoint?.SignedAt, checkpoint is null ? null : Convert.ToHexStringLower(checkpoint.RootHash));
        SecurityHeaders.ForPage(http.Response);
        http.Response.Headers.CacheControl = "no-cache"; // the ledger's size is news
        return TypedResults.Text(FrontDoorPage.Render(pulse, FrontDoorPage.IsEnglish(http.Request)), HtmlType);
    }

    private static Results<RedirectHttpResult, ContentHttpResult, ProblemHttpResult> Go(
        [Description("What was typed or scanned: a serial, a Digital Link, or a harvest or batch tag")] string? code,
        [Description("en for English pages; Chinese otherwise")] string? lang,
        HttpContext http, ProvenanceReader provenance, HarvestStore harvests, BatchStore batches)
    {
        var english = string.Equals(lang, "en", StringComparison.OrdinalIgnoreCase);
        var typed = CodeBox.Read(code);
        if (typed.Kind == CodeKind.Empty)
        {
            return TypedResults.Redirect(english ? "/?lang=en" : "/");
        }

        if (new CodeDirectory(provenance, harvests, batches).Find(typed, english) is { } destination)
        {
            return TypedResults.Redirect(destination);
        }

        if (http.Request.Headers.Accept.ToString().Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return FrontDoorRefusals.UnknownCode(typed.Reason).ToProblem();
        }

        var shown = code!.Trim();
        SecurityHeaders.ForPage(http.Response);
        return TypedResults.Text(FrontDoorPage.RenderUnknown(typed, shown[..Math.Min(shown.Length, CodeBox.MaxLength)], english), HtmlType,
            statusCode: StatusCodes.Status404NotFound);
    }
}
