using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Dapper;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Jobs;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Operations;

internal sealed class BackupOptions
{
    public const string SectionName = "TeaTrace:Backup";

    /// <summary>Where backups go; relative to the content root. By default beside the database, in backups/.</summary>
    public string? Directory { get; set; }

    /// <summary>How many backups the nightly job keeps; older ones are deleted.</summary>
    [Range(1, 1000)]
    public int Keep { get; set; } = 7;
}

internal sealed record BackupResult(string File, string KeyFile, long Bytes, long Entries, long CheckpointSize, DateTimeOffset TakenAt);

/// <summary>
/// Consistent online copies with SQLite's backup API: the copy is taken in one step under a read snapshot, so writes
/// go on meanwhile and the copy is the database as of one commit. The ledger's signing key is copied beside it: a
/// restored ledger without its key cannot be signed on, and the service would refuse to start.
/// </summary>
internal sealed class BackupService(SqliteConnectionFactory connections, LedgerSigningKey key, IOptionsMonitor<BackupOptions> options,
    IHostEnvironment environment, TimeProvider clock, ILogger<BackupService> logger)
{
    public string Folder => options.CurrentValue.Directory is { Length: > 0 } configured
        ? Path.GetFullPath(Path.Combine(environment.ContentRootPath, configured))
        : Path.Combine(Path.GetDirectoryName(connections.DatabasePath)!, "backups");

    public BackupResult Create(string? destination = null)
    {
        var takenAt = clock.GetUtcNow();
        destination ??= Path.Combine(Folder, $"teatrace-{takenAt:yyyyMMdd-HHmmss-fff}.db");
        PrivateFiles.SecureFolder(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        var keyFile = Path.ChangeExtension(destination, ".ledger.key");
        // The signer's record first, the database after: the copy's tree then reaches at least as far as the record
        // (the signer records only what is committed), so the restored pair starts.
        CopyPrivate(key.RecordPath, SignerRecord.PathFor(keyFile));
        var temporary = destination + ".partial";
        File.Delete(temporary);
        using (var source = connections.Open())
        using (var target = new SqliteConnection($"Data Source={temporary};Pooling=False"))
        {
            target.Open();
            source.BackupDatabase(target);
            var check = target.ExecuteScalar<string>("PRAGMA integrity_check");
            if (check != "ok")
            {
                throw new InvalidOperationException($"The backup copy failed its integrity check: {check}");
            }

            target.Execute("PRAGMA journal_mode = DELETE"); // one self-contained file
        }

        File.Move(temporary, destination, overwrite: true);
        CopyPrivate(key.KeyPath, keyFile);
        using var copy = new SqliteConnection($"Data Source={destination};Mode=ReadOnly;Pooling=False");
        copy.Open();
        var result = new BackupResult(destination, keyFile, new FileInfo(destination).Length,
            copy.ExecuteScalar<long>("SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_entries"),
            copy.ExecuteScalar<long>("SELECT COALESCE(MAX(size), 0) FROM checkpoints"), takenAt);
        logger.LogInformation("Backed up {Entries} ledger entries to {File} ({Bytes} bytes)", result.Entries, result.File, result.Bytes);
        return result;
    }

    /// <summary>Deletes all but the newest backups (and their key copies).</summary>
    public int Prune()
    {
        if (!System.IO.Directory.Exists(Folder))
        {
            return 0;
        }

        var old = new DirectoryInfo(Folder).GetFiles("teatrace-*.db").OrderByDescending(f => f.Name, StringComparer.Ordinal).Skip(options.CurrentValue.Keep).ToList();
        foreach (var file in old)
        {
            file.Delete();
            File.Delete(Path.ChangeExtension(file.FullName, ".ledger.key"));
            File.Delete(SignerRecord.PathFor(Path.ChangeExtension(file.FullName, ".ledger.key")));
        }

        return old.Count;
    }

    /// <summary>
    /// Puts a backup in place of the database (run with the service stopped): checks the copy, replaces the database
    /// file and its WAL, and the signing key if the backup has one. The service audits the tree against the last
    /// checkpoint when it next starts.
    /// </summary>
    public static void Restore(string backup, string databasePath, string keyPath)
    {
        using (var check = new SqliteConnection($"Data Source={backup};Mode=ReadOnly;Pooling=False"))
        {
            check.Open();
            var result = check.ExecuteScalar<string>("PRAGMA integrity_check");
            if (result != "ok")
            {
                throw new InvalidOperationException($"{backup} failed its integrity check: {result}");
            }
        }

        SqliteConnection.ClearAllPools();
        PrivateFiles.SecureFolder(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        foreach (var suffix in new[] { "-wal", "-shm" })
        {
            File.Delete(databasePath + suffix);
        }

        File.Copy(backup, databasePath, overwrite: true);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(databasePath, PrivateFiles.OwnerOnly);
        }

        var backupKey = Path.ChangeExtension(backup, ".ledger.key");
        if (File.Exists(backupKey))
        {
            CopyPrivate(backupKey, keyPath);
            // The key goes back to what it had signed when the backup was taken; a backup without a record (an older
            // one) lets the service take the database's last checkpoint as the record.
            var backupRecord = SignerRecord.PathFor(backupKey);
            if (File.Exists(backupRecord))
            {
                CopyPrivate(backupRecord, SignerRecord.PathFor(keyPath));
            }
            else
            {
                File.Delete(SignerRecord.PathFor(keyPath));
            }
        }
    }

    private static void CopyPrivate(string from, string to)
    {
        File.Delete(to);
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = PrivateFiles.OwnerOnly;
        }

        using var target = new FileStream(to, create);
        using var source = File.OpenRead(from);
        source.CopyTo(target);
    }
}

