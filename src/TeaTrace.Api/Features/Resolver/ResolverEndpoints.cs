using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Errors;

namespace TeaTrace.Api.Features.Resolver;

internal sealed record PlaceRequest(double? Latitude, double? Longitude);

/// <summary>The GS1 Digital Link resolver: GET and HEAD on /01/{gtin}[/10/{lot}[/21/{serial}]].</summary>
internal static class ResolverEndpoints
{
    public const string LinksetType = "application/linkset+json";
    private const string CorsPolicy = ProtectionSetup.PublicReadCors;
    private const string RateLimitPolicy = RateLimitOptions.PublicPolicy;
    private const string GtinText = "GTIN-14 with its check digit";
    private const string LotText = "Lot (batch) number, at most 20 characters";
    private const string SerialText = "Serial number, at most 20 characters";

    public static IEndpointRouteBuilder MapResolver(this IEndpointRouteBuilder app)
    {
        // The link forms a resolver answers, described each with its own path parameters; GET and HEAD are separate
        // operations. Anything else under /01/ reaches the same handler through the catch-all and is answered 400.
        (string Path, string Name, string Summary, Delegate Handler)[] forms =
        [
            ("/01/{gtin}", "Product", "A product: /01/{gtin}",
                ([Description(GtinText)] string gtin, HttpContext http, Resolver resolver, CancellationToken cancellationToken) => Resolve(http, resolver, cancellationToken)),
            ("/01/{gtin}/10/{lot}", "Lot", "A lot: /01/{gtin}/10/{lot}",
                ([Description(GtinText)] string gtin, [Description(LotText)] string lot, HttpContext http, Resolver resolver, CancellationToken cancellationToken) =>
                    Resolve(http, resolver, cancellationToken)),
            ("/01/{gtin}/10/{lot}/21/{serial}", "Unit", "A unit: /01/{gtin}/10/{lot}/21/{serial}",
                ([Description(GtinText)] string gtin, [Description(LotText)] string lot, [Description(SerialText)] string serial, HttpContext http, Resolver resolver,
                    CancellationToken cancellationToken) => Resolve(http, resolver, cancellationToken)),
            ("/01/{gtin}/21/{serial}", "UnitWithoutLot", "A unit by serial alone: /01/{gtin}/21/{serial}",
                ([Description(GtinText)] string gtin, [Description(SerialText)] string serial, HttpContext http, Resolver resolver, CancellationToken cancellationToken) =>
                    Resolve(http, resolver, cancellationToken)),
        ];
        foreach (var (path, name, summary, handler) in forms)
        {
            Describe(app.MapGet(path, handler).WithName($"Resolve{name}").WithSummary($"GS1 Digital Link — {summary}"));
            Describe(app.MapMethods(path, ["HEAD"], handler).WithName($"Resolve{name}Head").WithSummary($"GS1 Digital Link, headers only — {summary}"));
        }

        app.MapMethods("/01/{**rest}", ["GET", "HEAD"], Resolve)
            .ExcludeFromDescription()
            .Public()
            .RequireCors(CorsPolicy)
            .RequireRateLimiting(RateLimitPolicy);

        app.MapGet("/.well-known/gs1resolver", Description)
            .WithTags("Consumers")
            .WithSummary("GS1 resolver description")
            .Public()
            .RequireCors(CorsPolicy);

        app.MapPost("/api/scans/{token}/place", SetPlace)
            .WithTags("Consumers")
            .WithSummary("Report where a scan happened (coarse)")
            .WithDescription("The consumer page may send the phone's location, with the consumer's consent, for the scan it just recorded. It is rounded to 0.1° (about 10 km), accepted once and within minutes of the scan (TeaTrace:Risk:PlaceMinutes, 10 by default), and used only to spot codes scanned far apart in a short time.")
            .Public()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(RateLimitPolicy);

        return app;
    }

