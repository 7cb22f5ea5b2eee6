using Microsoft.AspNetCore.Http.HttpResults;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Errors;
using TeaTrace.Api.Idempotency;

namespace TeaTrace.Api.Features.Lots;

internal static class LotEndpoints
{
    private const string Readers = "distributor or processor of the lot's organisation, processor of the batch's factory, regulator, admin";

    public static IEndpointRouteBuilder MapLots(this IEndpointRouteBuilder app)
    {
        var lots = app.MapGroup("/api/lots").WithTags("Packing and selling");

        lots.MapPost("/", CreateLot)
            .WithSummary("Pack a sales lot from a completed batch")
            .WithDescription("Creates unitCount units, each with a random serial (60 bits, never reused) and its GS1 Digital Link. 400 for a bad GTIN check digit; 409 before the batch is completed; 422 when unitCount × netWeightG is more made tea than the batch has left. A processor packs its own factory's batches, less what was shipped (403 for another factory's); a distributor packs only made tea shipped to it and received, and not yet packed (422 naming the batch with receivedKg and remainingKg). A GTIN belongs to whoever first packed under it and to the holder of its GS1 company prefix (read from the second digit); another organisation packing under it, or a packer with a gs1CompanyPrefix packing outside it, is 422.")
            .Allow("processor of the batch's factory, distributor of an organisation that received its made tea, admin", Roles.Processor, Roles.Distributor, Roles.Admin)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        lots.MapGet("/{id}", GetLot)
            .WithSummary("Read a lot")
            .Allow(Readers, Roles.Processor, Roles.Distributor, Roles.Regulator, Roles.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound);

        lots.MapGet("/{id}/units", GetUnits)
            .WithSummary("List a lot's units with their Digital Link URLs")
            .WithDescription("Paged by offset and limit (default 100, at most 1000), in packing order.")
            .Allow(Readers, Roles.Processor, Roles.Distributor, Roles.Regulator, Roles.Admin)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        lots.MapGet("/{id}/labels.csv", GetLabels)
            .WithSummary("Labels for a label printer: serial,url per unit")
            .WithDescription("CSV (text/csv, UTF-8) with a header line, one unit per line in packing order; url is the unit's GS1 Digital Link.")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .Allow(Readers, Roles.Processor, Roles.Distributor, Roles.Regulator, Roles.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound);

        var units = app.MapGroup("/api/units").WithTags("Packing and selling");

        units.MapGet("/{serial}/qr.png", GetQrPng)
            .WithSummary("A unit's Digital Link as a QR code (PNG)")
            .WithDescription($"size is the image width in pixels ({QrCodes.MinSize}–{QrCodes.MaxSize}, default {QrCodes.DefaultSize}); error correction level Q, four-module quiet zone.")
            .Produces(StatusCodes.Status200OK, contentType: "image/png")
            .Allow(Readers, Roles.Processor, Roles.Distributor, Roles.Regulator, Roles.Admin)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        units.MapGet("/{serial}/qr.svg", GetQrSvg)
            .WithSummary("A unit's Digital Link as a QR code (SVG)")
            .WithDescription($"size as for qr.png. SVG scales without loss for print.")
            .Produces(StatusCodes.Status200OK, contentType: "image/svg+xml")
            .Allow(Readers, Roles.Processor, Roles.Distributor, Roles.Regulator, Roles.Admin)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> GetLabels(string id, HttpContext http, LotStore store, CancellationToken cancellationToken)
    {
        var lot = store.Find(id);
        if (lot is null || !CanRead(http, lot))
        {
            return (lot is null ? Refusal.NotFound(Noun.Lot, id) : CommonRefusals.OtherOrganisations(Noun.Lot)).ToProblem();
        }

        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"labels-{lot.Code}.csv\"";
        await using var writer = new StreamWriter(http.Response.Body, new System.Text.UTF8Encoding(false));
        await store.WriteLabelsCsvAsync(lot, DigitalLinks.BaseUrl(http), writer, cancellationToken);
        return TypedResults.Empty;
    }

    private static Results<FileContentHttpResult, ProblemHttpResult> GetQrPng(string serial, int? size, HttpContext http, LotStore store) =>
        UnitLink(serial, size, http, store, out var link, out var pixels) is { } refusal
            ? refusal.ToProblem()
            : TypedResults.File(QrCodes.Png(link, pixels), "image/png");

    private static Results<ContentHttpResult, ProblemHttpResult> GetQrSvg(string serial, int? size, HttpContext http, LotStore store) =>
        UnitLink(serial, size, http, store, out var link, out var pixels) is { } refusal
            ? refusal.ToProblem()
            : TypedResults.Text(QrCodes.Svg(link, pixels), "image/svg+xml");

    private static Refusal? UnitLink(string serial, int? size, HttpContext http, LotStore store, out string link, out int pixels)
    {
        link = "";
        pixels = size ?? QrCodes.DefaultSize;
        if (pixels is < QrCodes.MinSize or > QrCodes.MaxSize)
        {
            return CommonRefusals.QrSize(QrCodes.MinSize, QrCodes.MaxSize);
        }

        var lot = store.FindLotOfUnit(serial);
        if (lot is null)
        {
            return Refusal.NotFound(Noun.Unit, serial);
        }

        if (!CanRead(http, lot))
        {
            return LotRefusals.OtherOrganisationsUnit();
        }

        link = DigitalLinks.Unit(DigitalLinks.BaseUrl(http), lot.Gtin, lot.Code, serial);
        return null;
    }

    private static async Task<Results<Created<LotResponse>, ProblemHttpResult>> CreateLot(
        CreateLotRequest request, HttpContext http, LotStore store, CancellationToken cancellationToken)
    {
        var reply = Reply.Created<LotResponse>(http, lot => $"/api/lots/{lot.Id}");
        var result = await store.CreateAsync(Caller.From(http.User), request, DigitalLinks.BaseUrl(http), reply, cancellationToken);
        return result.ToCreated(reply);
    }

    private static Results<Ok<LotResponse>, ProblemHttpResult> GetLot(string id, HttpContext http, LotStore store)
    {
        var lot = store.Find(id);
        return lot is null ? Refusal.NotFound(Noun.Lot, id).ToProblem()
            : CanRead(http, lot) ? TypedResults.Ok(lot.ToResponse(DigitalLinks.BaseUrl(http)))
            : CommonRefusals.OtherOrganisations(Noun.Lot).ToProblem();
    }

    private static Results<Ok<UnitPage>, ProblemHttpResult> GetUnits(string id, int? offset, int? limit, HttpContext http, LotStore store)
    {
        if (offset is < 0 || limit is < 1 or > 1000)
        {
            return CommonRefusals.Paging(1000).ToProblem();
        }

        var lot = store.Find(id);
        return lot is null ? Refusal.NotFound(Noun.Lot, id).ToProblem()
            : CanRead(http, lot) ? TypedResults.Ok(store.Units(lot, offset ?? 0, limit ?? 100, DigitalLinks.BaseUrl(http)))
            : CommonRefusals.OtherOrganisations(Noun.Lot).ToProblem();
    }

    private static bool CanRead(HttpContext http, LotStore.LotRow lot)
    {
        var caller = Caller.From(http.User);
        return caller.IsAdmin || caller.IsRegulator || caller.OrgId == lot.OrgId || caller.OrgId == lot.FactoryOrgId;
    }
}
