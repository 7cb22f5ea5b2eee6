using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Data.Sqlite;
using TeaTrace.Api.Common;
using TeaTrace.Api.Features.Gardens;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Benchmarks;

/// <summary>
/// Acknowledged appends through the service's single writer (group commit, synchronous=FULL, a savepoint per write)
/// against plain SQLite inserts of the same bytes. Every time is per append or per insert; Op/s is appends per second.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 30)]
public class AppendBenchmarks
{
    private const int Writers = 64;
    private const int AppendsPerWriter = 32;
    private const int ConcurrentAppends = Writers * AppendsPerWriter;
    private const int SequentialAppends = 256;
    private const int PlainInserts = 256;
    private const int BatchedInserts = 16_384;

    private string _folder = "";
    private SqliteLedgerWriter _writer = null!;
    private HarvestResponse _harvest = null!;
    private SqliteConnection _plain = null!;
    private SqliteCommand _insert = null!;
    private long _plainIndex;

    [GlobalSetup]
    public void Setup()
    {
        _folder = BenchDatabase.NewTempFolder();
        var db = new BenchDatabase(Path.Combine(_folder, "teatrace.db"), Path.Combine(_folder, "ledger.key"));
        _writer = db.StartWriter();
        _harvest = SampleEntry.Harvest(SampleEntry.Start);

        // The baseline: the bytes of one such entry and its leaf hash into a bare table, in a WAL file like the service's.
        var (_, body, leafHash) = SampleEntry.Build(0, new byte[32], SampleEntry.Start);
        _plain = new SqliteConnection($"Data Source={Path.Combine(_folder, "plain.db")}");
        _plain.Open();
        using (var setup = _plain.CreateCommand())
        {
            setup.CommandText = """
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = FULL;
                CREATE TABLE entries (idx INTEGER PRIMARY KEY, body BLOB NOT NULL, leaf_hash BLOB NOT NULL);
                """;
            setup.ExecuteNonQuery();
        }

        _insert = _plain.CreateCommand();
        _insert.CommandText = "INSERT INTO entries (idx, body, leaf_hash) VALUES (@Idx, @Body, @LeafHash)";
        _insert.Parameters.Add("@Idx", SqliteType.Integer);
        _insert.Parameters.AddWithValue("@Body", body);
        _insert.Parameters.AddWithValue("@LeafHash", leafHash);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _writer.Dispose();
        _insert.Dispose();
        _plain.Dispose();
        BenchDatabase.DeleteFolder(_folder);
    }

    /// <summary>Each insert its own transaction, durable before the next starts: what an acknowledged write must be.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = PlainInserts)]
    public void PlainInsert_DurableEach()
    {
        for (var i = 0; i < PlainInserts; i++)
        {
            using var transaction = _plain.BeginTransaction();
            _insert.Transaction = transaction;
            _insert.Parameters[0].Value = _plainIndex++;
            _insert.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    /// <summary>For context: the same inserts in one transaction, one fsync for all of them.</summary>
    [Benchmark(OperationsPerInvoke = BatchedInserts)]
    public void PlainInsert_OneTransaction()
    {
        using var transaction = _plain.BeginTransaction();
        _insert.Transaction = transaction;
        for (var i = 0; i < BatchedInserts; i++)
        {
            _insert.Parameters[0].Value = _plainIndex++;
            _insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>64 callers at once, each awaiting its acknowledgement before the next append, as concurrent requests do.</summary>
    [Benchmark(OperationsPerInvoke = ConcurrentAppends)]
    public Task LedgerWriter_64Writers() =>
        Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => AppendAsync(AppendsPerWriter)));

    /// <summary>One caller: nothing to group, so every append pays its own commit.</summary>
    [Benchmark(OperationsPerInvoke = SequentialAppends)]
    public Task LedgerWriter_1Writer() => AppendAsync(SequentialAppends);

    private async Task AppendAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var actor = SampleEntry.Actor(i);
            var result = await _writer.WriteAsync(tx => (WriteResult<long>)tx.Append(SampleEntry.Type, _harvest.Id, new TeaTrace.Api.Auth.Caller(actor, "org_bench", TeaTrace.Api.Auth.Roles.Farmer), _harvest).Index);
            if (result.IsRefused)
            {
                throw new InvalidOperationException("An append was refused.");
            }
        }
    }
}
