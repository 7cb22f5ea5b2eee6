using System.Numerics;

namespace TeaTrace.Ledger;

// Plans RFC 9162 proofs over stored perfect subtrees, in the manner of transparency-dev/merkle proof.Inclusion and
// proof.Consistency: O(log n) node reads, at most one ephemeral node rebuilt from them. The arguments come from the
// server itself (after it has checked a request against its own tree size), so bad ones throw.
public static class ProofPlanner
{
    public static ProofPlan Inclusion(long index, long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, size);
        return PathUp(new NodeId(0, index), size, includeStart: false);
    }

    // Defined for 0 < size1 ≤ size2; the proof is empty when the sizes are equal.
    public static ProofPlan Consistency(long size1, long size2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size1, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size1, size2);
        return ConsistencyOfRange(0, size1, size2);
    }

    // The subtree inclusion and consistency proofs of draft-ietf-plants-merkle-tree-certs. The server does not
    // serve them; the draft's accumulated test vectors use them to exercise the planner on every subtree, not only
    // on those starting at 0.
    internal static ProofPlan SubtreeInclusion(long index, long start, long end)
    {
        RequireSubtree(start, end);
        ArgumentOutOfRangeException.ThrowIfLessThan(index, start);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, end);

        // Such a subtree is laid out like a whole tree of end-start leaves, shifted right by start.
        return PathUp(new NodeId(0, index - start), end - start, includeStart: false)
            .Shift(node => node with { Index = node.Index + (start >> node.Level) });
    }

    internal static ProofPlan SubtreeConsistency(long start, long end, long size)
    {
        RequireSubtree(start, end);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, size);
        return ConsistencyOfRange(start, end, size);
    }

    internal static IReadOnlyList<NodeId> SubtreeNodes(long start, long end)
    {
        RequireSubtree(start, end);
        return TreeMath.RangeNodes(start, end);
    }

    private static ProofPlan ConsistencyOfRange(long start, long end, long size)
    {
        if (start == end || (start == 0 && end == size))
        {
            return new ProofPlan([], 0, 0);
        }

        if (end == size)
        {
            // The subtree is the tree's last node at its height: looked at from that height, it is the last leaf of
            // a tree whose other leaves are all perfect subtrees.
            var height = 64 - BitOperations.LeadingZeroCount((ulong)((end - 1) ^ start));
            var index = (end - 1) >> height;
            return PathUp(new NodeId(0, index), index + 1, includeStart: false)
                .Shift(node => node with { Level = node.Level + height });
        }

        // Prove where the largest perfect subtree ending at `end` sits in the larger tree. Its own hash is sent too,
        // unless the old range is exactly that subtree, which the verifier already holds as the old root.
        var level = BitOperations.TrailingZeroCount(end - start);
        var last = new NodeId(level, (end - 1) >> level);
        return PathUp(last, size, includeStart: !TreeMath.IsPowerOfTwo(end - start));
    }

    // The proof that the perfect subtree `start` lies in the tree of the given size. Going up from `start`, the path
    // leaves the tree's right border at the `fork` node: below it every sibling is a perfect subtree; the fork's right
    // sibling covers [fork.End, size), perfect or not (the ephemeral node); above it, the left siblings are the perfect
    // subtrees covering [0, fork.Begin), taken from the lowest up.
    private static ProofPlan PathUp(NodeId start, long size, bool includeStart)
    {
        var inner = 63 - BitOperations.LeadingZeroCount((ulong)(start.Index ^ (size >> start.Level)));
        var fork = new NodeId(start.Level + inner, start.Index >> inner);

        var nodes = new List<NodeId>();
        if (includeStart)
        {
            nodes.Add(start);
        }

        for (var node = start; node.Level < fork.Level; node = node.Parent)
        {
            nodes.Add(node.Sibling);
        }

        var right = TreeMath.RangeNodes(fork.End, size);
        right.Reverse();
        var ephemeralStart = nodes.Count;
        nodes.AddRange(right);
        var ephemeralEnd = nodes.Count;

        var left = TreeMath.RangeNodes(0, fork.Begin);
        left.Reverse();
        nodes.AddRange(left);
        return new ProofPlan(nodes, ephemeralStart, ephemeralEnd);
    }

    // [start, end) is a subtree when start is 0, or empty, or a multiple of the smallest power of two ≥ end - start.
    private static void RequireSubtree(long start, long end)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(end, start);
        var length = end - start;
        if (start != 0 && length != 0 && (start & ((long)BitOperations.RoundUpToPowerOf2((ulong)length) - 1)) != 0)
        {
            throw new ArgumentException($"[{start}, {end}) is not a subtree.", nameof(start));
        }
    }
}
