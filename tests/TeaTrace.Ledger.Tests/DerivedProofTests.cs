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
        Assert.All(cases, c => VectorProofs.AssertInclusion(c, tree, leafHashes));
    }

    [Fact]
    public void ConsistencyProofs_AllOf190_GeneratedAndVerified()
    {
        var (tree, leafHashes) = Build();
        var cases = Derived.GetProperty("consistency").EnumerateArray().ToArray();

        Assert.Equal(190, cases.Length);
        Assert.All(cases, c => VectorProofs.AssertConsistency(c, tree, leafHashes));
    }
}
