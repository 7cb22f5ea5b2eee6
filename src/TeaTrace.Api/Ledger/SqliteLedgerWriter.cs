using System.Threading.Channels;
using Dapper;
using Microsoft.Data.Sqlite;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Ledger;

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
    private PreparedCommands? _prepared;
    private Task? _checkpointer;
    private readonly CancellationTokenSource _stopping = new();

    public Task<WriteResult<T>> WriteAsync<T>(Func<LedgerTransaction, WriteResult<T>> work, Idempotency.Reply<T>? reply, CancellationToken cancellationToken = default) =>
        Enqueue(new WorkItem<T>(work, reply, cancellationToken));

    public Task<T> RunExclusiveAsync<T>(Func<CommittedTree, T> work, CancellationToken cancellationToken = default) =>
        Enqueue(new ExclusiveItem<T>(work, cancellationToken));

    private Task<T> Enqueue<T>(WorkItemBase<T> item)
    {
        Start();
        return _queue.Writer.TryWrite(item) ? item.Task : throw new InvalidOperationException("The ledger writer has stopped.");
    }

    /// <summary>Opens the writer's connection and rebuilds the tree's right edge from the stored nodes.</summary>
    public void Start()
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
            connection.Execute($"PRAGMA synchronous = FULL; PRAGMA busy_timeout = {SqliteConnectionFactory.BusyTimeoutMs};");
            // What the writer deletes or erases (sealed parts, forgotten replays) is overwritten with zeros, not left in free pages.
            connection.Execute("PRAGMA secure_delete = ON;");
            // The writer never stops to copy the WAL back into the database; a background checkpointer does that.
            connection.Execute("PRAGMA wal_autocheckpoint = 0;");
            _head = new LedgerLoader(connections.DatabasePath, logger).LoadHead(connection);
            _prepared = new PreparedCommands(connection);
            _connection = connection;
            var thread = new Thread(Run) { IsBackground = true, Name = "ledger-writer" };
            thread.UnsafeStart(); // no request's execution context rides along into the writer thread
            _thread = thread;
            _checkpointer = WalCheckpointer.Start(connections, logger, _stopping.Token);
        }
    }

    private void Run()
    {
        var reader = _queue.Reader;
        var group = new List<IWorkItem>(MaxGroupSize);
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            group.Clear();
            while (group.Count < MaxGroupSize && reader.TryPeek(out var next))
            {
                if (next.IsExclusive && group.Count > 0)
                {
                    break; // commit what came before it first
                }

                reader.TryRead(out _);
                if (next.IsExclusive)
                {
                    RunExclusive(next);
                    continue;
                }

                group.Add(next);
            }

            if (group.Count > 0)
            {
                RunGroup(group);
            }
        }
    }

    private void RunExclusive(IWorkItem item)
    {
        if (!item.IsCancelled)
        {
            try
            {
                var edge = _head!.Edge;
                item.RunExclusive(new CommittedTree(_connection!, edge.Size, edge.RootHash(), ChinaTime.Now(clock)));
            }
            catch (Exception ex)
            {
                item.Fail(ex);
            }
        }

        item.Complete();
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
            var context = new LedgerTransaction(connection, transaction, head, now, _prepared!);
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
        // Queued work is finished before the connection closes; a commit in flight is never cut off.
        _queue.Writer.TryComplete();
        _thread?.Join();
        _stopping.Cancel();
        _checkpointer?.Wait(TimeSpan.FromSeconds(5));
        _prepared?.Dispose();
        _connection?.Dispose();
    }

    private interface IWorkItem
    {
        bool IsExclusive { get; }

        bool IsCancelled { get; }

        /// <summary>Runs the work; false when it was refused and must be rolled back.</summary>
        bool Run(LedgerTransaction transaction);

        void RunExclusive(CommittedTree tree);

        void Fail(Exception exception);

        void Complete();
    }

    private abstract class WorkItemBase<T>(CancellationToken cancellationToken) : IWorkItem
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Exception? _failure;
        private bool _cancelled;

        public Task<T> Task => _completion.Task;

        public abstract bool IsExclusive { get; }

        // Work not yet started may be dropped when its caller has gone; started work always finishes.
        public bool IsCancelled
        {
            get
            {
                _cancelled = cancellationToken.IsCancellationRequested; // remembered: Complete() reports what Run saw
                return _cancelled;
            }
        }

        protected T Result { get; set; } = default!;

        public virtual bool Run(LedgerTransaction transaction) => throw new InvalidOperationException("Exclusive work runs outside a transaction.");

        public virtual void RunExclusive(CommittedTree tree) => throw new InvalidOperationException("This work runs inside a transaction.");

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
                _completion.TrySetResult(Result);
            }
        }
    }

    private sealed class WorkItem<T>(Func<LedgerTransaction, WriteResult<T>> work, Idempotency.Reply<T>? reply, CancellationToken cancellationToken)
        : WorkItemBase<WriteResult<T>>(cancellationToken)
    {
        public override bool IsExclusive => false;

        public override bool Run(LedgerTransaction transaction)
        {
            Result = work(transaction);
            if (Result.IsRefused)
            {
                return false;
            }

            reply?.Remember(transaction, Result.Value!);
            return true;
        }
    }

    private sealed class ExclusiveItem<T>(Func<CommittedTree, T> work, CancellationToken cancellationToken)
        : WorkItemBase<T>(cancellationToken)
    {
        public override bool IsExclusive => true;

        public override void RunExclusive(CommittedTree tree) => Result = work(tree);
    }
}
