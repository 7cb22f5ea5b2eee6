using Dapper;
using Microsoft.Data.Sqlite;
using TeaTrace.Ledger;

namespace TeaTrace.Api.Ledger;

/// <summary>
/// At start: the end of the chain and the tree's right edge, rebuilt from the stored nodes; tree nodes are added for
/// entries appended before the tree was kept. Refuses to go on when the stored tree is longer than the entries.
/// </summary>
internal sealed class LedgerLoader(string databasePath, ILogger logger)
{
    private const int BackfillBatch = 10_000;

    public LedgerHead LoadHead(SqliteConnection connection)
    {
        var entries = connection.ExecuteScalar<long>("SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_entries");
        var treeSize = connection.ExecuteScalar<long>(MerkleNodes.SelectTreeSize);
        if (treeSize > entries)
        {
            throw new LedgerIntegrityException(
                $"The stored tree has {treeSize} leaves but the ledger has {entries} entries: ledger entries are missing from {databasePath}. Restore it from a backup.");
        }

        var edge = MerkleNodes.Edge(connection, treeSize);
        if (treeSize < entries)
        {
            Backfill(connection, edge, entries);
        }

        var last = entries == 0 ? new byte[32] : connection.ExecuteScalar<byte[]>("SELECT leaf_hash FROM ledger_entries WHERE idx = @Idx", new { Idx = entries - 1 })!;
        return new LedgerHead(last, edge);
    }

    /// <summary>Adds tree nodes for entries appended before the tree was kept (a database from before migration 0002).</summary>
    private void Backfill(SqliteConnection connection, CompactRange edge, long entries)
    {
        logger.LogInformation("Building tree nodes for ledger entries {From} to {To}", edge.Size, entries - 1);
        while (edge.Size < entries)
        {
            using var transaction = connection.BeginTransaction();
            var leaves = connection.Query<byte[]>("SELECT leaf_hash FROM ledger_entries WHERE idx >= @From ORDER BY idx LIMIT @Count",
                new { From = edge.Size, Count = BackfillBatch }, transaction).ToList();
            foreach (var leaf in leaves)
            {
                foreach (var node in edge.Append(leaf))
                {
                    connection.Execute(MerkleNodes.Insert, new { node.Id.Level, Idx = node.Id.Index, node.Hash }, transaction);
                }
            }

            transaction.Commit();
        }
    }
}
