using System.Numerics;

namespace TeaTrace.Ledger;

internal static class TreeMath
{
    // The perfect subtrees that exactly cover [begin, end), left to right: at each step the largest block that is
    // both aligned at the current position and fits before end. There are at most two per level.
    public static List<NodeId> RangeNodes(long begin, long end)
    {
        var nodes = new List<NodeId>();
        for (var position = begin; position < end;)
        {
            var fits = FloorLog2(end - position);
            var level = position == 0 ? fits : Math.Min(fits, BitOperations.TrailingZeroCount(position));
            nodes.Add(new NodeId(level, position >> level));
            position += 1L << level;
        }

        return nodes;
    }

    public static int FloorLog2(long n) => BitOperations.Log2((ulong)n);

    public static bool IsPowerOfTwo(long n) => n > 0 && (n & (n - 1)) == 0;
}
