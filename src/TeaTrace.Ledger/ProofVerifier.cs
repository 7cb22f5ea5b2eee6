using System.Numerics;

namespace TeaTrace.Ledger;

public enum ProofFailure
{
    None = 0,
    InvalidTreeSize,
    IndexOutOfRange,
    EmptyOldTree,
    MalformedLeafHash,
    MalformedProofHash,
    WrongProofLength,
    RootMismatch,
    OldRootMismatch,
    NewRootMismatch,
}

// Only the verifier makes a valid result: default(ProofResult) is invalid, so a forgotten assignment fails closed.
public readonly record struct ProofResult
{
    private ProofResult(bool isValid, ProofFailure failure)
    {
        IsValid = isValid;
        Failure = failure;
    }

    public bool IsValid { get; }

    public ProofFailure Failure { get; }

    internal static ProofResult Valid { get; } = new(true, ProofFailure.None);

    internal static ProofResult Fail(ProofFailure failure) => new(false, failure);
}

// Verification of RFC 9162 proofs with the edge-case semantics of transparency-dev/merkle (proof/verify.go).
// Every argument except the proof list is data from someone else, so any value is answered with a result,
// never an exception; only a null proof list (a programming error) throws.
public static class ProofVerifier
{
    public static ProofResult VerifyInclusion(
        long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (size < 0)
        {
            return ProofResult.Fail(ProofFailure.InvalidTreeSize);
        }

        if (index < 0 || index >= size)
        {
            return ProofResult.Fail(ProofFailure.IndexOutOfRange);
        }

        if (leafHash.Length != Rfc9162.HashSize)
        {
            return ProofResult.Fail(ProofFailure.MalformedLeafHash);
        }

        var (inner, border) = Decompose(index, size);
        if (proof.Count != inner + border)
        {
            return ProofResult.Fail(ProofFailure.WrongProofLength);
        }

        if (!AllHashes(proof))
        {
            return ProofResult.Fail(ProofFailure.MalformedProofHash);
        }

        var hash = ChainInner(leafHash.ToArray(), proof, 0, inner, index);
        hash = ChainBorderRight(hash, proof, inner, border);
        return IsHash(root, hash) ? ProofResult.Valid : ProofResult.Fail(ProofFailure.RootMismatch);
    }

    public static ProofResult VerifyConsistency(
        long size1, long size2, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root1, ReadOnlySpan<byte> root2)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (size1 < 0 || size2 < size1)
        {
            return ProofResult.Fail(ProofFailure.InvalidTreeSize);
        }

        // Every tree extends the empty one, so such a proof proves nothing; transparency-dev rejects it, even 0 → 0.
        if (size1 == 0)
        {
            return ProofResult.Fail(ProofFailure.EmptyOldTree);
        }

        if (size1 == size2)
        {
            if (proof.Count != 0)
            {
                return ProofResult.Fail(ProofFailure.WrongProofLength);
            }

            // Plain byte equality, whatever the length, as transparency-dev does: same size, same root.
            return root1.SequenceEqual(root2) ? ProofResult.Valid : ProofResult.Fail(ProofFailure.NewRootMismatch);
        }

        if (root1.Length != Rfc9162.HashSize)
        {
            return ProofResult.Fail(ProofFailure.OldRootMismatch);
        }

        // The proof is, in effect, the tail of the inclusion proof of leaf size1-1 in the tree of size2, starting at
        // the level of the largest perfect subtree that ends at size1. That subtree's hash comes first in the proof,
        // unless it is the whole old tree, whose root the verifier already has.
        var (inner, border) = Decompose(size1 - 1, size2);
        var shift = BitOperations.TrailingZeroCount(size1);
        inner -= shift;
        var oldTreeIsPerfect = TreeMath.IsPowerOfTwo(size1);
        var start = oldTreeIsPerfect ? 0 : 1;
        if (proof.Count != start + inner + border)
        {
            return ProofResult.Fail(ProofFailure.WrongProofLength);
        }

        if (!AllHashes(proof))
        {
            return ProofResult.Fail(ProofFailure.MalformedProofHash);
        }

        var seed = oldTreeIsPerfect ? root1.ToArray() : proof[0];
        var mask = (size1 - 1) >> shift;

        var hash1 = ChainInnerRight(seed, proof, start, inner, mask);
        hash1 = ChainBorderRight(hash1, proof, start + inner, border);
        if (!IsHash(root1, hash1))
        {
            return ProofResult.Fail(ProofFailure.OldRootMismatch);
        }

        var hash2 = ChainInner(seed, proof, start, inner, mask);
        hash2 = ChainBorderRight(hash2, proof, start + inner, border);
        return IsHash(root2, hash2) ? ProofResult.Valid : ProofResult.Fail(ProofFailure.NewRootMismatch);
    }

    // Below level `inner` the paths to leaf `index` and to the last leaf differ, so the proof has a sibling at each
    // of those levels. Above it the path runs along the right border, where only left siblings exist: one per set bit.
    private static (int Inner, int Border) Decompose(long index, long size)
    {
        var inner = 64 - BitOperations.LeadingZeroCount((ulong)(index ^ (size - 1)));
        var border = BitOperations.PopCount((ulong)index >> inner);
        return (inner, border);
    }

    private static byte[] ChainInner(byte[] seed, IReadOnlyList<byte[]> proof, int start, int count, long index)
    {
        for (var i = 0; i < count; i++)
        {
            seed = ((index >> i) & 1) == 0
                ? Rfc9162.HashChildren(seed, proof[start + i])
                : Rfc9162.HashChildren(proof[start + i], seed);
        }

        return seed;
    }

    // Only the left siblings: what the old tree's root is made of.
    private static byte[] ChainInnerRight(byte[] seed, IReadOnlyList<byte[]> proof, int start, int count, long index)
    {
        for (var i = 0; i < count; i++)
        {
            if (((index >> i) & 1) == 1)
            {
                seed = Rfc9162.HashChildren(proof[start + i], seed);
            }
        }

        return seed;
    }

    private static byte[] ChainBorderRight(byte[] seed, IReadOnlyList<byte[]> proof, int start, int count)
    {
        for (var i = 0; i < count; i++)
        {
            seed = Rfc9162.HashChildren(proof[start + i], seed);
        }

        return seed;
    }

    private static bool AllHashes(IReadOnlyList<byte[]> proof)
    {
        foreach (var hash in proof)
        {
            if (hash is not { Length: Rfc9162.HashSize })
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsHash(ReadOnlySpan<byte> expected, byte[] computed) => expected.SequenceEqual(computed);
}
