using System.Data;
using System.Text;
using Dapper;
using Microsoft.Extensions.Options;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Features.Processing;
using TeaTrace.Api.Idempotency;
using TeaTrace.Api.Ledger;
using TeaTrace.Ledger;

namespace TeaTrace.Api.Features.Lots;

/// <summary>Sales lots: made tea packed into units, each with its own random serial.</summary>
internal sealed class LotStore(SqliteConnectionFactory connections, ILedgerWriter writer, TimeProvider clock, IOptionsMonitor<LotOptions> options)
{
    private const string InsertLot = """
        INSERT INTO lots (id, code, batch_id, org_id, gtin, product_name, net_weight_g, net_weight_reason, unit_count, packed_on, best_before, serials_root, created_at)
        VALUES (@Id, @Code, @BatchId, @OrgId, @Gtin, @ProductName, @NetWeightG, @NetWeightReason, @UnitCount, @PackedOn, @BestBefore, @SerialsRoot, @CreatedAt)
        """;

    private const string InsertUnit = "INSERT INTO units (serial, lot_id, seq) VALUES (@Serial, @LotId, @Seq) ON CONFLICT (serial) DO NOTHING";

    private const string SelectLot = """
        SELECT l.id, l.code, l.batch_id, l.org_id, l.gtin, l.product_name, l.net_weight_g, l.net_weight_reason, l.unit_count, l.packed_on, l.best_before,
               l.serials_root, l.created_at, b.claims_gi, b.factory_org_id
        FROM lots l JOIN batches b ON b.id = l.batch_id WHERE l.id = @Id
        """;

    private const string SelectUnits = "SELECT serial, seq, status FROM units WHERE lot_id = @LotId ORDER BY seq LIMIT @Limit OFFSET @Offset";

    private const string CodeExists = "SELECT EXISTS (SELECT 1 FROM lots WHERE code = @Code)";

    private const string FirstPackerOfGtin = "SELECT org_id FROM lots WHERE gtin = @Gtin ORDER BY created_at, id LIMIT 1";

    private const string UpdateSerialsRoot = "UPDATE lots SET serials_root = @SerialsRoot WHERE id = @Id";

    internal sealed record LotRow
    {
        public string Id { get; init; } = "";
        public string Code { get; init; } = "";
        public string BatchId { get; init; } = "";
        public string OrgId { get; init; } = "";
        public string Gtin { get; init; } = "";
        public string ProductName { get; init; } = "";
        public long NetWeightG { get; init; }
        public string? NetWeightReason { get; init; }
        public long UnitCount { get; init; }
        public DateOnly PackedOn { get; init; }
        public DateOnly? BestBefore { get; init; }
        public byte[] SerialsRoot { get; init; } = [];
        public DateTimeOffset CreatedAt { get; init; }
        public bool ClaimsGi { get; init; }
        public string FactoryOrgId { get; init; } = "";

        public LotResponse ToResponse(string baseUrl) => new(Id, Code, Gtin, (int)UnitCount, BatchId, OrgId, ProductName, (int)NetWeightG,
            NetWeightReason, PackedOn, BestBefore, ClaimsGi, DigitalLinks.Lot(baseUrl, Gtin, Code), Convert.ToHexStringLower(SerialsRoot), CreatedAt);
    }

    private const string SelectUnitLot = "SELECT lot_id FROM units WHERE serial = @Serial";

    /// <summary>The lot a serial was issued in; null for a serial never issued.</summary>
    public LotRow? FindLotOfUnit(string serial)
    {
        using var connection = connections.Open();
        var lotId = connection.ExecuteScalar<string>(SelectUnitLot, new { Serial = serial });
        return lotId is null ? null : connection.QuerySingleOrDefault<LotRow>(SelectLot, new { Id = lotId });
    }

