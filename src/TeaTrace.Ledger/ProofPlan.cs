namespace TeaTrace.Ledger;

// What to read from node storage to build one proof, and how to turn what was read into the proof.
// Nodes lists perfect subtrees in fetch order. Where the proof needs the hash of an incomplete subtree on the right
// border (an "ephemeral" node, never stored), the block Nodes[EphemeralStart..EphemeralEnd) holds the perfect
// subtrees that cover it, lowest first, and BuildProof folds them into that one hash.
public sealed class ProofPlan
{
    internal ProofPlan(IReadOnlyList<NodeId> nodes, int ephemeralStart, int ephemeralEnd)
    {
        Nodes = nodes;
        EphemeralStart = ephemeralStart;
        EphemeralEnd = ephemeralEnd;
    }

    public IReadOnlyList<NodeId> Nodes { get; }

    public int EphemeralStart { get; }

    public int EphemeralEnd { get; }

    public int ProofLength => Nodes.Count - Math.Max(0, EphemeralEnd - EphemeralStart - 1);

    // hashes[i] is the stored hash of Nodes[i]. A wrong count or length is a bug in the caller's storage code.
    public IReadOnlyList<byte[]> BuildProof(IReadOnlyList<byte[]> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        if (hashes.Count != Nodes.Count)
        {
            throw new ArgumentException($"Expected {Nodes.Count} node hashes, got {hashes.Count}.", nameof(hashes));
        }

        for (var i = 0; i < hashes.Count; i++)
        {
            if (hashes[i] is not { Length: Rfc9162.HashSize })
            {
                throw new ArgumentException($"The hash of node {Nodes[i]} is not 32 bytes.", nameof(hashes));
            }
        }

        var proof = new List<byte[]>(ProofLength);
        for (var i = 0; i < hashes.Count;)
        {
            if (i == EphemeralStart && EphemeralEnd - EphemeralStart > 1)
            {
                // Lowest first, so each next node is the left neighbour of everything folded so far.
                var hash = hashes[i];
                for (var j = i + 1; j < EphemeralEnd; j++)
                {
                    hash = Rfc9162.HashChildren(hashes[j], hash);
                }

                proof.Add(hash);
                i = EphemeralEnd;
            }
            else
            {
                proof.Add(hashes[i]);
                i++;
            }
        }

        return proof;
    }

    internal ProofPlan Shift(Func<NodeId, NodeId> move) =>
        new([.. Nodes.Select(move)], EphemeralStart, EphemeralEnd);
}
