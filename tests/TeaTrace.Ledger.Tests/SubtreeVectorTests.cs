using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace TeaTrace.Ledger.Tests;

// mtc-subtree-accumulated.json: three rolling SHA-256 digests over every subtree hash, subtree inclusion proof and
// subtree consistency proof of the 130-leaf tree d[i] = byte i, built exactly as its `recipe` says. Every hash
// comes from stored perfect subtrees through the planner; the proofs of subtrees starting at 0 are the RFC 9162
// proofs and go through the public API.
public sealed class SubtreeVectorTests
{
    private const int MaxSize = 130;

    private static readonly System.Text.Json.JsonElement Vector = Vectors.Load("mtc-subtree-accumulated.json");

    private static readonly InMemoryMerkleTree Tree = BuildTree();

    private static readonly byte[][] Roots = [.. Enumerable.Range(0, MaxSize + 1).Select(size => Tree.RootHash(size))];

    private static InMemoryMerkleTree BuildTree()
    {
        var tree = new InMemoryMerkleTree();
        for (var i = 0; i < MaxSize; i++)
        {
            tree.AppendEntry([(byte)i]);
        }

        return tree;
    }

    // start ≤ end and (start == 0 or start == end or start is a multiple of bit_ceil(end - start)).
    private static bool IsSubtree(long start, long end) =>
        start <= end && (start == 0 || start == end || start % (long)BitOperations.RoundUpToPowerOf2((ulong)(end - start)) == 0);

    private static byte[] SubtreeHash(long start, long end)
    {
        if (start == end)
        {
            return Rfc9162.EmptyRootHash();
        }

        if (start == 0)
        {
            return Tree.RootHash(end);
        }

        // A subtree is shaped like a whole tree of end - start leaves, so its nodes fold like a border.
        return CompactRange.FromBorder(end - start, Tree.Read(ProofPlanner.SubtreeNodes(start, end))).RootHash();
    }

    private static void Line(IncrementalHash digest, string prefix, IEnumerable<byte[]> proof)
    {
        var line = new StringBuilder(prefix);
        foreach (var hash in proof)
        {
            line.Append(' ').Append(hash.ToHex());
        }

        digest.AppendData(Encoding.ASCII.GetBytes(line.Append('\n').ToString()));
    }

    [Fact]
    public void SubtreeHashDigest_EveryRootToSize130_MatchesVector()
    {
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var lines = 0;
        for (var end = 0; end <= MaxSize; end++)
        {
            for (var start = 0; start <= end; start++)
            {
                if (IsSubtree(start, end))
                {
                    digest.AppendData(Encoding.ASCII.GetBytes($"[{start}, {end}) {SubtreeHash(start, end).ToHex()}\n"));
                    lines++;
                }
            }
        }

        Assert.True(lines > 2 * MaxSize);
        Assert.Equal(Vector.GetProperty("subtree_hash_digest").GetString(), digest.GetHashAndReset().ToHex());
    }

    [Fact]
    public void SubtreeInclusionDigest_EveryProofToSize130_MatchesVector()
    {
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var verified = 0;
        for (var end = 0; end <= MaxSize; end++)
        {
            for (var start = 0; start <= end; start++)
            {
                if (!IsSubtree(start, end))
                {
                    continue;
                }

                for (var index = start; index < end; index++)
                {
                    IReadOnlyList<byte[]> proof;
                    if (start == 0)
                    {
                        proof = Tree.InclusionProof(index, end);
                        Assert.True(ProofVerifier.VerifyInclusion(index, end, Tree.GetNode(new NodeId(0, index)), proof, Roots[end]).IsValid);
                        verified++;
                    }
                    else
                    {
                        proof = Tree.Build(ProofPlanner.SubtreeInclusion(index, start, end));
                    }

                    Line(digest, $"{index} [{start}, {end})", proof);
                }
            }
        }

        Assert.Equal(MaxSize * (MaxSize + 1) / 2, verified);
        Assert.Equal(Vector.GetProperty("subtree_inclusion_digest").GetString(), digest.GetHashAndReset().ToHex());
    }

    [Fact]
    public void SubtreeConsistencyDigest_EveryProofToSize130_MatchesVector()
    {
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var verified = 0;
        for (var n = 0; n <= MaxSize; n++)
        {
            for (var end = 0; end <= n; end++)
            {
                for (var start = 0; start <= end; start++)
                {
                    if (!IsSubtree(start, end))
                    {
                        continue;
                    }

                    IReadOnlyList<byte[]> proof;
                    if (start == 0 && end > 0)
                    {
                        proof = Tree.ConsistencyProof(end, n);
                        Assert.True(ProofVerifier.VerifyConsistency(end, n, proof, Roots[end], Roots[n]).IsValid);
                        verified++;
                    }
                    else
                    {
                        proof = Tree.Build(ProofPlanner.SubtreeConsistency(start, end, n));
                    }

                    Line(digest, $"[{start}, {end}) {n}", proof);
                }
            }
        }

        Assert.Equal(MaxSize * (MaxSize + 1) / 2, verified);
        Assert.Equal(Vector.GetProperty("subtree_consistency_digest").GetString(), digest.GetHashAndReset().ToHex());
    }
}
