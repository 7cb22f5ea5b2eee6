using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Features.Gardens;
using TeaTrace.Api.Features.Orgs;
using TeaTrace.Api.Features.Recalls;
using TeaTrace.Api.Features.Residues;
using TeaTrace.Api.Idempotency;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Custody;

/// <summary>
/// Sales of fresh leaf, each issuing the 承诺达标合格证 that travels with the load, and the issuer's void of one not
/// yet received. A sale takes only leaf the seller holds, never more than it has unsold.
/// </summary>
internal sealed class LeafSaleStore(SqliteConnectionFactory connections, ILedgerWriter writer, IOptionsMonitor<CustodyOptions> options, IOptionsMonitor<ResidueOptions> residues)
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(10);

    private const string InsertSale = """
        INSERT INTO leaf_sales (id, certificate_no, seller_org_id, buyer_org_id, sold_at, basis, leaf_g, price_per_kg_fen,
                                residue_test_ids, commitment, minted_offline, key_id, created_at)
        VALUES (@Id, @CertificateNo, @SellerOrgId, @BuyerOrgId, @SoldAt, @Basis, @LeafG, @PricePerKgFen,
                @ResidueTestIds, @Commitment, @MintedOffline, @KeyId, @CreatedAt)
        """;

    private const string InsertLine = "INSERT INTO leaf_sale_lines (sale_id, harvest_id, leaf_g) VALUES (@SaleId, @HarvestId, @LeafG)";

    private const string NumberTaken = "SELECT EXISTS (SELECT 1 FROM leaf_sales WHERE certificate_no = @Code)";

    private const string InsertEnd = """
        INSERT INTO leaf_sale_ends (sale_id, kind, reason, ended_at, org_id, key_id, created_at)
        VALUES (@SaleId, @Kind, @Reason, @EndedAt, @OrgId, @KeyId, @CreatedAt)
        """;

    private const string EndOf = "SELECT kind FROM leaf_sale_ends WHERE sale_id = @SaleId";

    private const string SelectBuyers = "SELECT id AS org_id, name, kind, town FROM orgs WHERE kind IN ('factory', 'cooperative') AND id <> @OrgId ORDER BY kind DESC, name";

    private const string AnyReceipt = "SELECT EXISTS (SELECT 1 FROM leaf_receipts WHERE sale_id = @SaleId)";

    public Task<WriteResult<LeafSaleResponse>> CreateAsync(Caller caller, CreateLeafSaleRequest request, string baseUrl, Reply<LeafSaleResponse>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => Create(tx, caller, request, baseUrl), reply, cancellationToken);

    private WriteResult<LeafSaleResponse> Create(LedgerTransaction tx, Caller caller, CreateLeafSaleRequest request, string baseUrl)
    {
        var soldAt = request.SoldAt!.Value;
        if (soldAt > tx.Now + ClockSkew)
        {
            return CommonRefusals.InTheFuture("soldAt");
        }

        string? offlineNumber = null;
        if (request.CertificateNo is not null)
        {
            offlineNumber = CertificateNumbers.Normalize(request.CertificateNo);
            if (offlineNumber is null)
            {
                return CustodyRefusals.CertificateNumberShape();
            }
        }

        var testIds = (request.ResidueTestIds ?? []).Distinct(StringComparer.Ordinal).ToList();
        if (request.Basis != "control" && testIds.Count == 0)
        {
            return CustodyRefusals.TestsNeeded(request.Basis);
        }

        var duplicate = request.Harvests.GroupBy(h => h.HarvestId).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            return CustodyRefusals.HarvestListedTwice(duplicate.Key);
        }

        var buyer = OrgReads.Find(tx, request.BuyerOrgId);
        if (buyer is null)
        {
            return Refusal.NotFound(Noun.Organisation, request.BuyerOrgId);
        }

        var harvests = new List<(HarvestForBatch Harvest, long Grams)>();
        foreach (var line in request.Harvests)
        {
            var harvest = HarvestReads.ForBatch(tx, line.HarvestId);
            if (harvest is null)
            {
                return Refusal.NotFound(Noun.Harvest, line.HarvestId);
            }

            harvests.Add((harvest, Weight.ToGrams(line.Kg!.Value)));
        }

        // The seller is the caller's organisation; an admin sells for the organisation that grew the first harvest.
        var sellerId = caller.IsAdmin ? harvests[0].Harvest.OrgId : caller.OrgId;
        var seller = OrgReads.Find(tx, sellerId);
        if (seller is null)
        {
            return Refusal.NotFound(Noun.Organisation, sellerId);
        }

        if (seller.Kind is not ("farm" or "cooperative"))
        {
            return CustodyRefusals.SellerCannotSell(seller.Name, seller.Kind);
        }

        if (buyer.Kind is not ("factory" or "cooperative"))
        {
            return CustodyRefusals.BuyerNotAFactoryOrCooperative(buyer.Name, buyer.Kind);
        }

        if (buyer.Id == seller.Id)
        {
            return CustodyRefusals.SellingToItself();
        }

        foreach (var (harvest, grams) in harvests)
        {
            var holding = LeafHoldings.Of(tx.Connection, tx.Transaction, seller.Id, harvest.Id);
            if (holding.CameG == 0)
            {
                return CustodyRefusals.SellOwnLeafOnly();
            }

            if (grams > holding.LeftG)
            {
                return CustodyRefusals.NotEnoughUnsold(harvest.Id, harvest.Code, Weight.ToKg(Math.Max(0, holding.LeftG)), Weight.ToKg(grams));
            }

            if (RecallReads.OfHarvest(tx, harvest.Id) is { } recallId)
            {
                return CustodyRefusals.RecalledLeaf(harvest.Id, harvest.Code, recallId);
            }

            if (ChinaTime.DateOf(soldAt) < harvest.PickedOn)
            {
                return CustodyRefusals.SoldBeforePicked(harvest.Code, harvest.PickedOn);
            }
        }

        // 用什么药、检什么药: each plot of the load, as picked, must pass on the sale's basis (and no plot's latest test may have failed).
        if (ResidueBasis.FirstUnknown(tx, testIds) is { } unknownTest)
        {
            return Refusal.NotFound(ResidueRefusals.ResidueTest, unknownTest);
        }

        foreach (var (plotId, pickedOn) in harvests.Select(h => (h.Harvest.PlotId, h.Harvest.PickedOn)).Distinct())
        {
            if (ResidueBasis.Check(tx, residues.CurrentValue, plotId, pickedOn, request.Basis, testIds) is { } untested)
            {
                return untested;
            }
        }

        string number;
        if (offlineNumber is not null)
        {
            if (tx.ExecuteScalar<bool>(NumberTaken, new { Code = offlineNumber }))
            {
                return CustodyRefusals.CertificateNumberTaken(offlineNumber);
            }

            number = offlineNumber;
        }
        else
        {
            number = UniqueCodes.Draw(tx, NumberTaken, CertificateNumbers.Mint);
        }

        var settings = options.CurrentValue;
        var commitment = new CertificateReads.StoredCommitment(settings.CommitmentVersion, settings.EffectiveItems);
        var id = Ids.New("ls");
        tx.Execute(InsertSale, new
        {
            Id = id,
            CertificateNo = number,
            SellerOrgId = seller.Id,
            BuyerOrgId = buyer.Id,
            SoldAt = soldAt,
            request.Basis,
            LeafG = harvests.Sum(h => h.Grams),
            PricePerKgFen = request.PricePerKgCny is { } price ? (long?)decimal.ToInt64(decimal.Round(price * 100m)) : null,
            ResidueTestIds = JsonSerializer.Serialize(testIds),
            Commitment = JsonSerializer.Serialize(commitment, JsonSerializerOptions.Web),
            MintedOffline = offlineNumber is not null,
            caller.KeyId,
            CreatedAt = tx.Now,
        });
        foreach (var (harvest, grams) in harvests)
        {
            tx.Execute(InsertLine, new { SaleId = id, HarvestId = harvest.Id, LeafG = grams });
        }

        var certificate = CertificateReads.Certificate(tx.Connection, tx.Transaction, number, baseUrl)!;
        tx.Append(EntryTypes.LeafSold, id, caller, new
        {
            Id = id,
            CertificateNo = number,
            SellerOrgId = seller.Id,
            BuyerOrgId = buyer.Id,
            SoldAt = soldAt,
            request.Basis,
            ResidueTestIds = testIds,
            certificate.Kg,
            Harvests = certificate.Harvests.Select(h => new { h.HarvestId, h.HarvestCode, h.Kg }),
            Commitment = commitment,
            certificate.Origin,
            request.PricePerKgCny,
            certificate.Contact,
        }, buyer.Id);
        return new LeafSaleResponse(id, number, request.PricePerKgCny, certificate);
    }

    public Task<WriteResult<CertificateResponse>> VoidAsync(Caller caller, string typedNumber, ReasonRequest request, string baseUrl, Reply<CertificateResponse>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => Void(tx, caller, typedNumber, request, baseUrl), reply, cancellationToken);

    private static WriteResult<CertificateResponse> Void(LedgerTransaction tx, Caller caller, string typedNumber, ReasonRequest request, string baseUrl)
    {
        var sale = CertificateNumbers.Normalize(typedNumber) is { } number ? CertificateReads.Sale(tx.Connection, tx.Transaction, number) : null;
        if (sale is null)
        {
            return Refusal.NotFound(Noun.Certificate, typedNumber);
        }

        if (!caller.ActsFor(sale.SellerOrgId))
        {
            return CustodyRefusals.NotTheIssuer();
        }

        if (tx.ExecuteScalar<string>(EndOf, new { SaleId = sale.Id }) is { } kind)
        {
            return CustodyRefusals.Ended(sale.CertificateNo, kind);
        }

        if (tx.ExecuteScalar<bool>(AnyReceipt, new { SaleId = sale.Id }))
        {
            return CustodyRefusals.ReceivedCannotEnd(sale.CertificateNo);
        }

        tx.Execute(InsertEnd, new { SaleId = sale.Id, Kind = "voided", request.Reason, EndedAt = tx.Now, OrgId = sale.SellerOrgId, caller.KeyId, CreatedAt = tx.Now });
        tx.Append(EntryTypes.CertificateVoided, sale.Id, caller, new { SaleId = sale.Id, sale.CertificateNo, request.Reason, VoidedAt = tx.Now }, sale.BuyerOrgId);
        return CertificateReads.Certificate(tx.Connection, tx.Transaction, sale.CertificateNo, baseUrl)!;
    }

    /// <summary>The certificate by its number as typed or scanned; null when there is none.</summary>
    public CertificateResponse? Find(string typedNumber, string baseUrl)
    {
        if (CertificateNumbers.Normalize(typedNumber) is not { } number)
        {
            return null;
        }

        using var connection = connections.Open();
        return CertificateReads.Certificate(connection, null, number, baseUrl);
    }

    /// <summary>The certificate as anyone holding its number sees it, with the proof that the ledger holds its sale.</summary>
    public PublicCertificate? Public(string typedNumber, string baseUrl, LedgerApi.LedgerTree tree)
    {
        if (CertificateNumbers.Normalize(typedNumber) is not { } number)
        {
            return null;
        }

        using var connection = connections.Open();
        var certificate = CertificateReads.Certificate(connection, null, number, baseUrl);
        return certificate is null ? null : new PublicCertificate(certificate, CertificatePage.Proof(connection, tree, certificate.SaleId));
    }

    /// <summary>Who may buy fresh leaf from the caller's organisation: every factory and cooperative but itself.</summary>
    public IReadOnlyList<CertificateParty> Buyers(string callerOrgId)
    {
        using var connection = connections.Open();
        return connection.Query<CertificateParty>(SelectBuyers, new { OrgId = callerOrgId }).ToList();
    }
}
