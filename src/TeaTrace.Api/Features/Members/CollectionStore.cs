using System.Data;
using Dapper;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Features.Gardens;
using TeaTrace.Api.Idempotency;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Members;

/// <summary>
/// The cooperative's collection point: a member's leaf is weighed, recorded as a harvest of the plot it was picked on
/// (under the same rules as any harvest, the pre-harvest interval first) and bought at a price per kg. The harvest is
/// the cooperative's (its plot), so the cooperative holds the leaf and may sell it, pooled, with one certificate.
/// The price and the amount live only in the collection's sealed part: the statement reads them back from there.
/// </summary>
internal sealed class CollectionStore(SqliteConnectionFactory connections, ILedgerWriter writer, HarvestStore harvests)
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(10);

    private const string InsertCollection = """
        INSERT INTO collections (id, org_id, member_id, plot_id, harvest_id, collected_at, leaf_g, key_id, created_at)
        VALUES (@Id, @OrgId, @MemberId, @PlotId, @HarvestId, @CollectedAt, @LeafG, @KeyId, @CreatedAt)
        """;

    private const string SelectOfMemberInMonth = """
        SELECT c.id, c.org_id, c.member_id, c.plot_id, c.harvest_id, h.code AS harvest_code, h.picked_on, h.plucking_standard,
               c.leaf_g, c.collected_at
        FROM collections c JOIN harvests h ON h.id = c.harvest_id
        WHERE c.member_id = @MemberId AND c.collected_at >= @From AND c.collected_at < @To
        ORDER BY c.collected_at, c.id
        """;

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string OrgId { get; init; } = "";
        public string MemberId { get; init; } = "";
        public string PlotId { get; init; } = "";
        public string HarvestId { get; init; } = "";
        public string HarvestCode { get; init; } = "";
        public DateOnly PickedOn { get; init; }
        public string PluckingStandard { get; init; } = "";
        public long LeafG { get; init; }
        public DateTimeOffset CollectedAt { get; init; }
    }

    public Task<WriteResult<CollectionResponse>> CreateAsync(Caller caller, CreateCollectionRequest request, Reply<CollectionResponse>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => Create(tx, caller, request), reply, cancellationToken);

    private WriteResult<CollectionResponse> Create(LedgerTransaction tx, Caller caller, CreateCollectionRequest request)
    {
        var collectedAt = request.CollectedAt!.Value;
        if (collectedAt > tx.Now + ClockSkew)
        {
            return CommonRefusals.InTheFuture("collectedAt");
        }

        var price = request.PricePerKgCny!.Value;
        if (decimal.Round(price, 2) != price)
        {
            return MemberRefusals.PriceToTheFen();
        }

        var pickedOn = request.PickedOn!.Value;
        if (ChinaTime.DateOf(collectedAt) < pickedOn)
        {
            return MemberRefusals.CollectedBeforePicked(pickedOn);
        }

        var member = MemberReads.Find(tx, request.MemberId);
        if (member is null)
        {
            return Refusal.NotFound(Noun.Member, request.MemberId);
        }

        if (!caller.ActsFor(member.OrgId))
        {
            return MemberRefusals.OtherCooperative();
        }

        // The leaf comes from the cooperative's own plot: the member's, or one the cooperative farms in common;
        // never another member's, so that one member's sprayed plot cannot pass as another's.
        var plot = PlotReads.Find(tx, request.PlotId);
        if (plot is null)
        {
            return Refusal.NotFound(Noun.Plot, request.PlotId);
        }

        if (plot.OrgId != member.OrgId)
        {
            return MemberRefusals.PlotOfAnotherOrganisation(plot.Id);
        }

        if (plot.MemberId is { } farmedBy && farmedBy != member.Id)
        {
            return MemberRefusals.PlotOfAnotherMember(plot.Id, farmedBy);
        }

        var recorded = harvests.Record(tx, caller, new CreateHarvestRequest(plot.Id, pickedOn, request.PluckingStandard, request.Kg));
        if (recorded.Refusal is { } refused)
        {
            return refused;
        }

        var harvest = recorded.Value!;
        var grams = Weight.ToGrams(request.Kg!.Value);
        var collection = new CollectionResponse(Ids.New("col"), member.OrgId, member.Id, plot.Id, harvest.Id, harvest.Code, pickedOn,
            request.PluckingStandard, Weight.ToKg(grams), price, Amount(grams, price), collectedAt);
        tx.Execute(InsertCollection, new
        {
            collection.Id,
            collection.OrgId,
            collection.MemberId,
            collection.PlotId,
            collection.HarvestId,
            CollectedAt = collectedAt,
            LeafG = grams,
            caller.KeyId,
            CreatedAt = tx.Now,
        });
        tx.Append(EntryTypes.CollectionRecorded, collection.Id, caller, collection);
        return collection;
    }

    /// <summary>What a weighing is paid: grams × yuan per kg, exactly, rounded half away from zero to the fen.</summary>
    internal static decimal Amount(long grams, decimal pricePerKgCny) =>
        decimal.Round(grams * pricePerKgCny / 1000m, 2, MidpointRounding.AwayFromZero);

    /// <summary>A member's collections in a calendar month (Asia/Shanghai), with prices read from their sealed parts.</summary>
    public StatementResponse Statement(MemberResponse member, string orgName, int year, int month)
    {
        var from = new DateOnly(year, month, 1);
        using var connection = connections.Open();
        var rows = connection.Query<Row>(SelectOfMemberInMonth, new { MemberId = member.Id, From = TypeHandlers.Format(from), To = TypeHandlers.Format(from.AddMonths(1)) });
        var collections = rows.Select(row => Paid(connection, row)).ToList();
        return new StatementResponse(member, orgName, $"{year:D4}-{month:D2}", collections,
            collections.Sum(c => c.Kg), collections.Sum(c => c.AmountCny ?? 0m));
    }

    // Once erased, the price and the amount are gone: the line keeps its weight and shows no money.
    private static CollectionResponse Paid(IDbConnection connection, Row row)
    {
        var paid = SealedReads.Fields(connection, row.Id, EntryTypes.CollectionRecorded);
        return new CollectionResponse(row.Id, row.OrgId, row.MemberId, row.PlotId, row.HarvestId, row.HarvestCode, row.PickedOn, row.PluckingStandard,
            Weight.ToKg(row.LeafG), paid.Decimal("pricePerKgCny"), paid.Decimal("amountCny"), row.CollectedAt);
    }
}
