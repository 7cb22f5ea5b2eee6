namespace TeaTrace.Ledger;

public readonly record struct NodeHash(NodeId Id, byte[] Hash);

// The right edge of the tree: the roots of the perfect subtrees that make up [0, Size), one per set bit of Size,
// largest (leftmost) first. It is all the state an appending log needs to compute its root and the new nodes.
public sealed class CompactRange
{
    private readonly List<byte[]> _hashes;

    public CompactRange()
        : this(0, [])
    {
    }

    private CompactRange(long size, List<byte[]> hashes)
    {
        Size = size;
        _hashes = hashes;
    }

    public long Size { get; private set; }

    public IReadOnlyList<NodeHash> Border =>
        [.. BorderNodes(Size).Select((id, i) => new NodeHash(id, [.. _hashes[i]]))];

    // The perfect subtrees along the border of a tree of the given size, largest first. Their stored hashes rebuild
    // the edge (FromBorder) and give the root of that size, for any size the log has ever had.
    public static IReadOnlyList<NodeId> BorderNodes(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return TreeMath.RangeNodes(0, size);
    }

    // borderHashes[i] is the stored hash of BorderNodes(size)[i].
    public static CompactRange FromBorder(long size, IReadOnlyList<byte[]> borderHashes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentNullException.ThrowIfNull(borderHashes);
        var expected = BorderNodes(size).Count;
        if (borderHashes.Count != expected)
        {
            throw new ArgumentException(
                $"A tree of size {size} has {expected} border nodes, got {borderHashes.Count}.", nameof(borderHashes));
        }

        if (borderHashes.Any(hash => hash is not { Length: Rfc9162.HashSize }))
        {
            throw new ArgumentException("Border hashes must be 32 bytes.", nameof(borderHashes));
        }

        return new CompactRange(size, [.. borderHashes.Select(hash => hash.ToArray())]);
    }

    // Adds a leaf and returns every perfect subtree this completes, the leaf itself first: the nodes the server stores.
    // Leaf i completes one node per trailing one bit of i, so on average two nodes per append.
    public IReadOnlyList<NodeHash> Append(ReadOnlySpan<byte> leafHash)
    {
        if (leafHash.Length != Rfc9162.HashSize)
        {
            throw new ArgumentException("A leaf hash is 32 bytes.", nameof(leafHash));
        }

        var node = new NodeId(0, Size);
        var hash = leafHash.ToArray();
        var completed = new List<NodeHash> { new(node, hash) };
        while ((node.Index & 1) == 1)
        {
            hash = Rfc9162.HashChildren(_hashes[^1], hash);
            _hashes.RemoveAt(_hashes.Count - 1);
            node = node.Parent;
            completed.Add(new(node, hash));
        }

        // Callers keep the returned arrays; the edge keeps its own.
        _hashes.Add([.. hash]);
        Size++;
        return completed;
    }

    // A copy that appends independently: a writer keeps one to roll back to when a transaction is undone.
    public CompactRange Clone() => new(Size, [.. _hashes]);

    public byte[] RootHash()
    {
        if (_hashes.Count == 0)
        {
            return Rfc9162.EmptyRootHash();
        }

        // Right to left: the tree's shape puts each smaller border subtree under the right child of the larger one.
        var root = _hashes[^1];
        for (var i = _hashes.Count - 2; i >= 0; i--)
        {
            root = Rfc9162.HashChildren(_hashes[i], root);
        }

        return [.. root];
    }
}
