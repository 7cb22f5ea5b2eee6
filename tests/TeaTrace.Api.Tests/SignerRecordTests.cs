using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TeaTrace.Api.Features.LedgerApi;
using TeaTrace.Api.Features.Operations;
using TeaTrace.Ledger;

namespace TeaTrace.Api.Tests;

/// <summary>
/// The signer remembers what it last signed, beside its key and outside the database. Whoever can rewrite the database
/// but not the key must not be able to make the service sign a second history.
/// </summary>
public sealed class SignerRecordTests
{
    [Fact]
    public async Task RewrittenLastEntry_WithCheckpointsDeleted_IsRefused_AndNothingIsSigned()
    {
        var directory = await LedgerWithEntriesAsync();
        using (var db = Open(directory))
        {
            // A consistent rewrite: the body and its leaf hash, the tree rebuilt from the entries, and no checkpoint
            // left in the database to compare with.
            var (index, body) = LastEntry(db);
            var forged = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("\"data\":{", "\"data\":{\"forged\":true,", StringComparison.Ordinal));
            Assert.NotEqual(body, forged);
            Execute(db, "DROP TRIGGER ledger_entries_no_update");
            Execute(db, "UPDATE ledger_entries SET body = $body, leaf_hash = $leaf WHERE idx = $idx", ("$body", forged), ("$leaf", Rfc9162.HashLeaf(forged)), ("$idx", index));
            Execute(db, "DROP TRIGGER merkle_nodes_no_delete");
            Execute(db, "DELETE FROM merkle_nodes");
            Execute(db, "DROP TRIGGER checkpoints_no_delete");
            Execute(db, "DELETE FROM checkpoints");
        }

