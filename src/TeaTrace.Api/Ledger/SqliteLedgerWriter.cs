using System.Threading.Channels;
using Dapper;
using Microsoft.Data.Sqlite;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;

namespace TeaTrace.Api.Ledger;

/// <summary>
/// The single writer on SQLite. One thread owns one connection; queued work runs in arrival order and is
/// committed in groups (one fsync for many writes). Each piece of work runs inside its own savepoint, so a
/// refusal or a failure undoes that work and its ledger entries only. Callers hear back after the commit.
/// </summary>
internal sealed class SqliteLedgerWriter(SqliteConnectionFactory connections, TimeProvider clock, ILogger<SqliteLedgerWriter> logger)
    : ILedgerWriter, IDisposable
{
    /// <summary>The most work one commit carries; enough to amortise the fsync, small enough to keep latency low.</summary>
    private const int MaxGroupSize = 256;

    private readonly Channel<IWorkItem> _queue = Channel.CreateUnbounded<IWorkItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _startLock = new();
    private Thread? _thread;
    private SqliteConnection? _connection;
    private LedgerHead? _head;

    public Task<WriteResult<T>> WriteAsync<T>(Func<LedgerTransaction, WriteResult<T>> work, CancellationToken cancellationToken = default)
    {
        EnsureStarted();
        var item = new WorkItem<T>(work, cancellationToken);
        if (!_queue.Writer.TryWrite(item))
        {
            throw new InvalidOperationException("The ledger writer has stopped.");
        }

        return item.Task;
    }

    private void EnsureStarted()
    {
        if (_thread is not null)
        {
            return;
        }

        lock (_startLock)
        {
            if (_thread is not null)
            {
                return;
            }

            var connection = connections.Open();
            // Acknowledged means durable: a commit is on disk, not only in the OS cache, before anyone hears back.
            connection.Execute("PRAGMA synchronous = FULL;");
            _head = LoadHead(connection);
            _connection = connection;
            var thread = new Thread(Run) { IsBackground = true, Name = "ledger-writer" };
            thread.Start();
            _thread = thread;
        }
    }

    private static LedgerHead LoadHead(SqliteConnection connection)
    {
        var last = connection.QuerySingleOrDefault<HeadRow>("SELECT idx, leaf_hash FROM ledger_entries ORDER BY idx DESC LIMIT 1");
        return last is null ? new LedgerHead(0, new byte[32]) : new LedgerHead(last.Idx + 1, last.LeafHash);
    }

    private sealed class HeadRow
    {
        public long Idx { get; init; }

        public byte[] LeafHash { get; init; } = [];
    }

    private void Run()
    {
        var reader = _queue.Reader;
        var group = new List<IWorkItem>(MaxGroupSize);
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            group.Clear();
            while (group.Count < MaxGroupSize && reader.TryRead(out var item))
            {
                group.Add(item);
            }

            RunGroup(group);
        }
    }

    private void RunGroup(List<IWorkItem> group)
    {
        var connection = _connection!;
        var head = _head!;
        var groupStart = head.Save();
        var now = ChinaTime.Now(clock);
        try
        {
            using var transaction = connection.BeginTransaction();
            var context = new LedgerTransaction(connection, transaction, head, now);
            foreach (var item in group)
            {
                if (item.IsCancelled)
                {
                    continue;
                }

                var itemStart = head.Save();
                transaction.Save("work");
                try
                {
                    if (item.Run(context))
                    {
                        transaction.Release("work");
                    }
                    else
                    {
                        transaction.Rollback("work");
                        transaction.Release("work");
                        head.Restore(itemStart);
                    }
                }
                catch (Exception ex)
                {
                    transaction.Rollback("work");
                    transaction.Release("work");
                    head.Restore(itemStart);
                    item.Fail(ex);
                }
            }

            transaction.Commit();
        }
        catch (Exception ex)
        {
            // The commit (or the transaction itself) failed: nothing of this group is on disk.
            head.Restore(groupStart);
            logger.LogError(ex, "A ledger write group of {Count} failed to commit", group.Count);
            foreach (var item in group)
            {
                item.Fail(ex);
                item.Complete();
            }

            return;
        }

        foreach (var item in group)
        {
            item.Complete();
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _thread?.Join(TimeSpan.FromSeconds(10));
        _connection?.Dispose();
    }

    private interface IWorkItem
    {
        bool IsCancelled { get; }

        /// <summary>Runs the work; false when it was refused and must be rolled back.</summary>
        bool Run(LedgerTransaction transaction);

        void Fail(Exception exception);

        void Complete();
    }

    private sealed class WorkItem<T>(Func<LedgerTransaction, WriteResult<T>> work, CancellationToken cancellationToken) : IWorkItem
    {
        private readonly TaskCompletionSource<WriteResult<T>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private WriteResult<T> _result;
        private Exception? _failure;
        private bool _cancelled;

        public Task<WriteResult<T>> Task => _completion.Task;

        // Work not yet started may be dropped when its caller has gone; started work always finishes.
        public bool IsCancelled => _cancelled = cancellationToken.IsCancellationRequested;

        public bool Run(LedgerTransaction transaction)
        {
            _result = work(transaction);
            return !_result.IsRefused;
        }

        public void Fail(Exception exception) => _failure = exception;

        public void Complete()
        {
            if (_cancelled)
            {
                _completion.TrySetCanceled(cancellationToken);
            }
            else if (_failure is not null)
            {
                _completion.TrySetException(_failure);
            }
            else
            {
                _completion.TrySetResult(_result);
            }
        }
    }
}
