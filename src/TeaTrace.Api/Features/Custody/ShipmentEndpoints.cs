using Microsoft.AspNetCore.Http.HttpResults;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Errors;
using TeaTrace.Api.Idempotency;

namespace TeaTrace.Api.Features.Custody;

internal static class ShipmentEndpoints
{
    public static IEndpointRouteBuilder MapShipments(this IEndpointRouteBuilder app)
    {
        var shipments = app.MapGroup("/api/shipments").WithTags("Custody");

        shipments.MapPost("/", Send)
            .WithSummary("Ship made tea (by weight) or packed tins (by count) to a distributor, issuing a delivery note")
            .WithDescription("Either {batchId, kg} (made tea of a completed batch of the caller's factory) or {lotId, units} (tins the caller's organisation packed); toOrgId is a distributor. "
                + "Made tea comes out of what the batch made and has not yet packed or shipped (422 otherwise); tins are taken in packing order among those the shipper holds and has not sold or shipped (422 when fewer). "
                + "409 before the batch is completed; 422 for a recalled batch or lot; 403 for another organisation's tea. noteNo is 12 Crockford base-32 characters (60 random bits), printed XXXX-XXXX-XXXX.")
            .Allow(ShipmentAccess.Shippers, ShipmentAccess.ShipperRoles)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        shipments.MapGet("/{id}", Get)
            .WithSummary("Read a shipment by its id or its delivery-note number")
            .WithDescription("status is shipped or received; receipt is the receiver's receipt, else null.")
            .Allow(ShipmentAccess.Readers, ShipmentAccess.ReaderRoles)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        foreach (var format in new[] { "png", "svg" })
        {
            shipments.MapGet($"/{{id}}/qr.{format}", (string id, int? size, HttpContext http, ShipmentStore store) => Qr(id, size, format, http, store))
                .WithSummary($"A delivery note's QR code ({format.ToUpperInvariant()}): {{PublicBaseUrl}}/d/{{noteNo}}")
                .Allow(ShipmentAccess.QrReaders, ShipmentAccess.QrReaderRoles)
                .ProducesProblem(StatusCodes.Status400BadRequest)
                .ProducesProblem(StatusCodes.Status403Forbidden)
                .ProducesProblem(StatusCodes.Status404NotFound);
        }

        shipments.MapPost("/{id}/receive", Receive)
            .WithSummary("Receive a shipment: made tea weighed in, tins counted in")
            .WithDescription("Made tea: receivedKg, never above the shipped kg and at most TeaTrace:Custody:MadeTeaLossPct (default 1 %) below it (422). "
                + "Tins: receivedUnits (default: every tin shipped), never more than shipped (422); the tins counted in are the note's first in packing order, and tins short on arrival are held by no one. "
                + "409 when already received; 403 for another organisation's shipment. note is the receiver's remark, sealed in the ledger.")
            .Allow(ShipmentAccess.Receivers, ShipmentAccess.ReceiverRoles)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        app.MapGet("/d/{number}", Public)
            .WithTags("Custody")
            .WithSummary("A delivery note as anyone scanning its QR sees it: what left whom for whom, and whether it arrived")
            .WithDescription("The number as printed, with or without dashes. The same as the shipment's ledger entries show, without the receiver's note (sealed).")
            .Public()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireRateLimiting(RateLimitOptions.PublicPolicy);

        return app;
    }

    private static Results<Ok<ShipmentResponse>, ProblemHttpResult> Public(string number, HttpContext http, ShipmentStore store)
    {
        var shipment = CertificateNumbers.Normalize(number) is { } noteNo ? store.Find(noteNo, DigitalLinks.BaseUrl(http)) : null;
        return shipment is null ? Refusal.NotFound(ShipmentRefusals.Shipment, number).ToProblem()
            : TypedResults.Ok(shipment with { Receipt = shipment.Receipt is { } receipt ? receipt with { Note = null } : null });
    }

    private static async Task<Results<Created<ShipmentResponse>, ProblemHttpResult>> Send(
        CreateShipmentRequest request, HttpContext http, ShipmentStore store, CancellationToken cancellationToken)
    {
        var reply = Reply.Created<ShipmentResponse>(http, shipment => $"/api/shipments/{shipment.Id}");
        var result = await store.SendAsync(Caller.From(http.User), request, DigitalLinks.BaseUrl(http), reply, cancellationToken);
        return result.ToCreated(reply);
    }

    private static Results<Ok<ShipmentResponse>, ProblemHttpResult> Get(string id, HttpContext http, ShipmentStore store)
    {
        var shipment = store.Find(id, DigitalLinks.BaseUrl(http));
        return shipment is null ? Refusal.NotFound(ShipmentRefusals.Shipment, id).ToProblem()
            : ShipmentAccess.CanRead(Caller.From(http.User), shipment) ? TypedResults.Ok(shipment)
            : ShipmentRefusals.CannotRead().ToProblem();
    }

    private static IResult Qr(string id, int? size, string format, HttpContext http, ShipmentStore store)
    {
        var shipment = store.Find(id, DigitalLinks.BaseUrl(http));
        return shipment is null ? Refusal.NotFound(ShipmentRefusals.Shipment, id).ToProblem()
            : ShipmentAccess.CanPrint(Caller.From(http.User), shipment) ? TagPage.Qr(shipment.Url, size, format)
            : ShipmentRefusals.CannotRead().ToProblem();
    }

    private static async Task<Results<Created<ShipmentReceiptResponse>, ProblemHttpResult>> Receive(
        string id, ShipmentReceiptRequest request, HttpContext http, ShipmentStore store, CancellationToken cancellationToken)
    {
        var reply = Reply.Created<ShipmentReceiptResponse>(http, receipt => $"/api/shipments/{receipt.ShipmentId}");
        var result = await store.ReceiveAsync(Caller.From(http.User), id, request, reply, cancellationToken);
        return result.ToCreated(reply);
    }
}