        var refusal = StartAndFail(directory);
        Assert.Contains("the ledger was altered", refusal);
        Assert.Contains("Refusing to start", refusal);
        using var after = Open(directory);
        Assert.Equal(0L, Scalar(after, "SELECT count(*) FROM checkpoints")); // the genuine key signed nothing
    }

    [Fact]
    public async Task TruncatedTree_WithItsCheckpointsTrimmed_IsRefused()
    {
        var directory = await LedgerWithEntriesAsync();
        using (var db = Open(directory))
        {
            // The last three entries removed, and every checkpoint and tree node beyond them, so the database agrees with itself.
            var size = Scalar(db, "SELECT count(*) FROM ledger_entries");
            Execute(db, "PRAGMA foreign_keys = OFF"); // the sealed parts of the removed entries are left dangling, as a forger would
            Execute(db, "DROP TRIGGER ledger_entries_no_delete");
            Execute(db, $"DELETE FROM ledger_entries WHERE idx >= {size - 3}");
            Execute(db, "DROP TRIGGER merkle_nodes_no_delete");
            Execute(db, "DELETE FROM merkle_nodes");
            Execute(db, "DROP TRIGGER checkpoints_no_delete");
            Execute(db, $"DELETE FROM checkpoints WHERE size > {size - 3}");
        }

        var refusal = StartAndFail(directory);
        Assert.Contains("it was truncated, or it is not this log's database", refusal);
    }

    [Fact]
    public async Task NewDatabase_WithAKeyThatHasSigned_IsRefused()
    {
        var directory = await LedgerWithEntriesAsync();
        var fresh = NewDirectory();
        Directory.CreateDirectory(fresh);
        File.Copy(Path.Combine(directory, "ledger.key"), Path.Combine(fresh, "ledger.key"));
        File.Copy(Path.Combine(directory, "ledger.key.last-signed"), Path.Combine(fresh, "ledger.key.last-signed"));

        var refusal = StartAndFail(fresh);
        Assert.Contains("holds a tree of 0 entries", refusal);
    }

    [Fact]
    public async Task DeletedCheckpoints_WithTheTreeIntact_AreRefused()
    {
        var directory = await LedgerWithEntriesAsync();
        using (var db = Open(directory))
        {
            Execute(db, "DROP TRIGGER checkpoints_no_delete");
            Execute(db, "DELETE FROM checkpoints");
        }

        Assert.Contains("signed checkpoints were deleted", StartAndFail(directory));
    }

    [Fact]
    public async Task CheckpointRecordedButNotStored_IsStoredFromTheRecordAtStart()
    {
        // The signer makes its record durable, then stores the checkpoint; a crash between the two leaves the
        // database one checkpoint behind the record, which the next start repairs from the signed note.
        var directory = await LedgerWithEntriesAsync();
        string note;
        using (var db = Open(directory))
        {
            note = (string)ScalarObject(db, "SELECT note FROM checkpoints ORDER BY size DESC LIMIT 1");
            Execute(db, "DROP TRIGGER checkpoints_no_delete");
            Execute(db, "DELETE FROM checkpoints WHERE size = (SELECT max(size) FROM checkpoints)");
        }

        await using var app = new RestoredApp(directory);
        var served = await app.Client().GetStringAsync("/api/ledger/checkpoint");
        Assert.Equal(note, served);
        Assert.Contains(app.Logs, log => log.Level == LogLevel.Warning && log.Message.Contains("stored from the signer's record", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KeyWithoutARecord_AdoptsTheDatabasesLastCheckpoint_ThenGuardsIt()
    {
        // A key from before the signer kept its record: the first start takes the last verified checkpoint as the record.
        var directory = await LedgerWithEntriesAsync();
        long size;
        using (var db = Open(directory))
        {
            size = Scalar(db, "SELECT max(size) FROM checkpoints");
        }

        File.Delete(Path.Combine(directory, "ledger.key.last-signed"));
        await using (var app = new RestoredApp(directory))
        {
            _ = app.Server;
            Assert.Equal(size, RecordedSize(directory));
        }

        using (var db = Open(directory))
        {
            Execute(db, "DROP TRIGGER checkpoints_no_delete");
            Execute(db, "DELETE FROM checkpoints");
        }

        Assert.Contains("signed checkpoints were deleted", StartAndFail(directory));
    }

    [Fact]
    public async Task Signing_RecordsTheCheckpointBesideTheKey_BeforePublishingIt()
    {
        await using var app = new TeaTraceApp();
        await ((IAsyncLifetime)app).InitializeAsync();
        var world = await app.CreateWorldAsync();
        await app.PlotAsync(world.CoopFarmerKey, world.CoopId);
        var signed = await app.Services.GetRequiredService<CheckpointSigner>().SignIfGrownAsync();

        Assert.Equal(signed!.Size, RecordedSize(app.Directory));
        var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(app.Directory, "ledger.key.last-signed"))).RootElement;
        Assert.Equal(signed.Note, record.GetProperty("note").GetString());
        Assert.Equal(Convert.ToHexStringLower(signed.RootHash), record.GetProperty("rootHash").GetString());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(app.Directory, "ledger.key.last-signed")));
        }
    }

    [Fact]
    public async Task RestoredBackup_CarriesTheRecord_AndStarts()
    {
        var directory = await LedgerWithEntriesAsync();
        var backup = Path.Combine(NewDirectory(), "copy.db");
        await using (var app = new RestoredApp(directory))
        {
            var world = await app.CreateWorldAsync();
            var taken = app.Services.GetRequiredService<BackupService>().Create(backup);
            Assert.True(File.Exists(taken.KeyFile + ".last-signed"));
            await app.PlotAsync(world.CoopFarmerKey, world.CoopId);
            await app.Services.GetRequiredService<CheckpointSigner>().SignIfGrownAsync(); // the live key moves on
        }

        var restored = NewDirectory();
        BackupService.Restore(backup, Path.Combine(restored, "teatrace.db"), Path.Combine(restored, "ledger.key"));
        Assert.Equal(RecordedSize(Path.GetDirectoryName(backup)!, "copy.ledger.key.last-signed"), RecordedSize(restored));
        await using var again = new RestoredApp(restored);
        var audit = await TeaTraceApp.Expect(await again.Admin().GetAsync("/api/ledger/audit"), HttpStatusCode.OK);
        Assert.True(audit.GetProperty("ok").GetBoolean(), audit.GetRawText());
    }

    /// <summary>A ledger of a few dozen entries with a signed checkpoint, in a folder of its own; the service stopped.</summary>
    private static async Task<string> LedgerWithEntriesAsync()
    {
        var directory = NewDirectory();
        await using var app = new RestoredApp(directory);
        var world = await app.CreateWorldAsync();
        await app.PlotAsync(world.CoopFarmerKey, world.CoopId);
        await app.Services.GetRequiredService<CheckpointSigner>().SignIfGrownAsync();
        await app.PlotAsync(world.FarmFarmerKey, world.FarmId);
        await app.Services.GetRequiredService<CheckpointSigner>().SignIfGrownAsync();
        return directory;
    }

    private static long RecordedSize(string directory, string file = "ledger.key.last-signed") =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, file))).RootElement.GetProperty("size").GetInt64();

    internal static string StartAndFail(string directory)
    {
        SqliteConnection.ClearAllPools();
        using var app = new RestoredApp(directory);
        var error = Assert.ThrowsAny<Exception>(() => app.Server);
        var messages = new StringBuilder();
        for (var e = error; e is not null; e = e.InnerException)
        {
            messages.AppendLine(e.Message);
        }

        Assert.Contains(app.Logs, log => log.Level == LogLevel.Critical && log.Message.Contains("refuses to start", StringComparison.Ordinal));
        return messages.ToString();
    }

    private static string NewDirectory() => Path.Combine(Path.GetTempPath(), "teatrace-tests", Guid.NewGuid().ToString("N"));

    private static SqliteConnection Open(string directory)
    {
        SqliteConnection.ClearAllPools();
        var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "teatrace.db")};Pooling=False");
        connection.Open();
        return connection;
    }

    private static (long Index, byte[] Body) LastEntry(SqliteConnection db)
    {
        using var command = db.CreateCommand();
        command.CommandText = "SELECT idx, CAST(body AS BLOB) FROM ledger_entries ORDER BY idx DESC LIMIT 1";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return (reader.GetInt64(0), (byte[])reader.GetValue(1));
    }

    private static long Scalar(SqliteConnection db, string sql) => (long)ScalarObject(db, sql);

    private static object ScalarObject(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()!;
    }

    private static void Execute(SqliteConnection db, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }
}
