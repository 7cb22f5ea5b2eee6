using Microsoft.AspNetCore.Http.HttpResults;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Errors;
using TeaTrace.Api.Features.Orgs;
using TeaTrace.Api.Idempotency;

namespace TeaTrace.Api.Features.Custody;

internal static class CustodyEndpoints
{
    public static IEndpointRouteBuilder MapCustody(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/leaf-sales", CreateSale)
            .WithTags("Custody")
            .WithSummary("Sell fresh leaf to a factory or cooperative, issuing its 承诺达标合格证")
            .WithDescription("One or several harvests (a mixed load: the certificate names them all). The seller must hold the leaf unsold. A phone working offline may mint certificateNo itself (12 Crockford base-32 characters, 60 random bits); 409 when that number is taken, and the number is then void. 422 when a harvest has less unsold leaf than asked, the buyer is not a factory or cooperative, or the residue tests do not cover what was sprayed. pricePerKgCny is sealed in the ledger.")
            .Allow(CustodyAccess.Sellers, CustodyAccess.SellerRoles)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        app.MapGet("/api/leaf-buyers", (HttpContext http, LeafSaleStore store) => TypedResults.Ok(store.Buyers(Caller.From(http.User).OrgId)))
            .WithTags("Custody")
            .WithSummary("Organisations that buy fresh leaf (factories and cooperatives), for a seller's list")
            .WithDescription("Organisations are public; the caller's own organisation is left out. A phone keeps the list to sell offline.")
            .Allow(CustodyAccess.Sellers, CustodyAccess.SellerRoles);

        var certificates = app.MapGroup("/api/certificates").WithTags("Custody");
        certificates.MapGet("/{number}", GetCertificate)
            .WithSummary("Read a certificate by its number (as printed, with or without dashes)")
            .WithDescription("status is issued, received, voided or rejected; receipt is the receipt that counts (a corrected weight replaces the first), else null.")
            .Allow(CustodyAccess.CertificateReaders, CustodyAccess.CertificateReaderRoles)
            .ProducesProblem(StatusCodes.Status404NotFound);

        certificates.MapPost("/{number}/void", VoidCertificate)
            .WithSummary("Void a certificate that has not been received")
            .WithDescription("The leaf returns to the seller's unsold kg. 409 once received, rejected or voided.")
            .Allow("the issuer's farmer, admin", CustodyAccess.SellerRoles)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        foreach (var format in new[] { "png", "svg" })
        {
            certificates.MapGet($"/{{number}}/qr.{format}", (string number, int? size, HttpContext http, LeafSaleStore store) => Qr(number, size, format, http, store))
                .WithSummary($"A certificate's QR code ({format.ToUpperInvariant()}): {{PublicBaseUrl}}/c/{{number}}")
                .Allow(CustodyAccess.QrReaders, CustodyAccess.QrReaderRoles)
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status404NotFound);
        }

        app.MapPost("/api/leaf-receipts", Receive)
            .WithTags("Custody")
            .WithSummary("Receive a load of fresh leaf by its certificate, weighed at the gate")
            .WithDescription("receivedKg may be below the sold kg by at most TeaTrace:Custody:TransitLossPct (default 10 %), never above it (422). 409 when already received: a mistyped weight is corrected by a new receipt with correctsReceiptId naming the receipt that counts. A factory's batches draw only leaf it has received.")
            .Allow(CustodyAccess.Takers, CustodyAccess.TakerRoles)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        app.MapPost("/api/leaf-rejections", Reject)
            .WithTags("Custody")
            .WithSummary("Reject a load at the gate, with a reason (wet leaf, wrong grade, suspected spraying)")
            .WithDescription("The leaf returns to the seller's unsold kg. 409 once received, voided or rejected.")
            .Allow(CustodyAccess.Takers, CustodyAccess.TakerRoles)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        app.MapGet("/api/orgs/{orgId}/purchases", PurchaseLedger)
            .WithTags("Custody")
            .WithSummary("The purchase ledger (收购台账): one day's receipts of fresh leaf, with totals")
            .WithDescription("day is a date in Asia/Shanghai (default today). Each load appears once, with the receipt that counts.")
            .Allow(CustodyAccess.LedgerReaders, CustodyAccess.LedgerReaderRoles)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/c/{number}", PublicCertificate)
            .WithTags("Custody")
            .WithSummary("A certificate's public page: what a factory's gate or a market inspector checks")
            .WithDescription("Browsers get the certificate as a page, Chinese first with English, printable on A6 (or a 58 mm receipt printer with ?print=58mm), with its QR and its ledger entry; Accept: application/json gets {certificate, proof}: the certificate and the inclusion proof of its sale's ledger entry in the latest signed checkpoint. The price is never shown. Anyone holding the number may read it, as anyone holding the paper may.")
            .Produces<PublicCertificate>(StatusCodes.Status200OK, "application/json", "text/html")
            .Public()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireRateLimiting(RateLimitOptions.PublicPolicy);

