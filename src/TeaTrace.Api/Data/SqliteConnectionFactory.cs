using Microsoft.Data.Sqlite;

namespace TeaTrace.Api.Data;

/// <summary>
/// The one place connections are made. Every connection has foreign keys on and a busy timeout;
/// WAL is a property of the database file and is set once by the migration runner.
/// </summary>
internal sealed class SqliteConnectionFactory
{
    public const string ConnectionStringName = "TeaTrace";
    public const string DefaultConnectionString = "Data Source=data/teatrace.db";
    public const int BusyTimeoutMs = 5000;

    private readonly string _connectionString;

    public SqliteConnectionFactory(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            // The ledger writer and the readers must share one durable file.
            throw new InvalidOperationException("ConnectionStrings:TeaTrace must name a database file.");
        }

        if (!Path.IsPathRooted(builder.DataSource))
        {
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, builder.DataSource));
        }

        builder.ForeignKeys = true;
        builder.Pooling = true;
        builder.DefaultTimeout = BusyTimeoutMs / 1000;
        DatabasePath = builder.DataSource;
        _connectionString = builder.ToString();
    }

    public string DatabasePath { get; }

    public string ConnectionString => _connectionString;

    /// <summary>
    /// A pooled connection. Its busy timeout is the connection string's Default Timeout (Microsoft.Data.Sqlite retries
    /// a busy database until then), so opening costs no extra statement; the writer also sets PRAGMA busy_timeout.
    /// </summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
