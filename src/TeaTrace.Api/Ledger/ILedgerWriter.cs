using Microsoft.Data.Sqlite;
using TeaTrace.Api.Common;

namespace TeaTrace.Api.Ledger;

/// <summary>
/// The one way anything is written. Work runs in strict order inside a transaction that also appends its ledger
/// entries; a refusal or an exception rolls back that work alone. The returned task completes only after the
/// transaction is durable. On SQLite this is an in-process sequencer; a multi-instance backend would put a
/// database-level lock or an elected sequencer behind the same interface.
/// </summary>
internal interface ILedgerWriter
{
    /// <summary>
    /// Runs work in the write order. When it succeeds and reply carries the request's Idempotency-Key, the reply is
    /// stored in the same transaction.
    /// </summary>
    Task<WriteResult<T>> WriteAsync<T>(Func<LedgerTransaction, WriteResult<T>> work, Idempotency.Reply<T>? reply, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs work between commits, when every appended entry is durable and nothing else is writing: the place to
    /// sign a checkpoint of the committed tree.
    /// </summary>
    Task<T> RunExclusiveAsync<T>(Func<CommittedTree, T> work, CancellationToken cancellationToken = default);
}

internal static class LedgerWriterExtensions
{
    /// <summary>Work that answers no request of its own (jobs, seeding, the scan recorder).</summary>
    public static Task<WriteResult<T>> WriteAsync<T>(this ILedgerWriter writer, Func<LedgerTransaction, WriteResult<T>> work, CancellationToken cancellationToken = default) =>
        writer.WriteAsync(work, null, cancellationToken);
}

/// <summary>The committed ledger as the writer sees it between commits, with the connection to record things on.</summary>
internal sealed record CommittedTree(SqliteConnection Connection, long Size, byte[] RootHash, DateTimeOffset Now);
