using System.Text;
using Dapper;
using Microsoft.Extensions.Options;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Features.Lots;
using TeaTrace.Api.Features.Orgs;
using TeaTrace.Api.Features.Processing;
using TeaTrace.Api.Features.Recalls;
using TeaTrace.Api.Idempotency;
using TeaTrace.Api.Ledger;
using TeaTrace.Ledger;

namespace TeaTrace.Api.Features.Custody;

/// <summary>
/// Made tea and packed tins leaving the factory for a shop: the shipment with its delivery note (the giver's record)
/// and the shop's receipt (the taker's record). A shop packs only made tea it received, and sells only tins it received.
/// </summary>
internal sealed class ShipmentStore(SqliteConnectionFactory connections, ILedgerWriter writer, IOptionsMonitor<CustodyOptions> options)
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(10);

    private const string InsertShipment = """
        INSERT INTO shipments (id, note_no, from_org_id, to_org_id, batch_id, lot_id, tea_g, units, shipped_at, key_id, created_at)
        VALUES (@Id, @NoteNo, @FromOrgId, @ToOrgId, @BatchId, @LotId, @TeaG, @Units, @ShippedAt, @KeyId, @CreatedAt)
        """;

    private const string InsertShipmentUnit = "INSERT INTO shipment_units (serial, shipment_id) VALUES (@Serial, @ShipmentId)";

    private const string NumberTaken = "SELECT EXISTS (SELECT 1 FROM shipments WHERE note_no = @Code)";

    private const string InsertReceipt = """
        INSERT INTO shipment_receipts (id, shipment_id, received_at, received_g, received_units, note, org_id, key_id, created_at)
        VALUES (@Id, @ShipmentId, @ReceivedAt, @ReceivedG, @ReceivedUnits, @Note, @OrgId, @KeyId, @CreatedAt)
        """;

    // The tins counted in are the shipment's first in packing order; a shortfall is the last tins of the note.
    private const string SelectShippedSerials = """
        SELECT su.serial FROM shipment_units su JOIN units u ON u.serial = su.serial WHERE su.shipment_id = @ShipmentId ORDER BY u.seq LIMIT @Limit
        """;

    private const string InsertReceivedUnit = "INSERT INTO shipment_received_units (serial, receipt_id) VALUES (@Serial, @ReceiptId)";

    public Task<WriteResult<ShipmentResponse>> SendAsync(Caller caller, CreateShipmentRequest request, string baseUrl, Reply<ShipmentResponse>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => Send(tx, caller, request, baseUrl), reply, cancellationToken);

    private static WriteResult<ShipmentResponse> Send(LedgerTransaction tx, Caller caller, CreateShipmentRequest request, string baseUrl)
    {
        var shippedAt = request.ShippedAt!.Value;
        if (shippedAt > tx.Now + ClockSkew)
        {
            return CommonRefusals.InTheFuture("shippedAt");
        }

        if ((request.BatchId is null) == (request.LotId is null))
        {
            return ShipmentRefusals.BatchOrLot();
        }

        if (request.BatchId is not null)
        {
            if (request.Units is not null)
            {
                return ShipmentRefusals.MadeTeaHasNoUnits();
            }

            if (request.Kg is null)
            {
                return ShipmentRefusals.KgNeeded();
            }
        }
        else
        {
            if (request.Kg is not null)
            {
                return ShipmentRefusals.TinsHaveNoKg();
            }

            if (request.Units is null)
            {
                return ShipmentRefusals.UnitsNeeded();
            }
        }

        var receiver = OrgReads.Find(tx, request.ToOrgId);
        if (receiver is null)
        {
            return Refusal.NotFound(Noun.Organisation, request.ToOrgId);
        }

        string shipperId;
        string batchId;
        long teaG;
        IReadOnlyList<string> serials = [];
        if (request.BatchId is not null)
        {
            var batch = BatchReads.ForPacking(tx, request.BatchId);
            if (batch is null)
            {
                return Refusal.NotFound(Noun.Batch, request.BatchId);
            }

            if (!caller.ActsFor(batch.FactoryOrgId))
            {
                return ShipmentRefusals.NotTheShipper();
            }

            if (!batch.IsCompleted)
            {
                return ShipmentRefusals.BatchNotCompleted(batch.Code);
            }

            if (RecallReads.ReachingBatch(tx, batch.Id) is { } recallId)
            {
                return ShipmentRefusals.RecalledBatch(batch.Id, batch.Code, recallId);
            }

            if (receiver.Kind != "distributor")
            {
                return ShipmentRefusals.ReceiverNotADistributor(receiver.Name, receiver.Kind);
            }

            if (shippedAt < batch.CompletedAt!.Value)
            {
                return ShipmentRefusals.ShippedBeforeMade(batch.CompletedAt.Value);
            }

            teaG = Weight.ToGrams(request.Kg!.Value);
            var holding = MadeTeaHoldings.Of(tx.Connection, tx.Transaction, batch.FactoryOrgId, batch.Id);
            if (teaG > holding.LeftG)
            {
                return ShipmentRefusals.NotEnoughMadeTea(batch.Id, batch.Code, Weight.ToKg(Math.Max(0, holding.LeftG)), request.Kg.Value);
            }

            (shipperId, batchId) = (batch.FactoryOrgId, batch.Id);
        }
        else
        {
            var lot = LotReads.ForShipping(tx, request.LotId!);
            if (lot is null)
            {
                return Refusal.NotFound(Noun.Lot, request.LotId!);
            }

            if (!caller.ActsFor(lot.OrgId))
            {
                return ShipmentRefusals.NotTheShipper();
            }

            if (RecallReads.ReachingLot(tx, lot.Id) is { } recallId)
            {
                return ShipmentRefusals.RecalledLot(lot.Id, lot.Code, recallId);
            }

            if (receiver.Kind != "distributor" || receiver.Id == lot.OrgId)
            {
                return ShipmentRefusals.ReceiverNotADistributor(receiver.Name, receiver.Kind);
            }

            if (ChinaTime.DateOf(shippedAt) < lot.PackedOn)
            {
                return ShipmentRefusals.ShippedBeforePacked(lot.PackedOn);
            }

            var units = request.Units!.Value;
            serials = TinHoldings.Unsold(tx.Connection, tx.Transaction, lot.Id, lot.OrgId, lot.OrgId, units);
            if (serials.Count < units)
            {
                return ShipmentRefusals.NotEnoughUnits(lot.Id, lot.Code, serials.Count, units);
            }

            (shipperId, batchId, teaG) = (lot.OrgId, lot.BatchId, (long)lot.NetWeightG * units);
        }

        var id = Ids.New("shp");
        var number = UniqueCodes.Draw(tx, NumberTaken, CertificateNumbers.Mint);
        tx.Execute(InsertShipment, new
        {
            Id = id,
            NoteNo = number,
            FromOrgId = shipperId,
            ToOrgId = receiver.Id,
            BatchId = batchId,
            request.LotId,
            TeaG = teaG,
            request.Units,
            ShippedAt = shippedAt,
            caller.KeyId,
            CreatedAt = tx.Now,
        });
        if (serials.Count > 0)
        {
            tx.Connection.Execute(InsertShipmentUnit, serials.Select(s => new { Serial = s, ShipmentId = id }), tx.Transaction);
        }

        var shipment = ShipmentReads.Shipment(tx.Connection, tx.Transaction, id, baseUrl)!;
        tx.Append(EntryTypes.ShipmentSent, id, caller, new
        {
            shipment.Id,
            shipment.NoteNo,
            shipment.Kind,
            FromOrgId = shipperId,
            ToOrgId = receiver.Id,
            shipment.BatchId,
            shipment.BatchCode,
            shipment.LotId,
            shipment.LotCode,
            shipment.Gtin,
            shipment.Kg,
            shipment.Units,
            shipment.ShippedAt,
            // Commits to every tin shipped without listing them: an RFC 9162 root over their serials in packing order.
            SerialsRoot = serials.Count > 0 ? SerialsRoot(serials) : null,
        }, receiver.Id);
        return shipment;
    }

    public Task<WriteResult<ShipmentReceiptResponse>> ReceiveAsync(Caller caller, string shipmentId, ShipmentReceiptRequest request, Reply<ShipmentReceiptResponse>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => Receive(tx, caller, shipmentId, request), reply, cancellationToken);

    private WriteResult<ShipmentReceiptResponse> Receive(LedgerTransaction tx, Caller caller, string shipmentId, ShipmentReceiptRequest request)
    {
        var receivedAt = request.ReceivedAt!.Value;
        if (receivedAt > tx.Now + ClockSkew)
        {
            return CommonRefusals.InTheFuture("receivedAt");
        }

        var shipment = ShipmentReads.Row(tx.Connection, tx.Transaction, shipmentId);
        if (shipment is null)
        {
            return Refusal.NotFound(ShipmentRefusals.Shipment, shipmentId);
        }

        if (!caller.ActsFor(shipment.ToOrgId))
        {
            return ShipmentRefusals.NotTheReceiver();
        }

        if (ShipmentReads.IsReceived(tx.Connection, tx.Transaction, shipment.Id))
        {
            return ShipmentRefusals.AlreadyReceived(shipment.NoteNo);
        }

        if (receivedAt < shipment.ShippedAt)
        {
            return ShipmentRefusals.ReceivedBeforeShipped();
        }

        var shippedKg = Weight.ToKg(shipment.TeaG);
        long receivedG;
        int? receivedUnits = null;
        if (!shipment.IsTins)
        {
            if (request.ReceivedUnits is not null)
            {
                return ShipmentRefusals.MadeTeaIsWeighed();
            }

            if (request.ReceivedKg is not { } receivedKg)
            {
                return ShipmentRefusals.ReceivedKgNeeded();
            }

            receivedG = Weight.ToGrams(receivedKg);
            if (receivedG > shipment.TeaG)
            {
                return ShipmentRefusals.ReceivedMoreThanShipped(receivedKg, shippedKg);
            }

            var lossPct = options.CurrentValue.MadeTeaLossPct;
            var leastG = (long)Math.Ceiling(shipment.TeaG * (100.0 - lossPct) / 100.0);
            if (receivedG < leastG)
            {
                return ShipmentRefusals.TooMuchLost(receivedKg, shippedKg, lossPct, Weight.ToKg(leastG));
            }
        }
        else
        {
            if (request.ReceivedKg is not null)
            {
                return ShipmentRefusals.TinsAreCounted();
            }

            var shippedUnits = (int)shipment.Units!.Value;
            receivedUnits = request.ReceivedUnits ?? shippedUnits;
            if (receivedUnits > shippedUnits)
            {
                return ShipmentRefusals.ReceivedMoreUnitsThanShipped(receivedUnits.Value, shippedUnits);
            }

            receivedG = shipment.NetWeightG!.Value * receivedUnits.Value;
        }

        var note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim();
        var id = Ids.New("shr");
        tx.Execute(InsertReceipt, new
        {
            Id = id,
            ShipmentId = shipment.Id,
            ReceivedAt = receivedAt,
            ReceivedG = receivedG,
            ReceivedUnits = receivedUnits,
            Note = note,
            OrgId = shipment.ToOrgId,
            caller.KeyId,
            CreatedAt = tx.Now,
        });
        List<string> serials = [];
        if (receivedUnits is { } count)
        {
            serials = tx.Query<string>(SelectShippedSerials, new { ShipmentId = shipment.Id, Limit = count }).ToList();
            tx.Connection.Execute(InsertReceivedUnit, serials.Select(s => new { Serial = s, ReceiptId = id }), tx.Transaction);
        }

        var response = new ShipmentReceiptResponse(id, shipment.Id, shipment.NoteNo, shipment.ToOrgId, receivedAt, Weight.ToKg(receivedG), receivedUnits,
            shippedKg, (int?)shipment.Units, note);
        tx.Append(EntryTypes.ShipmentReceived, id, caller, new
        {
            response.Id,
            response.ShipmentId,
            response.NoteNo,
            response.ReceiverOrgId,
            ShipperOrgId = shipment.FromOrgId,
            response.ReceivedAt,
            response.ReceivedKg,
            response.ReceivedUnits,
            response.ShippedKg,
            response.ShippedUnits,
            response.Note,
            SerialsRoot = serials.Count > 0 ? SerialsRoot(serials) : null,
        }, shipment.FromOrgId);
        return response;
    }

    private static string SerialsRoot(IReadOnlyList<string> serials) =>
        Convert.ToHexStringLower(Rfc9162.RootHash(serials.Select(s => Rfc9162.HashLeaf(Encoding.UTF8.GetBytes(s))).ToList()));

    /// <summary>The shipment by its id or delivery-note number; null when there is none.</summary>
    public ShipmentResponse? Find(string idOrNumber, string baseUrl)
    {
        using var connection = connections.Open();
        return ShipmentReads.Shipment(connection, null, idOrNumber, baseUrl);
    }
}
