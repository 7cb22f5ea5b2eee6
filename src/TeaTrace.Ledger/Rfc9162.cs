using System.Security.Cryptography;

namespace TeaTrace.Ledger;

/// <summary>
/// RFC 9162 §2.1 hashing: leaf = SHA-256(0x00 ‖ data), node = SHA-256(0x01 ‖ left ‖ right).
/// </summary>
public static class Rfc9162
{
    public const int HashSize = 32;

    private const byte LeafPrefix = 0x00;
    private const byte NodePrefix = 0x01;

    /// <summary>The root of the empty tree, SHA-256 of no bytes.</summary>
    public static byte[] EmptyRootHash() => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    public static byte[] HashLeaf(ReadOnlySpan<byte> data)
    {
        var hash = new byte[HashSize];
        HashLeaf(data, hash);
        return hash;
    }

    public static void HashLeaf(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([LeafPrefix]);
        sha.AppendData(data);
        sha.GetHashAndReset(destination);
    }

    public static byte[] HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        if (left.Length != HashSize || right.Length != HashSize)
        {
            throw new ArgumentException("Child hashes must be 32 bytes.");
        }

        Span<byte> buffer = stackalloc byte[1 + (2 * HashSize)];
        buffer[0] = NodePrefix;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + HashSize)..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>
    /// The Merkle tree hash of a list of leaf hashes: split at the largest power of two below n, nothing padded.
    /// </summary>
    public static byte[] RootHash(IReadOnlyList<byte[]> leafHashes)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        return leafHashes.Count == 0 ? EmptyRootHash() : Subtree(leafHashes, 0, leafHashes.Count);
    }

    private static byte[] Subtree(IReadOnlyList<byte[]> leaves, int start, int count)
    {
        if (count == 1)
        {
            return leaves[start];
        }

        var split = LargestPowerOfTwoBelow(count);
        return HashChildren(Subtree(leaves, start, split), Subtree(leaves, start + split, count - split));
    }

    /// <summary>The largest power of two strictly smaller than n (n ≥ 2).</summary>
    public static int LargestPowerOfTwoBelow(int n)
    {
        var k = 1;
        while (k << 1 < n)
        {
            k <<= 1;
        }

        return k;
    }
}
