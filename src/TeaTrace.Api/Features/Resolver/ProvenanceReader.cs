using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Features.LedgerApi;
using TeaTrace.Api.Features.Processing;
using TeaTrace.Api.Features.Recalls;
using TeaTrace.Api.Ledger;
using TeaTrace.Ledger;

namespace TeaTrace.Api.Features.Resolver;

/// <summary>A lot's provenance as it stands: product, lot, batch, origins and the ledger proof. Cached per lot; the
/// parts that change (unit status, recalls, scans) are read on every scan.</summary>
internal sealed record LotProvenance(
    string LotId,
    string BatchId,
    ProductInfo Product,
    LotInfo Lot,
    BatchInfo Batch,
    IReadOnlyList<OriginInfo> Origins,
    IReadOnlyList<string> Certifications,
    LedgerProof? Proof,
    long CheckpointSize,
    SerialTree Serials,
    IReadOnlyList<Custody.HandOverInfo> Custody);

internal sealed record UnitLookup(string Serial, string Status, long Seq, string LotId, string LotCode, string Gtin);

/// <summary>Reads provenance for the resolver; lot-level documents are built once and kept until a newer checkpoint covers them.</summary>
internal sealed class ProvenanceReader(
    SqliteConnectionFactory connections,
    BatchStore batches,
    LedgerTree tree,
    ChangeSignals signals,
    IOptionsMonitor<ProcessingOptions> processingOptions)
{
    private const long RecallCacheMs = 5000;

    private readonly ConcurrentDictionary<string, (IReadOnlyList<RecallInfo> Recalls, long Version, long At)> _recalls = new();

    private const int MaxCachedLots = 4096;

    private readonly ConcurrentDictionary<string, LotProvenance> _lots = new();

    private const string SelectUnit = """
        SELECT u.serial AS Serial, u.status AS Status, u.seq AS Seq, l.id AS LotId, l.code AS LotCode, l.gtin AS Gtin FROM units u JOIN lots l ON l.id = u.lot_id WHERE u.serial = @Serial
        """;

    private const string SelectLotByCode = "SELECT id FROM lots WHERE gtin = @Gtin AND code = @Code";

    private const string SelectProduct = """
        SELECT l.product_name AS name, l.net_weight_g, b.style, b.grade, b.claims_gi, (SELECT count(*) FROM lots WHERE gtin = @Gtin) AS lots
        FROM lots l JOIN batches b ON b.id = l.batch_id WHERE l.gtin = @Gtin ORDER BY l.created_at DESC LIMIT 1
        """;

    private const string SelectLot = """
        SELECT l.id, l.code, l.gtin, l.product_name, l.net_weight_g, l.unit_count, l.packed_on, l.best_before,
               po.name AS packer_name, po.town AS packer_town, b.id AS batch_id, b.style, b.grade, b.claims_gi,
               fo.name AS factory_name, fo.town AS factory_town, fo.licence_no AS factory_licence
        FROM lots l JOIN orgs po ON po.id = l.org_id JOIN batches b ON b.id = l.batch_id JOIN orgs fo ON fo.id = b.factory_org_id
        WHERE l.id = @Id
        """;

    private const string SelectOrigins = """
        SELECT o.name AS farm, p.name AS plot_name, p.town, p.cultivar, p.altitude_m, p.gi_eligible, p.certifications,
               h.picked_on, h.plucking_standard, bi.leaf_g
        FROM batch_inputs bi JOIN harvests h ON h.id = bi.harvest_id JOIN plots p ON p.id = h.plot_id JOIN orgs o ON o.id = p.org_id
        WHERE bi.batch_id = @BatchId ORDER BY h.picked_on, h.code
        """;

    private const string SelectLotEntry = "SELECT idx, type, CAST(body AS BLOB) AS body, leaf_hash FROM ledger_entries WHERE subject_id = @LotId AND type = '" + EntryTypes.LotPacked + "'";

    private const string SelectSerials = "SELECT serial FROM units WHERE lot_id = @LotId ORDER BY seq";

    private sealed class LotRow
    {
        public string Id { get; init; } = "";
        public string Code { get; init; } = "";
        public string Gtin { get; init; } = "";
        public string ProductName { get; init; } = "";
        public long NetWeightG { get; init; }
        public long UnitCount { get; init; }
        public DateOnly PackedOn { get; init; }
        public DateOnly? BestBefore { get; init; }
        public string PackerName { get; init; } = "";
        public string PackerTown { get; init; } = "";
        public string BatchId { get; init; } = "";
        public string? Style { get; init; }
        public string? Grade { get; init; }
        public bool ClaimsGi { get; init; }
        public string FactoryName { get; init; } = "";
        public string FactoryTown { get; init; } = "";
        public string? FactoryLicence { get; init; }
    }

    private sealed class ProductRow
    {
        public string Name { get; init; } = "";
        public long NetWeightG { get; init; }
        public string? Style { get; init; }
        public string? Grade { get; init; }
        public bool ClaimsGi { get; init; }
        public long Lots { get; init; }
    }

    private sealed class OriginRow
    {
        public string Farm { get; init; } = "";
        public string PlotName { get; init; } = "";
        public string Town { get; init; } = "";
        public string Cultivar { get; init; } = "";
        public double? AltitudeM { get; init; }
        public bool GiEligible { get; init; }
        public string Certifications { get; init; } = "[]";
        public DateOnly PickedOn { get; init; }
        public string PluckingStandard { get; init; } = "";
        public long LeafG { get; init; }
    }

    private sealed class EntryRow
    {
        public long Idx { get; init; }
        public string Type { get; init; } = "";
        public byte[] Body { get; init; } = [];
        public byte[] LeafHash { get; init; } = [];
    }

    public UnitLookup? FindUnit(string serial)
    {
        using var connection = connections.Open();
        return connection.QuerySingleOrDefault<UnitLookup>(SelectUnit, new { Serial = serial });
    }

    public string? FindLotId(string gtin, string code)
    {
        using var connection = connections.Open();
        return connection.ExecuteScalar<string>(SelectLotByCode, new { Gtin = gtin, Code = code });
    }

    /// <summary>What is known of a GTIN when no lot is named; null for a GTIN this service never packed.</summary>
    public ProductInfo? Product(string gtin)
    {
        using var connection = connections.Open();
        var row = connection.QuerySingleOrDefault<ProductRow>(SelectProduct, new { Gtin = gtin });
        return row is null ? null : new ProductInfo(gtin, row.Name, (int)row.NetWeightG, Style(row.Style), Grade(row.Grade), row.ClaimsGi, (int)row.Lots);
    }

    /// <summary>Recalls reaching a lot: cached briefly, and dropped at once when this process issues a recall.</summary>
    public IReadOnlyList<RecallInfo> Recalls(string lotId)
    {
        var version = signals.Recalls;
        var now = Environment.TickCount64;
        if (_recalls.TryGetValue(lotId, out var cached) && cached.Version == version && now - cached.At < RecallCacheMs)
        {
            return cached.Recalls;
        }

        using var connection = connections.Open();
        var recalls = RecallReads.NoticesForLot(connection, lotId).Select(r => new RecallInfo(r.Id, r.Reason, r.RecalledAt)).ToList();
        if (_recalls.Count >= MaxCachedLots)
        {
            _recalls.Clear();
        }

        _recalls[lotId] = (recalls, version, now);
        return recalls;
    }

    public LotProvenance Lot(string lotId, string baseUrl)
    {
        var checkpointSize = tree.LatestCheckpoint()?.Size ?? 0;
        if (_lots.TryGetValue(lotId, out var cached) && (cached.Proof is not null || cached.CheckpointSize == checkpointSize))
        {
            return cached with { Lot = cached.Lot with { Link = DigitalLinks.Lot(baseUrl, cached.Product.Gtin, cached.Lot.Code) } };
        }

        var built = Build(lotId, baseUrl);
        if (_lots.Count >= MaxCachedLots)
        {
            _lots.Clear(); // a crude bound; lots are rebuilt on their next scan
        }

        _lots[lotId] = built;
        return built;
    }

    private LotProvenance Build(string lotId, string baseUrl)
    {
        using var connection = connections.Open();
        var lot = connection.QuerySingle<LotRow>(SelectLot, new { Id = lotId });
        var batch = batches.Find(lot.BatchId)!;
        var origins = connection.Query<OriginRow>(SelectOrigins, new { lot.BatchId }).ToList();
        var serials = SerialTree.Build(connection.Query<string>(SelectSerials, new { LotId = lotId }).ToList());

        var product = new ProductInfo(lot.Gtin, lot.ProductName, (int)lot.NetWeightG, Style(lot.Style), Grade(lot.Grade), lot.ClaimsGi, 0);
        var lotInfo = new LotInfo(lot.Code, lot.PackedOn, lot.BestBefore, (int)lot.UnitCount, new PackerInfo(lot.PackerName, lot.PackerTown),
            DigitalLinks.Lot(baseUrl, lot.Gtin, lot.Code));
        var batchInfo = new BatchInfo(batch.Code, new FactoryInfo(lot.FactoryName, lot.FactoryTown, lot.FactoryLicence), batch.StartedAt,
            batch.Completion?.CompletedAt, batch.ClaimsGi, batch.FreshLeafKg, batch.Completion?.MadeTeaKg, batch.Completion?.MoisturePct,
            batch.Steps.Select(s => new StepInfo(s.Step, s.StartedAt, s.EndedAt, s.Readings)).ToList());
        var originInfos = origins.Select(o => new OriginInfo(o.Farm, o.PlotName, o.Town, o.Cultivar, o.AltitudeM, o.GiEligible, o.PickedOn,
            o.PluckingStandard, Weight.ToKg(o.LeafG))).ToList();
        var certifications = origins.SelectMany(o => JsonSerializer.Deserialize<List<string>>(o.Certifications) ?? []).Distinct().ToList();

        var checkpoint = tree.LatestCheckpoint();
        var entry = connection.QuerySingle<EntryRow>(SelectLotEntry, new { LotId = lotId });
        LedgerProof? proof = null;
        if (checkpoint is not null && entry.Idx < checkpoint.Size && tree.Inclusion(entry.Idx, checkpoint.Size) is { } inclusion)
        {
            proof = new LedgerProof(entry.Idx, entry.Type, Convert.ToBase64String(entry.Body), Convert.ToHexStringLower(entry.LeafHash), checkpoint.Size,
                inclusion.AuditPath, inclusion.RootHash, checkpoint.Note, checkpoint.VerifierKey, null);
        }

        return new LotProvenance(lotId, lot.BatchId, product, lotInfo, batchInfo, originInfos, certifications, proof, checkpoint?.Size ?? 0, serials,
            Custody.CustodyReads.LeafForBatch(connection, lot.BatchId));
    }

    private NamedCode? Style(string? code) => processingOptions.CurrentValue.EffectiveStyles.FirstOrDefault(s => s.Code == code);

    private NamedCode? Grade(string? code) => processingOptions.CurrentValue.EffectiveGrades.FirstOrDefault(g => g.Code == code);
}

