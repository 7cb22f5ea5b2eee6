namespace TeaTrace.Ledger.Tests;

// Anything a log or a client sends is answered with a result; only a null proof list (a bug in the caller) throws.
public sealed class ProofVerifierTests
{
    private static readonly InMemoryMerkleTree Tree = Build(13);

    private static InMemoryMerkleTree Build(int size)
    {
        var tree = new InMemoryMerkleTree();
        for (var i = 0; i < size; i++)
        {
            tree.AppendEntry([(byte)i]);
        }

        return tree;
    }

    private static ProofFailure Inclusion(long index, long size, byte[] leaf, IReadOnlyList<byte[]> proof, byte[] root) =>
        ProofVerifier.VerifyInclusion(index, size, leaf, proof, root).Failure;

    private static ProofFailure Consistency(long size1, long size2, IReadOnlyList<byte[]> proof, byte[] root1, byte[] root2) =>
        ProofVerifier.VerifyConsistency(size1, size2, proof, root1, root2).Failure;

    [Fact]
    public void VerifyInclusion_NullProof_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => ProofVerifier.VerifyInclusion(0, 1, new byte[32], null!, new byte[32]));
    }

    [Fact]
    public void VerifyConsistency_NullProof_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => ProofVerifier.VerifyConsistency(1, 2, null!, new byte[32], new byte[32]));
    }

    [Fact]
    public void VerifyInclusion_BadValues_ReturnReasonWithoutThrowing()
    {
        var leaf = Tree.GetNode(new NodeId(0, 5));
        var proof = Tree.InclusionProof(5, 13);
        var root = Tree.RootHash(13);

        Assert.Equal(ProofFailure.None, Inclusion(5, 13, leaf, proof, root));
        Assert.Equal(ProofFailure.InvalidTreeSize, Inclusion(5, -13, leaf, proof, root));
        Assert.Equal(ProofFailure.IndexOutOfRange, Inclusion(-1, 13, leaf, proof, root));
        Assert.Equal(ProofFailure.IndexOutOfRange, Inclusion(13, 13, leaf, proof, root));
        Assert.Equal(ProofFailure.IndexOutOfRange, Inclusion(long.MaxValue, long.MaxValue, leaf, proof, root));
        Assert.Equal(ProofFailure.IndexOutOfRange, Inclusion(0, 0, leaf, [], Rfc9162.EmptyRootHash()));
        Assert.Equal(ProofFailure.MalformedLeafHash, Inclusion(5, 13, leaf[..31], proof, root));
        Assert.Equal(ProofFailure.MalformedLeafHash, Inclusion(5, 13, null!, proof, root));
        Assert.Equal(ProofFailure.WrongProofLength, Inclusion(5, 13, leaf, [.. proof, root], root));
        Assert.Equal(ProofFailure.WrongProofLength, Inclusion(5, 13, leaf, proof.Skip(1).ToArray(), root));
        Assert.Equal(ProofFailure.MalformedProofHash, Inclusion(5, 13, leaf, [null!, .. proof.Skip(1)], root));
        Assert.Equal(ProofFailure.MalformedProofHash, Inclusion(5, 13, leaf, [proof[0][..31], .. proof.Skip(1)], root));
        Assert.Equal(ProofFailure.RootMismatch, Inclusion(5, 13, leaf, proof, root[..31]));
        Assert.Equal(ProofFailure.RootMismatch, Inclusion(5, 13, leaf, proof, null!));
        Assert.Equal(ProofFailure.RootMismatch, Inclusion(5, 13, leaf, proof, Tree.RootHash(12)));
    }

    [Fact]
    public void VerifyInclusion_HugeTreeSizes_ReturnReasonWithoutThrowing()
    {
        var leaf = Tree.GetNode(new NodeId(0, 5));

        Assert.Equal(ProofFailure.WrongProofLength, Inclusion(long.MaxValue - 1, long.MaxValue, leaf, [], leaf));
        Assert.Equal(ProofFailure.RootMismatch, Inclusion(0, 1L << 62, leaf, Enumerable.Repeat(leaf, 62).ToArray(), leaf));
    }

    [Fact]
    public void VerifyConsistency_BadValues_ReturnReasonWithoutThrowing()
    {
        var proof = Tree.ConsistencyProof(6, 13);
        var root6 = Tree.RootHash(6);
        var root13 = Tree.RootHash(13);

        Assert.Equal(ProofFailure.None, Consistency(6, 13, proof, root6, root13));
        Assert.Equal(ProofFailure.InvalidTreeSize, Consistency(-6, 13, proof, root6, root13));
        Assert.Equal(ProofFailure.InvalidTreeSize, Consistency(13, 6, proof, root13, root6));
        Assert.Equal(ProofFailure.InvalidTreeSize, Consistency(6, -13, proof, root6, root13));
        Assert.Equal(ProofFailure.EmptyOldTree, Consistency(0, 0, [], Rfc9162.EmptyRootHash(), Rfc9162.EmptyRootHash()));
        Assert.Equal(ProofFailure.EmptyOldTree, Consistency(0, 13, proof, Rfc9162.EmptyRootHash(), root13));
        Assert.Equal(ProofFailure.WrongProofLength, Consistency(6, 13, [], root6, root13));
        Assert.Equal(ProofFailure.WrongProofLength, Consistency(6, 13, [.. proof, root6], root6, root13));
        Assert.Equal(ProofFailure.WrongProofLength, Consistency(13, 13, [root13], root13, root13));
        Assert.Equal(ProofFailure.MalformedProofHash, Consistency(6, 13, [null!, .. proof.Skip(1)], root6, root13));
        Assert.Equal(ProofFailure.MalformedProofHash, Consistency(6, 13, [.. proof.SkipLast(1), new byte[33]], root6, root13));
        Assert.Equal(ProofFailure.OldRootMismatch, Consistency(6, 13, proof, root6[..31], root13));
        Assert.Equal(ProofFailure.OldRootMismatch, Consistency(6, 13, proof, null!, root13));
        Assert.Equal(ProofFailure.OldRootMismatch, Consistency(6, 13, proof, root13, root13));
        Assert.Equal(ProofFailure.NewRootMismatch, Consistency(6, 13, proof, root6, root6));
        Assert.Equal(ProofFailure.NewRootMismatch, Consistency(6, 13, proof, root6, null!));
        Assert.Equal(ProofFailure.NewRootMismatch, Consistency(13, 13, [], root13, root6));
        Assert.Equal(ProofFailure.None, Consistency(13, 13, [], root13, root13));
    }

    [Fact]
    public void VerifyConsistency_PowerOfTwoOldTree_OldRootIsTheSeed()
    {
        // The proof omits the old root, so a wrong one can only show up in the new root rebuilt from it.
        var proof = Tree.ConsistencyProof(8, 13);

        Assert.Equal(ProofFailure.None, Consistency(8, 13, proof, Tree.RootHash(8), Tree.RootHash(13)));
        Assert.Equal(ProofFailure.NewRootMismatch, Consistency(8, 13, proof, [.. Tree.RootHash(8)[..31], 0], Tree.RootHash(13)));
        Assert.Equal(ProofFailure.OldRootMismatch, Consistency(8, 13, proof, Tree.RootHash(8)[..31], Tree.RootHash(13)));
    }

    [Fact]
    public void ProofResult_Default_IsNotValid()
    {
        Assert.False(default(ProofResult).IsValid);
    }
}
