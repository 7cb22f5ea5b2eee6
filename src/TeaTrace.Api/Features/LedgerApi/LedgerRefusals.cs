using TeaTrace.Api.Common;
using static TeaTrace.Api.Common.Refusal;

namespace TeaTrace.Api.Features.LedgerApi;

/// <summary>Refusals of the ledger's public reads, in English and Chinese.</summary>
internal static class LedgerRefusals
{
    public static Refusal NoCheckpointYet() =>
        new(StatusCodes.Status404NotFound, new("Not found", "找不到"), new("No checkpoint has been signed yet: the ledger is empty.", "账本还是空的，尚未签署任何检查点。"));

    public static Refusal NoSuchEntry(long index) =>
        new(StatusCodes.Status404NotFound, new("Not found", "找不到"), new($"The ledger has no entry {index}.", $"账本中没有第 {index} 条记录。"));

    public static Refusal NotYetInACheckpoint(long index, long size) =>
        new(StatusCodes.Status404NotFound, new("Not yet in a checkpoint", "尚未纳入检查点"),
            new($"Entry {index} is not covered by the latest checkpoint (size {size}); ask again after the next one, or give treeSize.",
                $"第 {index} 条记录还不在最新检查点（大小 {size}）之内；请在下一个检查点后再查询，或指定 treeSize。"));

    public static Refusal Page(int max) =>
        Invalid("count", new($"from must be 0 or more and count between 1 and {max}.", $"from 须不小于 0，count 须在 1 到 {max} 之间。"));

    public static Refusal InclusionRange(long treeSize, long index, long size) =>
        Invalid("treeSize", new($"Need 0 ≤ index < treeSize ≤ the tree's size ({treeSize}); got index {index}, treeSize {size}.",
            $"须满足 0 ≤ index < treeSize ≤ 树的大小（{treeSize}）；收到 index {index}，treeSize {size}。"));

    public static Refusal ConsistencyRange(long treeSize, string from, long to) =>
        Invalid("from", new($"Need 1 ≤ from ≤ to ≤ the tree's size ({treeSize}); got from {from}, to {to}.",
            $"须满足 1 ≤ from ≤ to ≤ 树的大小（{treeSize}）；收到 from {from}，to {to}。"));
}
