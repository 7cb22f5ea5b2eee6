using System.Data;
using System.Text;
using TeaTrace.Ledger;

namespace TeaTrace.Api.Ledger;

/// <summary>Reads of the stored tree: the hashes of perfect subtrees by (level, index), in one query.</summary>
internal static class MerkleNodes
{
    public const string Insert = "INSERT INTO merkle_nodes (level, idx, hash) VALUES (@Level, @Idx, @Hash)";

    public const string SelectTreeSize = "SELECT COALESCE(MAX(idx) + 1, 0) FROM merkle_nodes WHERE level = 0";

    /// <summary>The hashes of the given nodes in the order asked; a node that is not stored is an error (the tree is damaged).</summary>
    public static byte[][] Read(IDbConnection connection, IReadOnlyList<NodeId> nodes, IDbTransaction? transaction = null)
    {
        if (nodes.Count == 0)
        {
            return [];
        }

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder("SELECT level, idx, hash FROM merkle_nodes WHERE ");
        var distinct = nodes.Distinct().ToList();
        for (var i = 0; i < distinct.Count; i++)
        {
            sql.Append(i == 0 ? "" : " OR ").Append("(level = @l").Append(i).Append(" AND idx = @i").Append(i).Append(')');
            AddParameter(command, $"@l{i}", distinct[i].Level);
            AddParameter(command, $"@i{i}", distinct[i].Index);
        }

        command.CommandText = sql.ToString();
        var found = new Dictionary<NodeId, byte[]>(distinct.Count);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                found[new NodeId(reader.GetInt32(0), reader.GetInt64(1))] = (byte[])reader.GetValue(2);
            }
        }

        var hashes = new byte[nodes.Count][];
        for (var i = 0; i < nodes.Count; i++)
        {
            hashes[i] = found.TryGetValue(nodes[i], out var hash)
                ? hash
                : throw new LedgerIntegrityException($"The stored tree has no node at level {nodes[i].Level}, index {nodes[i].Index}.");
        }

        return hashes;
    }

    /// <summary>The right edge of the tree of the given size, from the stored border nodes.</summary>
    public static CompactRange Edge(IDbConnection connection, long size, IDbTransaction? transaction = null) =>
        CompactRange.FromBorder(size, Read(connection, CompactRange.BorderNodes(size), transaction));

    /// <summary>The root of the tree as it was at the given size: O(log n) reads.</summary>
    public static byte[] RootAt(IDbConnection connection, long size, IDbTransaction? transaction = null) =>
        Edge(connection, size, transaction).RootHash();

    private static void AddParameter(IDbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
