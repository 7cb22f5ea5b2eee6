using Dapper;
using Microsoft.Data.Sqlite;
using TeaTrace.Api.Data;

namespace TeaTrace.Api.Ledger;

/// <summary>The writer never stops to copy the WAL back into the database; this does, in the background.</summary>
internal static class WalCheckpointer
{
    /// <summary>About 64 MB of 4 KB pages: past this the WAL is truncated, briefly holding the writer.</summary>
    private const long MaxWalFrames = 16_384;

    /// <summary>Starts the loop with no request's execution context; it ends when stopping is cancelled.</summary>
    public static Task Start(SqliteConnectionFactory connections, ILogger logger, CancellationToken stopping)
    {
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(() => RunAsync(connections, logger, stopping));
        }
    }

    /// <summary>
    /// Copies committed pages from the WAL into the database every second, on its own connection, without waiting
    /// for readers (PASSIVE), and truncates the WAL when it has grown large.
    /// </summary>
    private static async Task RunAsync(SqliteConnectionFactory connections, ILogger logger, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    using var connection = connections.Open();
                    connection.Execute($"PRAGMA busy_timeout = {SqliteConnectionFactory.BusyTimeoutMs};");
                    var (_, walFrames, _) = connection.QuerySingle<(long Busy, long Log, long Checkpointed)>("PRAGMA wal_checkpoint(PASSIVE);");
                    if (walFrames > MaxWalFrames)
                    {
                        // Readers that never pause keep a passive checkpoint from starting the WAL over; this waits for them briefly.
                        connection.Execute("PRAGMA wal_checkpoint(TRUNCATE);");
                    }
                }
                catch (SqliteException ex)
                {
                    logger.LogWarning(ex, "WAL checkpoint failed; it is tried again in a second");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }
}
