namespace TeaTrace.Ledger.Tests;

// derived-all-proofs-n1-20.json: every inclusion (210) and consistency (190) proof for trees of 1..20 leaves.
public sealed class DerivedProofTests
{
    private static readonly System.Text.Json.JsonElement Derived = Vectors.Load("derived-all-proofs-n1-20.json");

    private static (InMemoryMerkleTree Tree, byte[][] LeafHashes) Build()
    {
        var leafHashes = Derived.GetProperty("leaf_hashes_hex").HexList();
        var tree = new InMemoryMerkleTree();
        foreach (var entry in Derived.GetProperty("leaves_hex").HexList())
        {
            tree.AppendEntry(entry);
        }

        return (tree, leafHashes);
    }

    [Fact]
    public void Roots_SizesZeroToTwenty_MatchVector()
    {
        var (tree, leafHashes) = Build();
        var roots = Derived.GetProperty("roots").EnumerateArray().ToArray();

        Assert.Equal(21, roots.Length);
        foreach (var root in roots)
        {
            var size = root.GetProperty("size").GetInt32();
            Assert.Equal(root.GetProperty("root_hex").GetString(), tree.RootHash(size).ToHex());
            Assert.Equal(root.GetProperty("root_hex").GetString(), Rfc9162.RootHash(leafHashes[..size]).ToHex());
        }
    }

    [Fact]
    public void InclusionProofs_AllOf210_GeneratedAndVerified()
    {
        var (tree, leafHashes) = Build();
        var cases = Derived.GetProperty("inclusion").EnumerateArray().ToArray();

        Assert.Equal(210, cases.Length);
        foreach (var c in cases)
        {
            var index = c.GetProperty("index").GetInt32();
            var size = c.GetProperty("size").GetInt32();
            var expected = c.GetProperty("proof_hex").HexList();

            Assert.Equal(expected.ToHex(), tree.InclusionProof(index, size).ToHex());
            Assert.Equal(expected.ToHex(), Rfc9162.InclusionProof(leafHashes[..size], index).ToHex());
            Assert.True(ProofVerifier.VerifyInclusion(index, size, leafHashes[index], expected, tree.RootHash(size)).IsValid);
        }
    }

    [Fact]
    public void ConsistencyProofs_AllOf190_GeneratedAndVerified()
    {
        var (tree, leafHashes) = Build();
        var cases = Derived.GetProperty("consistency").EnumerateArray().ToArray();

        Assert.Equal(190, cases.Length);
        foreach (var c in cases)
        {
            var size1 = c.GetProperty("size1").GetInt32();
            var size2 = c.GetProperty("size2").GetInt32();
            var expected = c.GetProperty("proof_hex").HexList();

            Assert.Equal(expected.ToHex(), tree.ConsistencyProof(size1, size2).ToHex());
            Assert.Equal(expected.ToHex(), Rfc9162.ConsistencyProof(leafHashes[..size2], size1).ToHex());
            Assert.True(ProofVerifier.VerifyConsistency(size1, size2, expected, tree.RootHash(size1), tree.RootHash(size2)).IsValid);
        }
    }
}
