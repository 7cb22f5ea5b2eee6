namespace TeaTrace.Ledger;

// A perfect subtree of the log: the node at level L, index i covers leaves [i·2^L, (i+1)·2^L).
// Once the tree has grown past End its hash never changes, which is what makes it safe to store.
public readonly record struct NodeId(int Level, long Index)
{
    public long Begin => Index << Level;

    public long End => (Index + 1) << Level;

    public NodeId Parent => new(Level + 1, Index >> 1);

    public NodeId Sibling => new(Level, Index ^ 1);

    public override string ToString() => $"({Level}, {Index})";
}
