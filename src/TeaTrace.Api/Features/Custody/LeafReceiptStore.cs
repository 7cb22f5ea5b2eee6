using Dapper;
using Microsoft.Extensions.Options;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Idempotency;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Custody;

/// <summary>
/// The buyer's side of a hand-over: a load weighed and received at the gate (or rejected there), and corrections of
/// a received weight. A receipt is what lets a factory draw the leaf into its batches.
/// </summary>
internal sealed class LeafReceiptStore(SqliteConnectionFactory connections, ILedgerWriter writer, IOptionsMonitor<CustodyOptions> options)
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(10);

    private const string InsertReceipt = """
        INSERT INTO leaf_receipts (id, sale_id, received_at, received_g, corrects_receipt_id, org_id, key_id, created_at)
        VALUES (@Id, @SaleId, @ReceivedAt, @ReceivedG, @CorrectsReceiptId, @OrgId, @KeyId, @CreatedAt)
        """;

    private const string InsertReceiptLine = "INSERT INTO leaf_receipt_lines (receipt_id, harvest_id, leaf_g) VALUES (@ReceiptId, @HarvestId, @LeafG)";

    private const string SelectSaleLines = """
        SELECT l.harvest_id, h.code AS harvest_code, l.leaf_g FROM leaf_sale_lines l JOIN harvests h ON h.id = l.harvest_id
        WHERE l.sale_id = @SaleId ORDER BY l.leaf_g DESC, h.code
        """;

    private const string CurrentReceipt = """
        SELECT r.id FROM leaf_receipts r
        WHERE r.sale_id = @SaleId AND NOT EXISTS (SELECT 1 FROM leaf_receipts c WHERE c.corrects_receipt_id = r.id)
        """;

    private const string EndOf = "SELECT kind FROM leaf_sale_ends WHERE sale_id = @SaleId";

    private const string InsertEnd = """
        INSERT INTO leaf_sale_ends (sale_id, kind, reason, ended_at, org_id, key_id, created_at)
        VALUES (@SaleId, @Kind, @Reason, @EndedAt, @OrgId, @KeyId, @CreatedAt)
        """;

    private const string SelectDay = """
        SELECT r.id AS receipt_id, s.certificate_no, so.name AS seller_name, s.basis, r.received_at, s.leaf_g AS sold_g,
               r.received_g, s.price_per_kg_fen, r.corrects_receipt_id, s.id AS sale_id
        FROM leaf_receipts r
        JOIN leaf_sales s ON s.id = r.sale_id
        JOIN orgs so ON so.id = s.seller_org_id
        WHERE s.buyer_org_id = @OrgId AND r.received_at >= @From AND r.received_at < @To
          AND NOT EXISTS (SELECT 1 FROM leaf_receipts c WHERE c.corrects_receipt_id = r.id)
        ORDER BY r.received_at, r.created_at, r.id
        """;

    private const string SelectHarvestCodes = """
        SELECT h.code FROM leaf_sale_lines l JOIN harvests h ON h.id = l.harvest_id WHERE l.sale_id = @SaleId ORDER BY h.code
        """;

    private sealed class LineRow
    {
        public string HarvestId { get; init; } = "";
        public string HarvestCode { get; init; } = "";
        public long LeafG { get; init; }
    }

    private sealed class DayRow
    {
        public string ReceiptId { get; init; } = "";
        public string CertificateNo { get; init; } = "";
        public string SellerName { get; init; } = "";
        public string Basis { get; init; } = "";
        public DateTimeOffset ReceivedAt { get; init; }
        public long SoldG { get; init; }
        public long ReceivedG { get; init; }
        public long? PricePerKgFen { get; init; }
        public string? CorrectsReceiptId { get; init; }
        public string SaleId { get; init; } = "";
    }

    /// <summary>A factory's processor receives for its factory, a cooperative's farmer for its cooperative; admins for anyone.</summary>
    private static Refusal? MayTakeFor(Caller caller, CertificateReads.SaleRow sale)
    {
        if (!caller.ActsFor(sale.BuyerOrgId))
        {
            return CustodyRefusals.NotTheBuyer();
        }

        var fits = caller.IsAdmin || (caller.Role == Roles.Processor && sale.BuyerKind == "factory") || (caller.Role == Roles.Farmer && sale.BuyerKind == "cooperative");
        return fits ? null : CustodyRefusals.WrongRoleForBuyer();
    }

    public Task<WriteResult<LeafReceiptResponse>> ReceiveAsync(Caller caller, LeafReceiptRequest request, Reply<LeafReceiptResponse>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => Receive(tx, caller, request), reply, cancellationToken);

    private WriteResult<LeafReceiptResponse> Receive(LedgerTransaction tx, Caller caller, LeafReceiptRequest request)
    {
        var receivedAt = request.ReceivedAt!.Value;
        if (receivedAt > tx.Now + ClockSkew)
        {
            return CommonRefusals.InTheFuture("receivedAt");
        }

        var sale = CertificateNumbers.Normalize(request.CertificateNo) is { } number ? CertificateReads.Sale(tx.Connection, tx.Transaction, number) : null;
        if (sale is null)
        {
            return Refusal.NotFound(Noun.Certificate, request.CertificateNo);
        }

        if (MayTakeFor(caller, sale) is { } refused)
        {
            return refused;
        }

        if (tx.ExecuteScalar<string>(EndOf, new { SaleId = sale.Id }) is { } kind)
        {
            return CustodyRefusals.Ended(sale.CertificateNo, kind);
        }

        var current = tx.ExecuteScalar<string>(CurrentReceipt, new { SaleId = sale.Id });
        if (request.CorrectsReceiptId is null && current is not null)
        {
            return CustodyRefusals.AlreadyReceived(sale.CertificateNo);
        }

        if (request.CorrectsReceiptId is not null)
        {
            if (current is null)
            {
                return CustodyRefusals.NothingToCorrect(sale.CertificateNo);
            }

            if (request.CorrectsReceiptId != current)
            {
                return CustodyRefusals.NotTheCurrentReceipt(request.CorrectsReceiptId, current);
            }
        }

        if (receivedAt < sale.SoldAt)
        {
            return CustodyRefusals.ReceivedBeforeSold();
        }

        var receivedG = Weight.ToGrams(request.ReceivedKg!.Value);
        var soldKg = Weight.ToKg(sale.LeafG);
        if (receivedG > sale.LeafG)
        {
            return CustodyRefusals.ReceivedMoreThanSold(request.ReceivedKg.Value, soldKg);
        }

        var lossPct = options.CurrentValue.TransitLossPct;
        var leastG = (long)Math.Ceiling(sale.LeafG * (100.0 - lossPct) / 100.0);
        if (receivedG < leastG)
        {
            return CustodyRefusals.TooMuchLost(request.ReceivedKg.Value, soldKg, lossPct, Weight.ToKg(leastG));
        }

        // The received weight is shared over the load's harvests in proportion to what each sold; the grams that
        // rounding leaves over go to the largest line.
        var lines = tx.Query<LineRow>(SelectSaleLines, new { SaleId = sale.Id }).ToList();
        var shares = lines.Select(l => (Line: l, Grams: (long)Math.Floor((decimal)receivedG * l.LeafG / sale.LeafG))).ToList();
        var over = receivedG - shares.Sum(s => s.Grams);
        shares[0] = (shares[0].Line, shares[0].Grams + over);

        var id = Ids.New("lr");
        tx.Execute(InsertReceipt, new
        {
            Id = id,
            SaleId = sale.Id,
            ReceivedAt = receivedAt,
            ReceivedG = receivedG,
            request.CorrectsReceiptId,
            OrgId = sale.BuyerOrgId,
            caller.KeyId,
            CreatedAt = tx.Now,
        });
        foreach (var (line, grams) in shares)
        {
            tx.Execute(InsertReceiptLine, new { ReceiptId = id, line.HarvestId, LeafG = grams });
        }

        var response = new LeafReceiptResponse(id, sale.CertificateNo, sale.BuyerOrgId, receivedAt, request.ReceivedKg.Value, soldKg, request.CorrectsReceiptId,
            shares.Select(s => new ReceiptLine(s.Line.HarvestId, s.Line.HarvestCode, Weight.ToKg(s.Grams))).ToList());
        tx.Append(EntryTypes.LeafReceived, id, caller, new
        {
            response.Id,
            SaleId = sale.Id,
            response.CertificateNo,
            response.BuyerOrgId,
            SellerOrgId = sale.SellerOrgId,
            response.ReceivedAt,
            response.ReceivedKg,
            response.SoldKg,
            response.CorrectsReceiptId,
            response.Harvests,
        }, sale.SellerOrgId);
        return response;
    }

    public Task<WriteResult<CertificateResponse>> RejectAsync(Caller caller, LeafRejectionRequest request, string baseUrl, Reply<CertificateResponse>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => Reject(tx, caller, request, baseUrl), reply, cancellationToken);

    private static WriteResult<CertificateResponse> Reject(LedgerTransaction tx, Caller caller, LeafRejectionRequest request, string baseUrl)
    {
        var rejectedAt = request.RejectedAt ?? tx.Now;
        if (rejectedAt > tx.Now + ClockSkew)
        {
            return CommonRefusals.InTheFuture("rejectedAt");
        }

        var sale = CertificateNumbers.Normalize(request.CertificateNo) is { } number ? CertificateReads.Sale(tx.Connection, tx.Transaction, number) : null;
        if (sale is null)
        {
            return Refusal.NotFound(Noun.Certificate, request.CertificateNo);
        }

        if (MayTakeFor(caller, sale) is { } refused)
        {
            return refused;
        }

        if (tx.ExecuteScalar<string>(EndOf, new { SaleId = sale.Id }) is { } kind)
        {
            return CustodyRefusals.Ended(sale.CertificateNo, kind);
        }

        if (tx.ExecuteScalar<string>(CurrentReceipt, new { SaleId = sale.Id }) is not null)
        {
            return CustodyRefusals.ReceivedCannotEnd(sale.CertificateNo);
        }

        if (rejectedAt < sale.SoldAt)
        {
            return CustodyRefusals.RejectedBeforeSold();
        }

        tx.Execute(InsertEnd, new { SaleId = sale.Id, Kind = "rejected", request.Reason, EndedAt = rejectedAt, OrgId = sale.BuyerOrgId, caller.KeyId, CreatedAt = tx.Now });
        tx.Append(EntryTypes.LeafRejected, sale.Id, caller, new { SaleId = sale.Id, sale.CertificateNo, sale.BuyerOrgId, sale.SellerOrgId, request.Reason, RejectedAt = rejectedAt }, sale.SellerOrgId);
        return CertificateReads.Certificate(tx.Connection, tx.Transaction, sale.CertificateNo, baseUrl)!;
    }

    /// <summary>The buyer's purchase ledger (收购台账) for one day in Asia/Shanghai: the receipts that count, with totals.</summary>
    public PurchaseLedgerResponse Day(string orgId, string orgName, DateOnly day)
    {
        using var connection = connections.Open();
        // Stored times are in Asia/Shanghai and sort as text: the day's receipts lie between its date and the next.
        var rows = connection.Query<DayRow>(SelectDay, new { OrgId = orgId, From = TypeHandlers.Format(day), To = TypeHandlers.Format(day.AddDays(1)) }).ToList();
        var receipts = rows.Select(r => new PurchaseLedgerRow(
            r.ReceiptId,
            r.CertificateNo,
            r.SellerName,
            r.Basis,
            r.ReceivedAt,
            Weight.ToKg(r.SoldG),
            Weight.ToKg(r.ReceivedG),
            r.PricePerKgFen is { } fen ? fen / 100m : null,
            connection.Query<string>(SelectHarvestCodes, new { r.SaleId }).ToList(),
            r.CorrectsReceiptId)).ToList();
        return new PurchaseLedgerResponse(orgId, orgName, day, receipts, receipts.Sum(r => r.SoldKg), receipts.Sum(r => r.ReceivedKg), receipts.Count);
    }
}