        app.MapShipments();

        return app;
    }

    private static IResult PublicCertificate(string number, string? print, HttpContext http, LeafSaleStore store, LedgerApi.LedgerTree tree)
    {
        var model = store.Public(number, DigitalLinks.BaseUrl(http), tree);
        if (model is null)
        {
            return Refusal.NotFound(Noun.Certificate, number).ToProblem();
        }

        if (WantsJson(http))
        {
            return TypedResults.Json(model);
        }

        SecurityHeaders.ForPage(http.Response);
        return TypedResults.Text(CertificatePage.Html(model, print == "58mm"), "text/html; charset=utf-8");
    }

    private static bool WantsJson(HttpContext http)
    {
        var accept = http.Request.Headers.Accept.ToString();
        return accept.Contains("application/json", StringComparison.OrdinalIgnoreCase) && !accept.Contains("text/html", StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<Results<Created<LeafSaleResponse>, ProblemHttpResult>> CreateSale(
        CreateLeafSaleRequest request, HttpContext http, LeafSaleStore store, CancellationToken cancellationToken)
    {
        var reply = Reply.Created<LeafSaleResponse>(http, sale => $"/api/certificates/{sale.CertificateNo}");
        var result = await store.CreateAsync(Caller.From(http.User), request, DigitalLinks.BaseUrl(http), reply, cancellationToken);
        return result.ToCreated(reply);
    }

    private static Results<Ok<CertificateResponse>, ProblemHttpResult> GetCertificate(string number, HttpContext http, LeafSaleStore store)
    {
        var certificate = store.Find(number, DigitalLinks.BaseUrl(http));
        return certificate is null ? Refusal.NotFound(Noun.Certificate, number).ToProblem()
            : CustodyAccess.CanRead(Caller.From(http.User), certificate) ? TypedResults.Ok(certificate)
            : CustodyRefusals.CannotRead().ToProblem();
    }

    private static async Task<Results<Ok<CertificateResponse>, ProblemHttpResult>> VoidCertificate(
        string number, ReasonRequest request, HttpContext http, LeafSaleStore store, CancellationToken cancellationToken)
    {
        var reply = Reply.Ok<CertificateResponse>(http);
        var result = await store.VoidAsync(Caller.From(http.User), number, request, DigitalLinks.BaseUrl(http), reply, cancellationToken);
        return result.ToOk();
    }

    private static IResult Qr(string number, int? size, string format, HttpContext http, LeafSaleStore store)
    {
        var certificate = store.Find(number, DigitalLinks.BaseUrl(http));
        return certificate is null ? Refusal.NotFound(Noun.Certificate, number).ToProblem()
            : CustodyAccess.CanPrint(Caller.From(http.User), certificate) ? TagPage.Qr(certificate.Url, size, format)
            : CustodyRefusals.CannotRead().ToProblem();
    }

    private static async Task<Results<Created<LeafReceiptResponse>, ProblemHttpResult>> Receive(
        LeafReceiptRequest request, HttpContext http, LeafReceiptStore store, CancellationToken cancellationToken)
    {
        var reply = Reply.Created<LeafReceiptResponse>(http, receipt => $"/api/certificates/{receipt.CertificateNo}");
        var result = await store.ReceiveAsync(Caller.From(http.User), request, reply, cancellationToken);
        return result.ToCreated(reply);
    }

    private static async Task<Results<Ok<CertificateResponse>, ProblemHttpResult>> Reject(
        LeafRejectionRequest request, HttpContext http, LeafReceiptStore store, CancellationToken cancellationToken)
    {
        var reply = Reply.Ok<CertificateResponse>(http);
        var result = await store.RejectAsync(Caller.From(http.User), request, DigitalLinks.BaseUrl(http), reply, cancellationToken);
        return result.ToOk();
    }

    private static Results<Ok<PurchaseLedgerResponse>, ProblemHttpResult> PurchaseLedger(
        string orgId, string? day, HttpContext http, OrgStore orgs, LeafReceiptStore store, TimeProvider clock)
    {
        DateOnly date = ChinaTime.Today(clock);
        if (day is not null && !DateOnly.TryParseExact(day, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out date))
        {
            return CustodyRefusals.DayRequired().ToProblem();
        }

        var org = orgs.Find(orgId);
        if (org is null)
        {
            return Refusal.NotFound(Noun.Organisation, orgId).ToProblem();
        }

        return CustodyAccess.CanReadLedgerOf(Caller.From(http.User), orgId)
            ? TypedResults.Ok(store.Day(org.Id, org.Name, date))
            : CustodyRefusals.PurchaseLedgerOfOwnOrganisation().ToProblem();
    }
}
