using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TeaTrace.Api.Features.LedgerApi;
using TeaTrace.Ledger;

namespace TeaTrace.Api.Tests;

/// <summary>The RFC 9162 tree over the ledger, its signed checkpoints and its proofs, checked with the pure library only.</summary>
public sealed class LedgerTreeTests(TeaTraceApp app) : IClassFixture<TeaTraceApp>
{
    private async Task<NoteVerifier> VerifierAsync()
    {
        var key = await TeaTraceApp.Expect(await app.Client().GetAsync("/api/ledger/public-key"), HttpStatusCode.OK);
        Assert.Equal("teatrace.local/ledger", key.GetProperty("origin").GetString());
        return NoteVerifier.Parse(key.GetProperty("verifierKey").GetString()!);
    }

    private async Task<Checkpoint> CheckpointAsync(NoteVerifier verifier)
    {
        var response = await app.Client().GetAsync("/api/ledger/checkpoint");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var opened = SignedNote.Open(await response.Content.ReadAsStringAsync(), [verifier]);
        Assert.True(opened.IsValid, opened.Reason);
        return Checkpoint.Parse(opened.Note.Text);
    }

    private Task SignAsync() => app.Services.GetRequiredService<CheckpointSigner>().SignIfGrownAsync();

    [Fact]
    public async Task Checkpoint_IsSignedAtStart_AndCommitsToEveryEntry()
    {
        var verifier = await VerifierAsync();
        var checkpoint = await CheckpointAsync(verifier);

        // Recomputed here from the stored bytes, independently of the server's tree.
        var leaves = LedgerTests.Entries(app).Take((int)checkpoint.Size).Select(e => Rfc9162.HashLeaf(e.Bytes)).ToList();
        Assert.Equal(Rfc9162.RootHash(leaves), checkpoint.RootHash.ToArray());
        Assert.Equal("teatrace.local/ledger", checkpoint.Origin);
    }