    /// <summary>Every unit of a lot as serial,url lines for a label printer, streamed in packing order.</summary>
    public async Task WriteLabelsCsvAsync(LotRow lot, string baseUrl, TextWriter output, CancellationToken cancellationToken)
    {
        using var connection = connections.Open();
        await output.WriteLineAsync("serial,url");
        foreach (var serial in connection.Query<string>("SELECT serial FROM units WHERE lot_id = @LotId ORDER BY seq", new { LotId = lot.Id }, buffered: false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await output.WriteLineAsync($"{serial},{DigitalLinks.Unit(baseUrl, lot.Gtin, lot.Code, serial)}");
        }
    }

    private sealed class UnitRow
    {
        public string Serial { get; init; } = "";
        public long Seq { get; init; }
        public string Status { get; init; } = "";
    }

    public Task<WriteResult<LotResponse>> CreateAsync(Caller caller, CreateLotRequest request, string baseUrl, Reply<LotResponse>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => Create(tx, caller, request, baseUrl), reply, cancellationToken);

    private WriteResult<LotResponse> Create(LedgerTransaction tx, Caller caller, CreateLotRequest request, string baseUrl)
    {
        if (!Gtin.IsValid(request.Gtin))
        {
            return request.Gtin.All(char.IsAsciiDigit)
                ? LotRefusals.GtinCheckDigit(request.Gtin[..13], Gtin.CheckDigit(request.Gtin.AsSpan(0, 13)))
                : LotRefusals.GtinDigits();
        }

        var minNetWeightG = options.CurrentValue.MinNetWeightG;
        var netWeightReason = request.NetWeightG < minNetWeightG && !string.IsNullOrWhiteSpace(request.OverrideReason) ? request.OverrideReason.Trim() : null;
        if (request.NetWeightG < minNetWeightG && netWeightReason is null)
        {
            return LotRefusals.NetWeightTooSmall(request.NetWeightG!.Value, minNetWeightG);
        }

        var packedOn = request.PackedOn!.Value;
        if (packedOn > ChinaTime.Today(clock).AddDays(1))
        {
            return CommonRefusals.InTheFuture("packedOn");
        }

        if (request.BestBefore is { } bestBefore && bestBefore <= packedOn)
        {
            return LotRefusals.BestBeforeAfterPacking();
        }

        var batch = BatchReads.ForPacking(tx, request.BatchId);
        if (batch is null)
        {
            return Refusal.NotFound(Noun.Batch, request.BatchId);
        }

        // A factory packs its own batches; a distributor packs made tea it received; an admin packs for the factory.
        if (caller.Role == Roles.Processor && caller.OrgId != batch.FactoryOrgId)
        {
            return LotRefusals.OwnFactoryBatches();
        }

        if (!batch.IsCompleted)
        {
            return LotRefusals.BatchNotCompleted();
        }

        if (Recalls.RecallReads.ReachingBatch(tx, batch.Id) is { } recallId)
        {
            return LotRefusals.RecalledBatch(batch.Id, batch.Code, recallId);
        }

        if (packedOn < ChinaTime.DateOf(batch.CompletedAt!.Value))
        {
            return LotRefusals.PackedBeforeMade(ChinaTime.DateOf(batch.CompletedAt.Value));
        }

        var packerId = caller.IsAdmin ? batch.FactoryOrgId : caller.OrgId;
        if (GtinRefusal(tx, request.Gtin, packerId) is { } gtinRefused)
        {
            return gtinRefused;
        }

        var requestedG = (long)request.NetWeightG!.Value * request.UnitCount!.Value;
        var holding = Custody.MadeTeaHoldings.Of(tx.Connection, tx.Transaction, packerId, batch.Id);
        if (packerId != batch.FactoryOrgId && requestedG > holding.LeftG)
        {
            return LotRefusals.MoreThanReceived(request.UnitCount.Value, request.NetWeightG.Value, Weight.ToKg(requestedG), batch.Id, batch.Code,
                Weight.ToKg(holding.CameG), Weight.ToKg(Math.Max(0, holding.LeftG)));
        }

        if (requestedG > holding.LeftG)
        {
            return LotRefusals.MoreThanBatchHasLeft(request.UnitCount.Value, request.NetWeightG.Value, Weight.ToKg(requestedG), batch.Id, batch.Code, Weight.ToKg(Math.Max(0, holding.LeftG)));
        }

        var serials = Enumerable.Range(0, request.UnitCount.Value).Select(_ => Ids.Serial()).ToList();
        var lot = new LotRow
        {
            Id = Ids.New("lot"),
            Code = UniqueCodes.Draw(tx, CodeExists, () => Ids.LotCode(packedOn)),
            BatchId = batch.Id,
            OrgId = packerId,
            Gtin = request.Gtin,
            ProductName = request.ProductName.Trim(),
            NetWeightG = request.NetWeightG.Value,
            NetWeightReason = netWeightReason,
            UnitCount = request.UnitCount.Value,
            PackedOn = packedOn,
            BestBefore = request.BestBefore,
            SerialsRoot = SerialsRoot(serials),
            CreatedAt = tx.Now,
            ClaimsGi = batch.ClaimsGi,
            FactoryOrgId = batch.FactoryOrgId,
        };
        tx.Execute(InsertLot, lot);
        if (InsertUnits(tx, lot.Id, serials))
        {
            lot = lot with { SerialsRoot = SerialsRoot(serials) };
            tx.Execute(UpdateSerialsRoot, lot);
        }

        var response = lot.ToResponse(baseUrl);
        tx.Append(EntryTypes.LotPacked, lot.Id, caller, new
        {
            lot.Id,
            lot.Code,
            lot.BatchId,
            lot.OrgId,
            lot.Gtin,
            lot.ProductName,
            NetWeightG = request.NetWeightG,
            lot.NetWeightReason,
            UnitCount = request.UnitCount,
            lot.PackedOn,
            lot.BestBefore,
            lot.ClaimsGi,
            // Commits to every serial of the lot without listing them: an RFC 9162 root over the serials in order.
            response.SerialsRoot,
        });
        return response;
    }

    /// <summary>
    /// A GTIN belongs to whoever first packed under it, and to the organisation whose registered GS1 company prefix it
    /// carries (GS1 allocates a GTIN to that prefix's licensee); anyone else packing under it is refused, so a shop
    /// cannot put its own product name on a factory's code. A packer with a registered prefix packs only under it.
    /// </summary>
    private static Refusal? GtinRefusal(LedgerTransaction tx, string gtin, string packerId)
    {
        // The company prefix of a GTIN-14 is read from its second digit on (the first is the indicator digit).
        var prefix = Orgs.OrgReads.Gs1CompanyPrefix(tx, packerId);
        var licensee = prefix is not null && gtin.AsSpan(1).StartsWith(prefix, StringComparison.Ordinal);
        if (prefix is not null && !licensee)
        {
            return LotRefusals.GtinNotUnderPrefix(gtin, prefix);
        }

        var owner = tx.ExecuteScalar<string>(FirstPackerOfGtin, new { Gtin = gtin });
        return owner is not null && owner != packerId && !licensee ? LotRefusals.GtinOfAnotherOrganisation(gtin) : null;
    }

    /// <summary>Inserts the units; a drawn serial that was ever issued before is drawn again. True when any was redrawn.</summary>
    private static bool InsertUnits(LedgerTransaction tx, string lotId, List<string> serials)
    {
        var command = tx.Prepared(InsertUnit, "@Serial", "@LotId", "@Seq");
        command.Parameters["@LotId"].Value = lotId;
        var redrawn = false;
        for (var i = 0; i < serials.Count; i++)
        {
            command.Parameters["@Seq"].Value = i + 1;
            command.Parameters["@Serial"].Value = serials[i];
            while (command.ExecuteNonQuery() == 0)
            {
                serials[i] = Ids.Serial();
                command.Parameters["@Serial"].Value = serials[i];
                redrawn = true;
            }
        }

        return redrawn;
    }

    public static byte[] SerialsRoot(IReadOnlyList<string> serials) =>
        Rfc9162.RootHash(serials.Select(s => Rfc9162.HashLeaf(Encoding.UTF8.GetBytes(s))).ToList());

    public LotRow? Find(string id)
    {
        using var connection = connections.Open();
        return connection.QuerySingleOrDefault<LotRow>(SelectLot, new { Id = id });
    }

    public UnitPage Units(LotRow lot, int offset, int limit, string baseUrl)
    {
        using var connection = connections.Open();
        var items = connection.Query<UnitRow>(SelectUnits, new { LotId = lot.Id, Offset = offset, Limit = limit })
            .Select(u => new UnitResponse(u.Serial, (int)u.Seq, u.Status, DigitalLinks.Unit(baseUrl, lot.Gtin, lot.Code, u.Serial)))
            .ToList();
        return new UnitPage(lot.Id, (int)lot.UnitCount, offset, limit, items);
    }
}
