namespace TeaTrace.Ledger.Tests;

// Random trees of up to a few thousand leaves (fixed seeds, so failures reproduce): proofs built from stored nodes
// equal the RFC's recursive definitions, verify, and stop verifying when any single bit is flipped.
public sealed class ProofPropertyTests
{
    private const int MaxSize = 3000;

    private static readonly byte[][] LeafHashes = RandomLeaves(new Random(9162), MaxSize);

    private static readonly InMemoryMerkleTree Tree = Build(LeafHashes);

    private static byte[][] RandomLeaves(Random random, int count) =>
        [.. Enumerable.Range(0, count).Select(_ =>
        {
            var entry = new byte[random.Next(0, 64)];
            random.NextBytes(entry);
            return Rfc9162.HashLeaf(entry);
        })];

    private static InMemoryMerkleTree Build(byte[][] leafHashes)
    {
        var tree = new InMemoryMerkleTree();
        foreach (var leafHash in leafHashes)
        {
            tree.Append(leafHash);
        }

        return tree;
    }

    private static ArraySegment<byte[]> Prefix(int size) => new(LeafHashes, 0, size);

    // Every bit for a quarter of the proofs, and one bit in eight for the others, keeps the run short.
    private static IEnumerable<T> Sample<T>(IEnumerable<T> all, int round, Random random) =>
        round % 4 == 0 ? all : all.Where(_ => random.Next(0, 8) == 0);

    private static IEnumerable<byte[]> WithEachBitFlipped(byte[] hash)
    {
        for (var bit = 0; bit < hash.Length * 8; bit++)
        {
            var flipped = hash.ToArray();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            yield return flipped;
        }
    }

    private static IEnumerable<byte[][]> ProofsWithEachBitFlipped(IReadOnlyList<byte[]> proof)
    {
        for (var i = 0; i < proof.Count; i++)
        {
            foreach (var flipped in WithEachBitFlipped(proof[i]))
            {
                var tampered = proof.ToArray();
                tampered[i] = flipped;
                yield return tampered;
            }
        }
    }

    [Fact]
    public void Roots_RandomSizes_StoredNodesMatchRecursiveReference()
    {
        var random = new Random(1);
        var edge = new CompactRange();
        foreach (var size in Enumerable.Range(0, 40).Select(_ => random.Next(0, MaxSize + 1)).Order())
        {
            while (edge.Size < size)
            {
                edge.Append(LeafHashes[edge.Size]);
            }

            var expected = Rfc9162.RootHash(Prefix(size)).ToHex();
            Assert.Equal(expected, Tree.RootHash(size).ToHex());
            Assert.Equal(expected, edge.RootHash().ToHex());
        }
    }

    [Fact]
    public void InclusionProofs_RandomTrees_MatchReferenceVerifyAndRejectEveryFlippedBit()
    {
        var random = new Random(2);
        for (var round = 0; round < 40; round++)
        {
            var size = round < 4 ? (int)Math.Pow(2, 8 + round) : random.Next(1, MaxSize + 1);
            var index = round % 5 == 0 ? size - 1 : random.Next(0, size);
            var root = Tree.RootHash(size);
            var leaf = LeafHashes[index];

            var proof = Tree.InclusionProof(index, size);
            Assert.Equal(Rfc9162.InclusionProof(Prefix(size), index).ToHex(), proof.ToHex());

            bool Verifies(byte[] l, IReadOnlyList<byte[]> p, byte[] r) => ProofVerifier.VerifyInclusion(index, size, l, p, r).IsValid;
            Assert.True(Verifies(leaf, proof, root));
            Assert.All(Sample(ProofsWithEachBitFlipped(proof), round, random), p => Assert.False(Verifies(leaf, p, root)));
            Assert.All(Sample(WithEachBitFlipped(leaf), round, random), l => Assert.False(Verifies(l, proof, root)));
            Assert.All(Sample(WithEachBitFlipped(root), round, random), r => Assert.False(Verifies(leaf, proof, r)));
            if (size > 1)
            {
                Assert.False(ProofVerifier.VerifyInclusion(index ^ 1, size, leaf, proof, root).IsValid);
            }
        }
    }

    [Fact]
    public void ConsistencyProofs_RandomTrees_MatchReferenceVerifyAndRejectEveryFlippedBit()
    {
        var random = new Random(3);
        for (var round = 0; round < 40; round++)
        {
            var size2 = random.Next(1, MaxSize + 1);
            var size1 = (round % 6) switch
            {
                0 => size2,
                1 => 1 << random.Next(0, (int)Math.Log2(size2) + 1),
                _ => random.Next(1, size2 + 1),
            };
            var root1 = Tree.RootHash(size1);
            var root2 = Tree.RootHash(size2);

            var proof = Tree.ConsistencyProof(size1, size2);
            Assert.Equal(Rfc9162.ConsistencyProof(Prefix(size2), size1).ToHex(), proof.ToHex());

            bool Verifies(IReadOnlyList<byte[]> p, byte[] r1, byte[] r2) => ProofVerifier.VerifyConsistency(size1, size2, p, r1, r2).IsValid;
            Assert.True(Verifies(proof, root1, root2));
            Assert.All(Sample(ProofsWithEachBitFlipped(proof), round, random), p => Assert.False(Verifies(p, root1, root2)));
            Assert.All(Sample(WithEachBitFlipped(root1), round, random), r => Assert.False(Verifies(proof, r, root2)));
            Assert.All(Sample(WithEachBitFlipped(root2), round, random), r => Assert.False(Verifies(proof, root1, r)));
        }
    }

    [Fact]
    public void ProofPlans_SizesUpToMax_ReadLogarithmicallyManyNodes()
    {
        var random = new Random(4);
        for (var round = 0; round < 500; round++)
        {
            var size = random.Next(1, MaxSize + 1);
            var other = random.Next(1, size + 1);
            var bound = (2 * (int)Math.Ceiling(Math.Log2(size))) + 1;

            Assert.InRange(ProofPlanner.Inclusion(other - 1, size).Nodes.Count, 0, bound);
            Assert.InRange(ProofPlanner.Consistency(other, size).Nodes.Count, 0, bound);
            Assert.InRange(CompactRange.BorderNodes(size).Count, 1, (int)Math.Log2(size) + 1);
        }
    }

    [Fact]
    public void StoredNodes_RebuiltEdge_ContinuesLikeTheOriginal()
    {
        var random = new Random(5);
        var leaves = RandomLeaves(random, 700);
        var original = new CompactRange();
        var stored = new InMemoryMerkleTree();
        foreach (var size in new[] { 1, 2, 3, 64, 255, 256, 257, 699 })
        {
            while (original.Size < size)
            {
                original.Append(leaves[original.Size]);
                stored.Append(leaves[stored.Size]);
            }

            var rebuilt = stored.RebuildEdge();
            Assert.Equal(original.RootHash().ToHex(), rebuilt.RootHash().ToHex());

            var next = leaves[size];
            Assert.Equal(
                original.Append(next).Select(n => $"{n.Id}={n.Hash.ToHex()}"),
                rebuilt.Append(next).Select(n => $"{n.Id}={n.Hash.ToHex()}"));
            stored.Append(next);
            Assert.Equal(original.RootHash().ToHex(), rebuilt.RootHash().ToHex());
        }
    }
}
