namespace TeaTrace.Ledger.Tests;

public sealed class CompactRangeTests
{
    private static byte[] Leaf(int i) => Rfc9162.HashLeaf([(byte)i, (byte)(i >> 8)]);

    [Fact]
    public void BorderNodes_SizeSix_AreFourLeavesThenTwo()
    {
        Assert.Equal([new NodeId(2, 0), new NodeId(1, 2)], CompactRange.BorderNodes(6));
        Assert.Empty(CompactRange.BorderNodes(0));
        Assert.Equal(
            [new NodeId(3, 0), new NodeId(2, 2), new NodeId(0, 12)],
            CompactRange.BorderNodes(13));
    }

    [Fact]
    public void Append_EighthLeaf_CompletesFourNodes()
    {
        var edge = new CompactRange();
        for (var i = 0; i < 7; i++)
        {
            edge.Append(Leaf(i));
        }

        var completed = edge.Append(Leaf(7));

        Assert.Equal([new NodeId(0, 7), new NodeId(1, 3), new NodeId(2, 1), new NodeId(3, 0)], completed.Select(n => n.Id));
        Assert.Equal(Leaf(7), completed[0].Hash);
        Assert.Equal(Rfc9162.RootHash([.. Enumerable.Range(0, 8).Select(Leaf)]), completed[^1].Hash);
        Assert.Equal([new NodeId(3, 0)], edge.Border.Select(n => n.Id));
    }

    [Fact]
    public void Append_ManyLeaves_StoresAboutOneNodeBesidesEachLeaf()
    {
        var edge = new CompactRange();
        var stored = Enumerable.Range(0, 1024).Sum(i => edge.Append(Leaf(i)).Count);

        // A perfect tree of 1024 leaves has 2047 nodes, each reported exactly once.
        Assert.Equal(2047, stored);
    }

    [Fact]
    public void Border_AfterAppends_MatchesBorderNodesAndRebuildsTheEdge()
    {
        var edge = new CompactRange();
        for (var i = 0; i < 21; i++)
        {
            edge.Append(Leaf(i));
        }

        var border = edge.Border;
        var rebuilt = CompactRange.FromBorder(21, [.. border.Select(n => n.Hash)]);

        Assert.Equal(CompactRange.BorderNodes(21), border.Select(n => n.Id));
        Assert.Equal(edge.RootHash(), rebuilt.RootHash());
        Assert.Equal(21, rebuilt.Size);
    }

    [Fact]
    public void Append_LeafHashNot32Bytes_ThrowsArgument()
    {
        var edge = new CompactRange();

        Assert.Throws<ArgumentException>(() => edge.Append(new byte[31]));
        Assert.Equal(0, edge.Size);
    }

    [Fact]
    public void FromBorder_WrongCountOrLength_ThrowsArgument()
    {
        Assert.Throws<ArgumentException>(() => CompactRange.FromBorder(6, [new byte[32]]));
        Assert.Throws<ArgumentException>(() => CompactRange.FromBorder(6, [new byte[32], new byte[31]]));
        Assert.Throws<ArgumentOutOfRangeException>(() => CompactRange.FromBorder(-1, []));
    }

    [Fact]
    public void RootHash_ReturnedArray_DoesNotAliasTheEdge()
    {
        var edge = new CompactRange();
        edge.Append(Leaf(0));
        var root = edge.RootHash();
        root[0] ^= 0xff;

        Assert.Equal(Leaf(0), edge.RootHash());
    }
}
