using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Benchmarks;

/// <summary>The service's database as the service opens it: its connection factory over a migrated file, and its signing key.</summary>
internal sealed class BenchDatabase
{
    public BenchDatabase(string databasePath, string keyPath)
    {
        TypeHandlers.Register();
        Folder = Path.GetDirectoryName(databasePath)!;
        Connections = new SqliteConnectionFactory($"Data Source={databasePath}", Folder);
        new MigrationRunner(Connections, NullLogger<MigrationRunner>.Instance).Migrate();
        IHostEnvironment environment = new HostingEnvironment { ContentRootPath = Folder, EnvironmentName = "Production" };
        Key = new LedgerSigningKey(Options.Create(new LedgerOptions { SigningKeyPath = keyPath }), environment,
            NullLogger<LedgerSigningKey>.Instance);
    }

    public string Folder { get; }

    public SqliteConnectionFactory Connections { get; }

    public LedgerSigningKey Key { get; }

    public SqliteLedgerWriter StartWriter()
    {
        var writer = new SqliteLedgerWriter(Connections, TimeProvider.System, NullLogger<SqliteLedgerWriter>.Instance);
        writer.Start();
        return writer;
    }

    /// <summary>A new folder under the temp folder (on disk here, not tmpfs, so fsync is real).</summary>
    public static string NewTempFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "teatrace-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    public static void DeleteFolder(string folder)
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