    [Fact]
    public async Task CheckpointJob_SignsOnlyWhenTheTreeGrew_AndEveryCheckpointIsConsistent()
    {
        var verifier = await VerifierAsync();
        var world = await app.CreateWorldAsync();
        await SignAsync();
        var first = await CheckpointAsync(verifier);
        var count = CountCheckpoints();

        await app.Services.GetRequiredService<CheckpointJob>().RunAsync(CancellationToken.None);
        Assert.Equal(count, CountCheckpoints()); // nothing new to sign

        await app.PlotAsync(world.CoopFarmerKey, world.CoopId);
        await app.Services.GetRequiredService<CheckpointJob>().RunAsync(CancellationToken.None);
        var second = await CheckpointAsync(verifier);
        Assert.Equal(first.Size + 1, second.Size);
        Assert.Equal(count + 1, CountCheckpoints());

        var consistency = await TeaTraceApp.Expect(await app.Client().GetAsync($"/api/ledger/consistency?from={first.Size}&to={second.Size}"), HttpStatusCode.OK);
        var proof = consistency.GetProperty("proof").EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!)).ToList();
        Assert.True(ProofVerifier.VerifyConsistency(first.Size, second.Size, proof, first.RootHash.ToArray(), second.RootHash.ToArray()).IsValid);
        Assert.Equal(Convert.ToHexStringLower(first.RootHash), consistency.GetProperty("fromRoot").GetString());

        // Every pair of stored checkpoints is consistent.
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT size, root_hash FROM checkpoints ORDER BY size";
        var stored = new List<(long Size, byte[] Root)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                stored.Add((reader.GetInt64(0), (byte[])reader.GetValue(1)));
            }
        }

        foreach (var (older, newer) in stored.Zip(stored.Skip(1)))
        {
            var body = await TeaTraceApp.Expect(await app.Client().GetAsync($"/api/ledger/consistency?from={older.Size}&to={newer.Size}"), HttpStatusCode.OK);
            var path = body.GetProperty("proof").EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!)).ToList();
            Assert.True(ProofVerifier.VerifyConsistency(older.Size, newer.Size, path, older.Root, newer.Root).IsValid);
        }
    }

    [Fact]
    public async Task InclusionProof_VerifiesForEveryEntry_AgainstTheCheckpoint()
    {
        var world = await app.CreateWorldAsync();
        await app.CompletedBatchAsync(world);
        await SignAsync();
        var checkpoint = await CheckpointAsync(await VerifierAsync());
        var entries = LedgerTests.Entries(app);

        for (var i = 0; i < checkpoint.Size; i++)
        {
            var proof = await TeaTraceApp.Expect(await app.Client().GetAsync($"/api/ledger/entries/{i}/proof"), HttpStatusCode.OK);
            Assert.Equal(checkpoint.Size, proof.GetProperty("treeSize").GetInt64());
            var path = proof.GetProperty("auditPath").EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!)).ToList();
            var leaf = Rfc9162.HashLeaf(entries[i].Bytes);
            Assert.True(ProofVerifier.VerifyInclusion(i, checkpoint.Size, leaf, path, checkpoint.RootHash.ToArray()).IsValid, $"entry {i}");
            Assert.False(ProofVerifier.VerifyInclusion(i, checkpoint.Size, Rfc9162.HashLeaf([.. entries[i].Bytes, 0x20]), path, checkpoint.RootHash.ToArray()).IsValid);
        }
    }

    [Fact]
    public async Task InclusionProof_ForAnOlderTreeSize_VerifiesAgainstThatRoot()
    {
        var world = await app.CreateWorldAsync();
        await app.PlotAsync(world.CoopFarmerKey, world.CoopId);
        var entries = LedgerTests.Entries(app);
        var size = entries.Count - 1;
        var root = Rfc9162.RootHash(entries.Take(size).Select(e => Rfc9162.HashLeaf(e.Bytes)).ToList());

        var proof = await TeaTraceApp.Expect(await app.Client().GetAsync($"/api/ledger/entries/3/proof?treeSize={size}"), HttpStatusCode.OK);

        Assert.Equal(Convert.ToHexStringLower(root), proof.GetProperty("rootHash").GetString());
        var path = proof.GetProperty("auditPath").EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!)).ToList();
        Assert.True(ProofVerifier.VerifyInclusion(3, size, Rfc9162.HashLeaf(entries[3].Bytes), path, root).IsValid);
    }

    [Theory]
    [InlineData("/api/ledger/entries/5/proof?treeSize=5", HttpStatusCode.BadRequest)]
    [InlineData("/api/ledger/entries/5/proof?treeSize=100000", HttpStatusCode.BadRequest)]
    [InlineData("/api/ledger/entries/100000/proof", HttpStatusCode.NotFound)]
    [InlineData("/api/ledger/consistency?from=0&to=3", HttpStatusCode.BadRequest)]
    [InlineData("/api/ledger/consistency?from=4&to=3", HttpStatusCode.BadRequest)]
    [InlineData("/api/ledger/consistency?from=1&to=100000", HttpStatusCode.BadRequest)]
    [InlineData("/api/ledger/consistency", HttpStatusCode.BadRequest)]
    [InlineData("/api/ledger/entries?count=5000", HttpStatusCode.BadRequest)]
    public async Task Proofs_OutOfRange_AreProblems(string url, HttpStatusCode status)
    {
        await TeaTraceApp.Problem(await app.Client().GetAsync(url), status);
    }

    [Fact]
    public async Task Entries_ArePagedInOrder()
    {
        var page = await TeaTraceApp.Expect(await app.Client().GetAsync("/api/ledger/entries?from=1&count=2"), HttpStatusCode.OK);
        Assert.Equal([1L, 2L], page.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("index").GetInt64()));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void SigningKey_IsOwnerOnly_AndNeverLogged()
    {
        var path = Path.Combine(app.Directory, "ledger.key");
        _ = app.Server;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var secret = File.ReadAllText(path).Trim();
        Assert.StartsWith("PRIVATE+KEY+teatrace.local/ledger+", secret);
        // The private key is everything after name and key id; base64 may itself hold '+', so it is not split on it.
        const string Prefix = "PRIVATE+KEY+teatrace.local/ledger+";
        var privateKey = secret[(secret.IndexOf('+', Prefix.Length) + 1)..];
        Assert.True(privateKey.Length >= 40, privateKey);
        Assert.DoesNotContain(app.Logs, log => log.Message.Contains(privateKey, StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs, log => log.Message.Contains(TeaTraceApp.AdminKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AuditJob_RecordsItsResult()
    {
        var result = await app.Services.GetRequiredService<LedgerAuditJob>().RunAsync("test", CancellationToken.None);

        Assert.True(result.Ok, result.Detail);
        Assert.True(result.Checkpoints >= 1);
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT ok, entries, trigger FROM audit_runs ORDER BY id DESC LIMIT 1";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(1L, reader.GetInt64(0));
        Assert.Equal(result.Entries, reader.GetInt64(1));
        Assert.Equal("test", reader.GetString(2));
    }

    private long CountCheckpoints()
    {
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT count(*) FROM checkpoints";
        return (long)command.ExecuteScalar()!;
    }
}

/// <summary>What the service does when its stored tree, checkpoints or key are not what it signed.</summary>
public sealed class LedgerIntegrityTests
{
    [Fact]
    public async Task Start_WithAlteredRightEdge_IsRefusedWithAClearMessage()
    {
        var directory = NewDirectory();
        await using (var app = new DemoApp(directory))
        {
            _ = app.Server;
            using var db = app.OpenDatabase();
            var size = Scalar(db, "SELECT max(size) FROM checkpoints");
            var edge = CompactRange.BorderNodes(size)[0];
            Execute(db, "DROP TRIGGER merkle_nodes_no_update");
            Execute(db, $"UPDATE merkle_nodes SET hash = zeroblob(32) WHERE level = {edge.Level} AND idx = {edge.Index}");
        }

        var refusal = StartAndFail(directory);
        Assert.Contains("Refusing to start", refusal);
        Assert.Contains("altered", refusal);
    }

    [Fact]
    public async Task Audit_AlteredInnerTreeNode_IsReported()
    {
        await using var app = new DemoApp(NewDirectory());
        _ = app.Server;
        using (var db = app.OpenDatabase())
        {
            Execute(db, "DROP TRIGGER merkle_nodes_no_update");
            Execute(db, "UPDATE merkle_nodes SET hash = zeroblob(32) WHERE level = 1 AND idx = 2");
        }

        var audit = await TeaTraceApp.Expect(await app.Client(DemoApp.DemoAdminKey).GetAsync("/api/ledger/audit"), HttpStatusCode.OK);
        Assert.False(audit.GetProperty("ok").GetBoolean());
        Assert.Equal(5, audit.GetProperty("firstBadIndex").GetInt64()); // node (1, 2) is completed by leaf 5
        Assert.Contains("tree node", audit.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Start_WithAnotherSigningKey_IsRefused()
    {
        var directory = NewDirectory();
        await using (var app = new DemoApp(directory))
        {
            _ = app.Server;
        }

        File.Delete(Path.Combine(directory, "ledger.key"));
        var refusal = StartAndFail(directory);
        Assert.Contains("restore the original key file", refusal);
    }

    [Fact]
    public async Task Start_WithoutTreeNodes_RebuildsThemFromTheEntries()
    {
        var directory = NewDirectory();
        long entries;
        await using (var app = new DemoApp(directory))
        {
            _ = app.Server;
            entries = app.LedgerSize();
            using var db = app.OpenDatabase();
            Execute(db, "DROP TRIGGER merkle_nodes_no_delete");
            Execute(db, "DELETE FROM merkle_nodes");
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using var again = new DemoApp(directory);
        var audit = await TeaTraceApp.Expect(await again.Client(DemoApp.DemoAdminKey).GetAsync("/api/ledger/audit"), HttpStatusCode.OK);
        Assert.True(audit.GetProperty("ok").GetBoolean(), audit.GetRawText());
        Assert.Equal(entries, audit.GetProperty("entries").GetInt64());
    }

    [Fact]
    public async Task Audit_AlteredCheckpoint_IsReported()
    {
        await using var app = new DemoApp(NewDirectory());
        _ = app.Server;
        using (var db = app.OpenDatabase())
        {
            Execute(db, "DROP TRIGGER checkpoints_no_update");
            Execute(db, "UPDATE checkpoints SET note = replace(note, 'teatrace.local/ledger', 'teatrace.local/ledgeR')");
        }

        var audit = await TeaTraceApp.Expect(await app.Client(DemoApp.DemoAdminKey).GetAsync("/api/ledger/audit"), HttpStatusCode.OK);
        Assert.False(audit.GetProperty("ok").GetBoolean());
        Assert.Contains("Checkpoint", audit.GetProperty("detail").GetString());

        // The nightly job logs a failed audit as an error.
        await app.Services.GetRequiredService<LedgerAuditJob>().RunAsync("nightly", CancellationToken.None);
        Assert.Contains(app.Logs, log => log.Level == LogLevel.Error && log.Message.Contains("LEDGER AUDIT FAILED", StringComparison.Ordinal));
    }

    private static string StartAndFail(string directory)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using var app = new DemoApp(directory);
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

    private static long Scalar(Microsoft.Data.Sqlite.SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private static void Execute(Microsoft.Data.Sqlite.SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