/// <summary>Nightly: a backup, then the oldest beyond the retention count are deleted. Safe to run twice.</summary>
internal sealed class BackupJob(BackupService backups)
{
    public const string Id = "backup";

    public Task RunAsync()
    {
        backups.Create();
        backups.Prune();
        return Task.CompletedTask;
    }

    internal sealed class Registration : IRecurringJobRegistration
    {
        public void Register(IRecurringJobManager manager, JobsOptions options) =>
            manager.AddOrUpdate<BackupJob>(Id, job => job.RunAsync(), options.ScheduleOf(Id, "30 2 * * *"), JobsSetup.InChina);
    }
}

internal static class BackupSetup
{
    public static IServiceCollection AddBackups(this IServiceCollection services)
    {
        services.AddOptions<BackupOptions>().BindConfiguration(BackupOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<BackupService>();
        services.AddTransient<BackupJob>();
        services.AddSingleton<IRecurringJobRegistration, BackupJob.Registration>();
        return services;
    }

    public static IEndpointRouteBuilder MapBackups(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/admin/backups", (BackupService backups) => TypedResults.Created("/api/admin/backups", backups.Create()))
            .WithTags("Operations")
            .WithSummary("Take a backup now")
            .WithDescription("A consistent online copy of the database (SQLite backup API, writes go on) and of the ledger signing key, into the backup folder. The nightly job does the same and keeps the newest TeaTrace:Backup:Keep copies.")
            .Allow("admin", Roles.Admin)
            .ProducesValidationProblem();
        return app;
    }

    /// <summary>`backup [file]` and `restore file` on the command line: run and exit instead of serving.</summary>
    public static async Task<int?> RunCommandAsync(WebApplication app, string[] args)
    {
        if (args.Length == 0 || args[0] is not ("backup" or "restore"))
        {
            return null;
        }

        if (args[0] == "backup")
        {
            app.Services.GetRequiredService<MigrationRunner>().Migrate();
            var result = app.Services.GetRequiredService<BackupService>().Create(args.Length > 1 ? args[1] : null);
            Console.WriteLine($"backup: {result.File} ({result.Bytes} bytes, {result.Entries} ledger entries, last checkpoint {result.CheckpointSize}); key copy: {result.KeyFile}");
            return 0;
        }

        if (args.Length < 2 || !File.Exists(args[1]))
        {
            await Console.Error.WriteLineAsync("usage: restore <backup.db>  (with the service stopped)");
            return 2;
        }

        var connections = app.Services.GetRequiredService<SqliteConnectionFactory>();
        var keyPath = app.Services.GetRequiredService<IOptions<LedgerOptions>>().Value.SigningKeyPath;
        keyPath = Path.IsPathRooted(keyPath) ? keyPath : Path.GetFullPath(Path.Combine(app.Environment.ContentRootPath, keyPath));
        BackupService.Restore(args[1], connections.DatabasePath, keyPath);
        Console.WriteLine($"restored {args[1]} to {connections.DatabasePath}; start the service: it checks the tree against the last checkpoint, then run an audit.");
        return 0;
    }
}