    private static void Describe(RouteHandlerBuilder endpoint) => endpoint
        .WithTags("Consumers")
        .WithDescription("""
            gtin is a GTIN-14 with its check digit; lot and serial are at most 20 characters. Browsers (Accept: text/html) get the
            consumer page, Chinese by default (?lang=en for English). Accept: application/json (or ?linkType=gs1:traceability) gets the
            provenance document; ?linkType=linkset (or Accept: application/linkset+json) the RFC 9264 linkset. An unknown serial under a
            known lot shows the lot with "this code was never issued"; an unknown lot shows its product. Opening the link as a page, or
            asking for the document by name, records a scan of an issued unit; another page's image, script, frame or fetch of the link,
            and prefetches, are served but not counted. A malformed link (bad check digit, qualifiers out of order, trailing slash, a key
            qualifier in the query string) is 400; an unknown GTIN 404.
            """)
        .Produces<ProvenanceDocument>(StatusCodes.Status200OK, "application/json", "text/html", LinksetType)
        .Public()
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .RequireCors(CorsPolicy)
        .RequireRateLimiting(RateLimitPolicy);

    private static async Task<IResult> Resolve(HttpContext http, Resolver resolver, CancellationToken cancellationToken)
    {
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target) || !target.StartsWith('/'))
        {
            target = http.Request.Path.ToUriComponent() + http.Request.QueryString.ToUriComponent();
        }

        var question = target.IndexOf('?', StringComparison.Ordinal);
        var (rawPath, rawQuery) = question < 0 ? (target, null) : (target[..question], target[(question + 1)..]);
        if (!ResolverPath.TryParse(rawPath, rawQuery, out var path, out var error))
        {
            return ResolverRefusals.NotADigitalLink(error).ToProblem();
        }

        var baseUrl = DigitalLinks.BaseUrl(http);
        var isHead = HttpMethods.IsHead(http.Request.Method);
        var wantsLinkset = string.Equals(path.LinkType, "linkset", StringComparison.OrdinalIgnoreCase) || Accepts(http, LinksetType);
        var wantsJson = string.Equals(path.LinkType, "gs1:traceability", StringComparison.OrdinalIgnoreCase) || Accepts(http, "application/json");
        // A scan is a person (or a phone) asking about a unit; link-set lookups and HEAD requests are machines.
        var client = !isHead && !wantsLinkset && IsScan(http, wantsJson)
            ? new ScanClient(http.Connection.RemoteIpAddress, http.Request.Headers.UserAgent.ToString())
            : null;
        var resolution = await resolver.ResolveAsync(path, baseUrl, client, cancellationToken);
        if (resolution is null)
        {
            return ResolverRefusals.UnknownProduct(path.Gtin).ToProblem();
        }

        http.Response.Headers.Vary = "Accept";
        http.Response.Headers.CacheControl = "no-store"; // every answer carries this scan's count and risk
        if (wantsLinkset)
        {
            return TypedResults.Text(JsonSerializer.Serialize(Linkset(resolution.Document), LinksetJson), LinksetType);
        }

        if (wantsJson)
        {
            return TypedResults.Json(resolution.Document);
        }

        SecurityHeaders.ForPage(http.Response);
        return TypedResults.Text(ConsumerPage.Render(resolution.Document, ConsumerPage.IsEnglish(http.Request)), "text/html; charset=utf-8");
    }

    private static readonly JsonSerializerOptions LinksetJson = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>RFC 9264 linkset with GS1 link types: the page, the traceability data, and the default link.</summary>
    private static object Linkset(ProvenanceDocument document)
    {
        var anchor = document.Link;
        object Link(string href, string type, string title, params string[] languages) =>
            new Dictionary<string, object> { ["href"] = href, ["type"] = type, ["title"] = title, ["hreflang"] = languages };
        return new
        {
            linkset = new[]
            {
                new Dictionary<string, object>
                {
                    ["anchor"] = anchor,
                    ["https://gs1.org/voc/defaultLink"] = new[] { Link(anchor, "text/html", "英德红茶溯源 Provenance", "zh", "en") },
                    ["https://gs1.org/voc/pip"] = new[] { Link($"{anchor}?linkType=gs1:pip", "text/html", document.Product.Name, "zh", "en") },
                    ["https://gs1.org/voc/traceability"] = new[] { Link($"{anchor}?linkType=gs1:traceability", "application/json", "Provenance data", "en") },
                },
            },
        };
    }

    private static Ok<object> Description(HttpContext http) => TypedResults.Ok<object>(new Dictionary<string, object>
    {
        ["name"] = "TeaTrace — Yingde black tea (英德红茶) traceability",
        ["resolverRoot"] = DigitalLinks.BaseUrl(http),
        ["supportedPrimaryKeys"] = new[] { "gtin" },
        ["supportedLinkType"] = new[]
        {
            new { @namespace = "https://gs1.org/voc/", prefix = "gs1:", profile = "https://gs1.org/voc/?show=linktypes" },
        },
        ["linkTypes"] = new[] { "gs1:defaultLink", "gs1:pip", "gs1:traceability", "linkset" },
        ["linkTypeDefaultCanBeLinkset"] = false,
        ["qualifiers"] = new[] { "10 (lot, at most 20 characters)", "21 (serial, at most 20 characters)" },
    });

    private static async Task<Results<NoContent, ProblemHttpResult>> SetPlace(string token, PlaceRequest request, ScanStore scans, CancellationToken cancellationToken)
    {
        if (request.Latitude is not (>= -90 and <= 90) || request.Longitude is not (>= -180 and <= 180))
        {
            return ResolverRefusals.BadPlace().ToProblem();
        }

        return await scans.SetPlaceAsync(token, request.Latitude.Value, request.Longitude.Value, cancellationToken)
            ? TypedResults.NoContent()
            : ResolverRefusals.NoRecentScan().ToProblem();
    }

    /// <summary>True when, of the types this resolver serves, the client ranks this one first (q, then order).</summary>
    private static bool Accepts(HttpContext http, string mediaType)
    {
        if (!MediaTypeHeaderValue.TryParseList(http.Request.Headers.Accept, out var accepted))
        {
            return false;
        }

        string[] served = ["text/html", "application/json", LinksetType];
        var best = accepted
            .Select((value, order) => (Type: value.MediaType.Value ?? "", Quality: value.Quality ?? 1, Order: order))
            .Where(a => a.Quality > 0 && served.Contains(a.Type, StringComparer.OrdinalIgnoreCase))
            .OrderByDescending(a => a.Quality).ThenBy(a => a.Order)
            .FirstOrDefault();
        return string.Equals(best.Type, mediaType, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Whether the request is what a person scanning a code does: a browser opening the link as a page of its own, or
    /// a client without fetch metadata (an app, an older browser) asking for the page or the document by name. Another
    /// site's image, script, frame or fetch of the link runs in every visitor's browser at that site's will, and a
    /// prefetch may never be looked at: they are served but not counted.
    /// </summary>
    private static bool IsScan(HttpContext http, bool wantsJson)
    {
        var headers = http.Request.Headers;
        if (headers.ContainsKey("Sec-Purpose") || IsPrefetch(headers["Purpose"]) || IsPrefetch(headers["X-Purpose"]) || IsPrefetch(headers["X-Moz"]))
        {
            return false;
        }

        var destination = headers["Sec-Fetch-Dest"].ToString();
        var mode = headers["Sec-Fetch-Mode"].ToString();
        if (destination.Length > 0 || mode.Length > 0)
        {
            return (destination is "" or "document") && (mode is "" or "navigate");
        }

        // An image or script fetch names image/* or */*, never text/html or application/json.
        return wantsJson || Accepts(http, "text/html");
    }

    private static bool IsPrefetch(Microsoft.Extensions.Primitives.StringValues value) =>
        value.ToString() is { Length: > 0 } purpose
        && (purpose.Contains("prefetch", StringComparison.OrdinalIgnoreCase) || purpose.Contains("preview", StringComparison.OrdinalIgnoreCase));
}
