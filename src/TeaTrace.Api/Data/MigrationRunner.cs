using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace TeaTrace.Api.Data;

/// <summary>
/// Applies migrations/NNNN_name.sql in order, each in its own transaction, and records them in schema_migrations.
/// A migration that was applied and later edited stops the start: landed migrations are never edited.
/// </summary>
internal sealed class MigrationRunner(SqliteConnectionFactory connections, ILogger<MigrationRunner> logger)
{
    private const string ResourcePrefix = "migrations/";

    private const string CreateTrackingTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version     INTEGER PRIMARY KEY,
            name        TEXT NOT NULL,
            sha256      TEXT NOT NULL,
            applied_at  TEXT NOT NULL
        );
        """;

    private const string SelectApplied = "SELECT version, name, sha256 FROM schema_migrations ORDER BY version";

    private const string InsertApplied = """
        INSERT INTO schema_migrations (version, name, sha256, applied_at)
        VALUES (@Version, @Name, @Sha256, @AppliedAt)
        """;

    public sealed record Migration(int Version, string Name, string Sql, string Sha256);

    private sealed class AppliedRow
    {
        public long Version { get; init; }
        public string Name { get; init; } = "";
        public string Sha256 { get; init; } = "";
    }

    public static IReadOnlyList<Migration> LoadEmbedded()
    {
        var assembly = typeof(MigrationRunner).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var fileName = resource[ResourcePrefix.Length..];
            var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
            if (underscore != 4 || !int.TryParse(fileName[..4], out var version) || !fileName.EndsWith(".sql", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Migration file '{fileName}' is not named NNNN_name.sql.");
            }

            var sql = ReadResource(assembly, resource);
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
            migrations.Add(new Migration(version, fileName[5..^4], sql, hash));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Migrations must be numbered 0001, 0002, … without gaps; found {migrations[i].Version:D4} at position {i + 1}.");
            }
        }

        return migrations;
    }

    public int Migrate()
    {
        var directory = Path.GetDirectoryName(connections.DatabasePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Common.PrivateFiles.SecureFolder(directory);
        }

        Common.PrivateFiles.SecureFiles(Common.PrivateFiles.Database(connections.DatabasePath));

        using var connection = connections.Open();
        // WAL is persistent in the file: readers never block the single writer.
        connection.Execute("PRAGMA journal_mode = WAL;");
        connection.Execute(CreateTrackingTable);

        var applied = connection.Query<AppliedRow>(SelectApplied).ToDictionary(r => (int)r.Version);
        var count = 0;
        foreach (var migration in LoadEmbedded())
        {
            if (applied.TryGetValue(migration.Version, out var row))
            {
                if (row.Sha256 != migration.Sha256)
                {
                    throw new InvalidOperationException(
                        $"Migration {migration.Version:D4}_{migration.Name} was changed after it was applied to {connections.DatabasePath}. Landed migrations are never edited; add a new one.");
                }

                continue;
            }

            using var transaction = connection.BeginTransaction();
            connection.Execute(migration.Sql, transaction: transaction);
            connection.Execute(InsertApplied, new
            {
                migration.Version,
                migration.Name,
                migration.Sha256,
                AppliedAt = DateTimeOffset.UtcNow.ToString("O"),
            }, transaction);
            transaction.Commit();
            logger.LogInformation("Applied migration {Version:D4}_{Name}", migration.Version, migration.Name);
            count++;
        }

        return count;
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource '{name}' is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