/// <summary>
/// The RFC 9162 tree over a lot's serials in packing order (its root is the lot entry's serialsRoot), kept level by level
/// so that a serial's proof is O(log n) lookups.
/// </summary>
/// <summary>A lot's serials as the RFC 9162 tree its ledger entry commits to (serialsRoot): proves one serial is among them.</summary>
internal sealed class SerialTree
{
    private readonly InMemoryMerkleTree _tree;
    private readonly Dictionary<string, int> _index;
    private readonly string _root;

    private SerialTree(InMemoryMerkleTree tree, Dictionary<string, int> index)
    {
        _tree = tree;
        _index = index;
        _root = Convert.ToHexStringLower(tree.RootHash());
    }

    public int Count => (int)_tree.Size;

    public static SerialTree Build(IReadOnlyList<string> serials)
    {
        var tree = new InMemoryMerkleTree();
        foreach (var serial in serials)
        {
            tree.AppendEntry(Encoding.UTF8.GetBytes(serial));
        }

        return new SerialTree(tree, serials.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i));
    }

    public SerialProof? Prove(string serial) => _index.TryGetValue(serial, out var index)
        ? new SerialProof(index, Count, _root, _tree.InclusionProof(index, Count).Select(Convert.ToHexStringLower).ToList())
        : null;
}
