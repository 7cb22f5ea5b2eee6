using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Features.Gardens;
using TeaTrace.Api.Ledger;
using TeaTrace.Ledger;

namespace TeaTrace.Benchmarks;

/// <summary>A harvest.recorded entry in the shape GardenStore writes it: about 570 bytes of JSON, Chinese text included.</summary>
internal static class SampleEntry
{
    public const string Type = "harvest.recorded";

    public static readonly DateTimeOffset Start = new(2026, 4, 1, 8, 0, 0, TimeSpan.FromHours(8));

    private static readonly string[] Actors = [.. Enumerable.Range(0, 20).Select(_ => Ids.New("key"))];

    public static string Actor(long index) => Actors[index % Actors.Length];

    public static HarvestResponse Harvest(DateTimeOffset createdAt) => new(
        Id: Ids.New("hv"),
        Code: Ids.Code('H'),
        PlotId: Ids.New("plt"),
        OrgId: Ids.New("org"),
        PickedOn: DateOnly.FromDateTime(createdAt.Date),
        PluckingStandard: "bud2leaves",
        FreshLeafKg: 12.345m,
        RemainingKg: 12.345m,
        GiEligible: true,
        Cultivar: "英红九号 (Yinghong No. 9)",
        Town: "英红镇",
        CreatedAt: createdAt);

    /// <summary>The row the writer would store for this entry: its subject, its exact bytes and their RFC 9162 leaf hash.</summary>
    public static (string SubjectId, byte[] Body, byte[] LeafHash) Build(long index, ReadOnlySpan<byte> previousLeafHash, DateTimeOffset recordedAt)
    {
        var harvest = Harvest(recordedAt);
        var body = LedgerEntry.Build(index, Type, harvest.Id, Actor(index), recordedAt, Convert.ToHexStringLower(previousLeafHash), harvest);
        return (harvest.Id, body, Rfc9162.HashLeaf(body));
    }
}
