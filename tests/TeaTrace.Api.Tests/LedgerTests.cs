using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace TeaTrace.Api.Tests;

public sealed class LedgerTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>
{
    public sealed record StoredEntry(long Index, string Type, string SubjectId, byte[] Bytes, byte[] LeafHash)
    {
        public string Body => Encoding.UTF8.GetString(Bytes);
    }

    /// <summary>Every entry as stored, read straight from the SQLite file.</summary>
    public static List<StoredEntry> Entries(TeaTraceApp app)
    {
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT idx, type, subject_id, body, leaf_hash FROM ledger_entries ORDER BY idx";
        using var reader = command.ExecuteReader();
        var entries = new List<StoredEntry>();
        while (reader.Read())
        {
            entries.Add(new StoredEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), (byte[])reader.GetValue(3), (byte[])reader.GetValue(4)));
        }

        return entries;
    }

    [Fact]
    public async Task Ledger_EveryWriteAppendsOneLinkedEntry_RecomputedIndependently()
    {
        var world = await app.CreateWorldAsync();
        var before = app.LedgerSize();
        var batch = await app.CompletedBatchAsync(world); // plot, harvest, sale, receipt, batch, 4 steps, completion
        await TeaTraceApp.Created(await app.Client(world.ProcessorKey).PostAsJsonAsync("/api/lots", Scenario.Lot(batch, unitCount: 3)));
        Assert.Equal(before + 11, app.LedgerSize());

        var entries = Entries(app);
        var previous = new byte[32];
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            Assert.Equal(i, entry.Index);
            Assert.Equal(SHA256.HashData([0x00, .. entry.Bytes]), entry.LeafHash);
            using var json = JsonDocument.Parse(entry.Bytes);
            var root = json.RootElement;
            Assert.Equal(i, root.GetProperty("index").GetInt64());
            Assert.Equal(entry.Type, root.GetProperty("type").GetString());
            Assert.Equal(entry.SubjectId, root.GetProperty("subjectId").GetString());
            Assert.Equal(Convert.ToHexStringLower(previous), root.GetProperty("previousLeafHash").GetString());
            Assert.False(string.IsNullOrEmpty(root.GetProperty("actor").GetString()));
            Assert.True(DateTimeOffset.TryParse(root.GetProperty("recordedAt").GetString(), out _));
            Assert.Equal(JsonValueKind.Object, root.GetProperty("data").ValueKind);
            previous = entry.LeafHash;
        }

        var types = entries.Skip((int)before).Select(e => e.Type).ToList();
        Assert.Equal(["plot.registered", "harvest.recorded", "leaf.sold", "leaf.received", "batch.started", "batch.step.recorded", "batch.step.recorded", "batch.step.recorded", "batch.step.recorded", "batch.completed", "lot.packed"], types);
    }

    [Fact]
    public async Task Entry_ServesExactBytesAndLeafHash()
    {
        var last = Entries(app).Last();

        var entry = await TeaTraceApp.Expect(await app.Client().GetAsync($"/api/ledger/entries/{last.Index}"), HttpStatusCode.OK);

        var bytes = Convert.FromBase64String(entry.GetProperty("body").GetString()!);
        Assert.Equal(last.Bytes, bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([0x00, .. bytes])), entry.GetProperty("leafHash").GetString());
        Assert.Equal(last.Index, entry.GetProperty("index").GetInt64());
        Assert.Equal(last.Type, entry.GetProperty("type").GetString());
        await TeaTraceApp.Problem(await app.Client().GetAsync($"/api/ledger/entries/{last.Index + 1000}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public void Entries_CannotBeUpdatedOrDeleted()
    {
        using var db = app.OpenDatabase();
        foreach (var sql in new[] { "UPDATE ledger_entries SET type = 'x' WHERE idx = 0", "DELETE FROM ledger_entries WHERE idx = 0" })
        {
            using var command = db.CreateCommand();
            command.CommandText = sql;
            var error = Assert.Throws<SqliteException>(() => command.ExecuteNonQuery());
            Assert.Contains("append-only", error.Message);
        }
    }

    [Fact]
    public async Task Audit_CleanLedger_IsOk()
    {
        var audit = await TeaTraceApp.Expect(await app.Admin().GetAsync("/api/ledger/audit"), HttpStatusCode.OK);
        Assert.True(audit.GetProperty("ok").GetBoolean());
        Assert.Equal(app.LedgerSize(), audit.GetProperty("entries").GetInt64());
    }
}

/// <summary>An attacker with the file: drops the triggers and edits an entry. The audit names the entry.</summary>
public sealed class LedgerTamperTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>
{
    [Fact]
    public async Task Audit_OneChangedByte_NamesThatIndex()
    {
        var world = await app.CreateWorldAsync();
        await app.PlotAsync(world.CoopFarmerKey, world.CoopId);
        await app.PlotAsync(world.CoopFarmerKey, world.CoopId);
        var target = LedgerTests.Entries(app).First(e => e.Type == "plot.registered");
        var index = target.Index;

        using (var db = app.OpenDatabase())
        {
            // The plot's area, 10.5 mu, becomes 90.5 mu: one byte.
            var bytes = Encoding.UTF8.GetBytes(target.Body.Replace("\"areaMu\":10.5", "\"areaMu\":90.5", StringComparison.Ordinal));
            Assert.Equal(1, bytes.Zip(target.Bytes).Count(pair => pair.First != pair.Second));
            Execute(db, "DROP TRIGGER ledger_entries_no_update");
            Execute(db, "UPDATE ledger_entries SET body = $body WHERE idx = $idx", ("$body", bytes), ("$idx", index));
        }

        var audit = await TeaTraceApp.Expect(await app.Client(world.RegulatorKey).GetAsync("/api/ledger/audit"), HttpStatusCode.OK);
        Assert.False(audit.GetProperty("ok").GetBoolean());
        Assert.Equal(index, audit.GetProperty("firstBadIndex").GetInt64());
        Assert.Contains("changed", audit.GetProperty("detail").GetString());

        // Re-hashing the edited entry too does not help the attacker: the tree no longer matches it, nor the next entry's link.
        using (var db = app.OpenDatabase())
        {
            var edited = LedgerTests.Entries(app)[(int)index];
            Execute(db, "UPDATE ledger_entries SET leaf_hash = $hash WHERE idx = $idx", ("$hash", SHA256.HashData([0x00, .. edited.Bytes])), ("$idx", index));
        }

        audit = await TeaTraceApp.Expect(await app.Client(world.RegulatorKey).GetAsync("/api/ledger/audit"), HttpStatusCode.OK);
        Assert.Equal(index, audit.GetProperty("firstBadIndex").GetInt64());
        Assert.Contains("tree node", audit.GetProperty("detail").GetString());
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
