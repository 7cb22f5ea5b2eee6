using System.Security.Cryptography;
using System.Text;
using TeaTrace.Ledger;

namespace TeaTrace.Ledger.Tests;

public sealed class Rfc9162Tests
{
    [Fact]
    public void HashLeaf_PrefixesZeroByte()
    {
        var data = Encoding.UTF8.GetBytes("英德红茶");
        var expected = SHA256.HashData([0x00, .. data]);

        Assert.Equal(expected, Rfc9162.HashLeaf(data));
    }

    [Fact]
    public void HashChildren_PrefixesOneByte()
    {
        var left = Rfc9162.HashLeaf([1]);
        var right = Rfc9162.HashLeaf([2]);
        var expected = SHA256.HashData([0x01, .. left, .. right]);

        Assert.Equal(expected, Rfc9162.HashChildren(left, right));
    }

    [Fact]
    public void RootHash_EmptyTree_IsHashOfNothing()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            Convert.ToHexStringLower(Rfc9162.RootHash([])));
    }

    [Fact]
    public void RootHash_ThreeLeaves_SplitsAtTwo()
    {
        byte[][] leaves = [Rfc9162.HashLeaf([0]), Rfc9162.HashLeaf([1]), Rfc9162.HashLeaf([2])];
        var expected = Rfc9162.HashChildren(Rfc9162.HashChildren(leaves[0], leaves[1]), leaves[2]);

        Assert.Equal(expected, Rfc9162.RootHash(leaves));
    }

    [Fact]
    public void ReferenceProofs_OutsideTheirDefinition_ThrowArgumentOutOfRange()
    {
        byte[][] leaves = [Rfc9162.HashLeaf([0]), Rfc9162.HashLeaf([1]), Rfc9162.HashLeaf([2])];

        Assert.Throws<ArgumentOutOfRangeException>(() => Rfc9162.InclusionProof(leaves, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Rfc9162.InclusionProof(leaves, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Rfc9162.ConsistencyProof(leaves, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Rfc9162.ConsistencyProof(leaves, 4));
        Assert.Empty(Rfc9162.ConsistencyProof(leaves, 3));
    }

    [Fact]
    public void ReferenceProofs_ThreeLeaves_FollowTheRfcDefinitions()
    {
        byte[][] leaves = [Rfc9162.HashLeaf([0]), Rfc9162.HashLeaf([1]), Rfc9162.HashLeaf([2])];
        var left = Rfc9162.HashChildren(leaves[0], leaves[1]);

        Assert.Equal([leaves[1], leaves[2]], Rfc9162.InclusionProof(leaves, 0));
        Assert.Equal([left], Rfc9162.InclusionProof(leaves, 2));
        Assert.Equal([leaves[2]], Rfc9162.ConsistencyProof(leaves, 2));
        Assert.Equal([leaves[1], leaves[2]], Rfc9162.ConsistencyProof(leaves, 1));
    }
}
