namespace TeaTrace.Ledger.Tests;

// The planner runs on the server's own, already validated sizes: a bad argument is a bug there, and throws.
public sealed class ProofPlannerTests
{
    [Theory]
    [InlineData(-1, 5)]
    [InlineData(5, 5)]
    [InlineData(0, 0)]
    public void Inclusion_IndexOutsideTree_ThrowsArgumentOutOfRange(long index, long size)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ProofPlanner.Inclusion(index, size));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 5)]
    [InlineData(6, 5)]
    [InlineData(-1, 5)]
    public void Consistency_SizesOutOfOrderOrEmptyOldTree_ThrowsArgumentOutOfRange(long size1, long size2)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ProofPlanner.Consistency(size1, size2));
    }

    [Fact]
    public void Inclusion_LeafFiveOfSeven_ListsSiblingsThenEphemeralThenLeft()
    {
        // Leaf 4 is the sibling, [6, 7) the ephemeral node (here a single leaf, so nothing to fold), [0, 4) the left.
        var plan = ProofPlanner.Inclusion(5, 7);

        Assert.Equal([new NodeId(0, 4), new NodeId(0, 6), new NodeId(2, 0)], plan.Nodes);
        Assert.Equal(3, plan.ProofLength);
    }

    [Fact]
    public void Inclusion_LeafZeroOfSeven_FoldsTwoNodesIntoTheEphemeralOne()
    {
        // The right half [4, 7) is incomplete: it is rebuilt from [6, 7) and [4, 6).
        var plan = ProofPlanner.Inclusion(0, 7);

        Assert.Equal([new NodeId(0, 1), new NodeId(1, 1), new NodeId(0, 6), new NodeId(1, 2)], plan.Nodes);
        Assert.Equal((2, 4), (plan.EphemeralStart, plan.EphemeralEnd));
        Assert.Equal(3, plan.ProofLength);
    }

    [Fact]
    public void Consistency_SameSize_IsEmpty()
    {
        var plan = ProofPlanner.Consistency(9, 9);

        Assert.Empty(plan.Nodes);
        Assert.Empty(plan.BuildProof([]));
    }

    [Fact]
    public void BuildProof_WrongHashCount_ThrowsArgument()
    {
        var plan = ProofPlanner.Inclusion(0, 7);

        Assert.Throws<ArgumentException>(() => plan.BuildProof([new byte[32]]));
    }

    [Fact]
    public void BuildProof_HashNot32Bytes_ThrowsArgument()
    {
        var plan = ProofPlanner.Inclusion(0, 7);

        Assert.Throws<ArgumentException>(() => plan.BuildProof([new byte[32], new byte[32], new byte[31], new byte[32]]));
        Assert.Throws<ArgumentException>(() => plan.BuildProof([new byte[32], new byte[32], null!, new byte[32]]));
    }

    [Fact]
    public void SubtreeProofs_RangeNotASubtree_ThrowsArgument()
    {
        Assert.Throws<ArgumentException>(() => ProofPlanner.SubtreeInclusion(5, 3, 8));
        Assert.Throws<ArgumentException>(() => ProofPlanner.SubtreeConsistency(2, 5, 8));
    }
}
