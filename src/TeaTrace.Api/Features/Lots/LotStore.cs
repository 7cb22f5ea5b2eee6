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
            var message = request.Gtin.All(char.IsAsciiDigit)
                ? $"The GTIN check digit is wrong: {request.Gtin[..13]} needs check digit {Gtin.CheckDigit(request.Gtin.AsSpan(0, 13))}."
                : "gtin is a GTIN-14: 14 digits.";
            return Refusal.Invalid("gtin", message);
        }

        var minNetWeightG = options.CurrentValue.MinNetWeightG;
        var netWeightReason = request.NetWeightG < minNetWeightG && !string.IsNullOrWhiteSpace(request.OverrideReason) ? request.OverrideReason.Trim() : null;
        if (request.NetWeightG < minNetWeightG && netWeightReason is null)
        {
            return Refusal.Rule("Net weight too small",
                $"A unit of {request.NetWeightG} g is lighter than the smallest usual pack ({minNetWeightG} g); check netWeightG, or send overrideReason to pack it anyway.",
                new Dictionary<string, object?> { ["netWeightG"] = request.NetWeightG, ["minNetWeightG"] = minNetWeightG });
        }

        var packedOn = request.PackedOn!.Value;
        if (packedOn > ChinaTime.Today(clock).AddDays(1))
        {
            return Refusal.Invalid("packedOn", "packedOn cannot be in the future.");
        }

        if (request.BestBefore is { } bestBefore && bestBefore <= packedOn)
        {
            return Refusal.Invalid("bestBefore", "bestBefore must be after packedOn.");
        }

        var batch = ProcessingStore.FindBatch(tx, request.BatchId);
        if (batch is null)
        {
            return Refusal.NotFound("batch", request.BatchId);
        }

        // A factory packs its own batches; distributors pack what they buy; admins anything.
        if (caller.Role == Roles.Processor && caller.OrgId != batch.FactoryOrgId)
        {
            return Refusal.Forbidden("A processor packs only its own factory's batches.");
        }

        if (!batch.IsCompleted)
        {
            return Refusal.Conflict("This batch is not completed yet; lots are packed from made tea.");
        }

        if (tx.ExecuteScalar<string>(Recalls.RecallStore.RecallsReachingBatch, new { BatchId = batch.Id }) is { } recallId)
        {
            return Refusal.Rule("Recalled batch", $"Batch {batch.Code} is under recall {recallId}; its tea cannot be packed.",
                new Dictionary<string, object?> { ["batchId"] = batch.Id, ["recallId"] = recallId });
        }

        if (packedOn < ChinaTime.DateOf(batch.CompletedAt!.Value))
        {
            return Refusal.Rule("Packed before made", $"packedOn cannot be before the batch was completed ({TypeHandlers.Format(ChinaTime.DateOf(batch.CompletedAt.Value))}).");
        }

        var requestedG = (long)request.NetWeightG!.Value * request.UnitCount!.Value;
        var remainingG = batch.MadeTeaG!.Value - batch.PackedG;
        if (requestedG > remainingG)
        {
            return Refusal.Rule("More tea than the batch has left",
                $"{request.UnitCount} × {request.NetWeightG} g is {Weight.ToKg(requestedG)} kg; batch {batch.Code} has {Weight.ToKg(remainingG)} kg of made tea left.",
                new Dictionary<string, object?>
                {
                    ["batchId"] = batch.Id,
                    ["remainingKg"] = Weight.ToKg(remainingG),
                    ["requestedKg"] = Weight.ToKg(requestedG),
                });
        }

        var serials = Enumerable.Range(0, request.UnitCount.Value).Select(_ => Ids.Serial()).ToList();
        var lot = new LotRow
        {
            Id = Ids.New("lot"),
            Code = UniqueCode(tx, packedOn),
            BatchId = batch.Id,
            OrgId = caller.IsAdmin ? batch.FactoryOrgId : caller.OrgId,
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
        tx.Append("lot.packed", lot.Id, caller.KeyId, new
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

    private static string UniqueCode(LedgerTransaction tx, DateOnly packedOn)
    {
        while (true)
        {
            var code = Ids.LotCode(packedOn);
            if (!tx.ExecuteScalar<bool>(CodeExists, new { Code = code }))
            {
                return code;
            }
        }
    }

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
