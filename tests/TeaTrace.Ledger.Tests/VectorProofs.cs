using System.Text.Json;

namespace TeaTrace.Ledger.Tests;

// Proof cases of the golden and derived vector files: the proof from stored nodes and the RFC's recursive one
// both equal the vector's, and the vector's proof verifies against the tree's roots.
internal static class VectorProofs
{
    public static void AssertInclusion(JsonElement c, InMemoryMerkleTree tree, byte[][] leafHashes)
    {
        var index = c.GetProperty("index").GetInt32();
        var size = c.GetProperty("size").GetInt32();
        var expected = c.GetProperty("proof_hex").HexList();

        Assert.Equal(expected.ToHex(), tree.InclusionProof(index, size).ToHex());
        Assert.Equal(expected.ToHex(), Rfc9162.InclusionProof(leafHashes[..size], index).ToHex());
        var result = ProofVerifier.VerifyInclusion(index, size, leafHashes[index], expected, tree.RootHash(size));
        Assert.True(result.IsValid, $"leaf {index} of {size}: {result.Failure}");
    }

    public static void AssertConsistency(JsonElement c, InMemoryMerkleTree tree, byte[][] leafHashes)
    {
        var size1 = c.GetProperty("size1").GetInt32();
        var size2 = c.GetProperty("size2").GetInt32();
        var expected = c.GetProperty("proof_hex").HexList();

        Assert.Equal(expected.ToHex(), tree.ConsistencyProof(size1, size2).ToHex());
        Assert.Equal(expected.ToHex(), Rfc9162.ConsistencyProof(leafHashes[..size2], size1).ToHex());
        var result = ProofVerifier.VerifyConsistency(size1, size2, expected, tree.RootHash(size1), tree.RootHash(size2));
        Assert.True(result.IsValid, $"{size1} → {size2}: {result.Failure}");
    }
}
