namespace TeaTrace.Ledger;

// The server's storage scheme with a dictionary for a database: it keeps every perfect subtree that Append reports
// and answers roots and proofs by reading only the nodes the planner asks for. The model for the real store, and the
// tree for small sets kept in memory (a lot's serials). Reads may run concurrently once appends are done.
public sealed class InMemoryMerkleTree
{
    private readonly Dictionary<NodeId, byte[]> _nodes = [];
    private readonly CompactRange _edge = new();

    public long Size => _edge.Size;

    public int StoredNodeCount => _nodes.Count;

    public long NodeReads { get; private set; }

    public void Append(ReadOnlySpan<byte> leafHash)
    {
        foreach (var node in _edge.Append(leafHash))
        {
            _nodes.Add(node.Id, node.Hash);
        }
    }

    public void AppendEntry(ReadOnlySpan<byte> entry) => Append(Rfc9162.HashLeaf(entry));

    public byte[] GetNode(NodeId id)
    {
        NodeReads++; // a statistic for tests; a lost increment under concurrent reads does no harm
        return _nodes.TryGetValue(id, out var hash)
            ? hash
            : throw new KeyNotFoundException($"Node {id} is not a perfect subtree of a tree of size {Size}.");
    }

    public byte[] RootHash() => _edge.RootHash();

    public byte[] RootHash(long size)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, Size);
        return CompactRange.FromBorder(size, Read(CompactRange.BorderNodes(size))).RootHash();
    }

    // What a restarted server does: rebuild the edge of its current size from stored nodes.
    public CompactRange RebuildEdge() => CompactRange.FromBorder(Size, Read(CompactRange.BorderNodes(Size)));

    public IReadOnlyList<byte[]> InclusionProof(long index, long size)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, Size);
        return Build(ProofPlanner.Inclusion(index, size));
    }

    public IReadOnlyList<byte[]> ConsistencyProof(long size1, long size2)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size2, Size);
        return Build(ProofPlanner.Consistency(size1, size2));
    }

    public IReadOnlyList<byte[]> Build(ProofPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.BuildProof(Read(plan.Nodes));
    }

    public byte[][] Read(IReadOnlyList<NodeId> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return [.. ids.Select(GetNode)];
    }
}
