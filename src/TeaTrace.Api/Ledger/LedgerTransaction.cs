using System.Data;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Data.Sqlite;
using TeaTrace.Ledger;

namespace TeaTrace.Api.Ledger;

/// <summary>What a piece of write work sees: the writer's connection and transaction, the time, and Append.</summary>
internal sealed class LedgerTransaction
{
    private readonly LedgerHead _head;
    private readonly PreparedCommands _prepared;

    internal LedgerTransaction(SqliteConnection connection, SqliteTransaction transaction, LedgerHead head, DateTimeOffset now, PreparedCommands prepared)
    {
        Connection = connection;
        Transaction = transaction;
        _head = head;
        Now = now;
        _prepared = prepared;
    }

    /// <summary>
    /// A statement prepared once on the writer's connection and reused: for the hot writes (every append, every scan).
    /// Set its parameters by name, then execute it.
    /// </summary>
    public SqliteCommand Prepared(string sql, params string[] parameterNames) => _prepared.Get(sql, parameterNames, Transaction);

    public SqliteConnection Connection { get; }

    public SqliteTransaction Transaction { get; }

    /// <summary>The index the next appended entry gets.</summary>
    public long NextIndex => _head.NextIndex;

    /// <summary>The time of this write, in Asia/Shanghai.</summary>
    public DateTimeOffset Now { get; }

    public int Execute(string sql, object? param = null) => Connection.Execute(sql, param, Transaction);

    public T? ExecuteScalar<T>(string sql, object? param = null) => Connection.ExecuteScalar<T>(sql, param, Transaction);

    public T? QuerySingleOrDefault<T>(string sql, object? param = null) => Connection.QuerySingleOrDefault<T>(sql, param, Transaction);

    public IEnumerable<T> Query<T>(string sql, object? param = null) => Connection.Query<T>(sql, param, Transaction);

    public IDbCommand CreateCommand(string sql)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        return command;
    }

    private const string InsertEntry = """
        INSERT INTO ledger_entries (idx, type, subject_id, recorded_at, body, leaf_hash)
        VALUES (@Index, @Type, @SubjectId, @RecordedAt, @Body, @LeafHash)
        """;

    private const string InsertSealed = """
        INSERT INTO sealed_parts (entry_idx, owner_org_id, writer_org_id, counterparty_org_id, salt, fields, keep_until)
        VALUES (@EntryIdx, @OwnerOrgId, @WriterOrgId, @CounterpartyOrgId, @Salt, @Fields, @KeepUntil)
        """;

    private const string InsertSealedName = "INSERT OR IGNORE INTO sealed_names (subject, entry_idx) VALUES (@Subject, @EntryIdx)";

    /// <summary>
    /// Appends one entry describing this write, and the tree nodes it completes; they commit or roll back with the
    /// rows they describe. What <see cref="Disclosure"/> seals for this kind of entry is kept beside it, under a
    /// commitment in the body; the entry's actor is the caller's key id, never a name.
    /// </summary>
    public AppendedEntry Append(string type, string subjectId, Auth.Caller caller, object data, string? counterpartyOrgId = null)
    {
        var index = _head.NextIndex;
        Sealing? sealing = null;
        if (Disclosure.For(type) is { } rule)
        {
            var split = JsonSerializer.SerializeToNode(data, data.GetType(), LedgerEntry.DataJson)!.AsObject();
            sealing = Seal(rule, split, caller);
            data = split;
        }

        var body = LedgerEntry.Build(index, type, subjectId, caller.KeyId, Now, Convert.ToHexStringLower(_head.LastLeafHash), data,
            sealing is null ? null : Convert.ToHexStringLower(sealing.Commitment));
        if (body.Length > LedgerEntry.MaxBytes)
        {
            // Every writer splits or digests what could grow; reaching this is a bug, and the write is undone.
            throw new InvalidOperationException($"A {type} entry of {body.Length} bytes is over the {LedgerEntry.MaxBytes}-byte limit for one entry.");
        }

        var leafHash = Rfc9162.HashLeaf(body);
        var entry = Prepared(InsertEntry, "@Index", "@Type", "@SubjectId", "@RecordedAt", "@Body", "@LeafHash");
        entry.Parameters["@Index"].Value = index;
        entry.Parameters["@Type"].Value = type;
        entry.Parameters["@SubjectId"].Value = subjectId;
        entry.Parameters["@RecordedAt"].Value = Data.TypeHandlers.Format(Now);
        entry.Parameters["@Body"].Value = body;
        entry.Parameters["@LeafHash"].Value = leafHash;
        entry.ExecuteNonQuery();
        if (sealing is not null)
        {
            Execute(InsertSealed, new
            {
                EntryIdx = index,
                OwnerOrgId = sealing.Owner ?? caller.OrgId,
                WriterOrgId = caller.OrgId,
                CounterpartyOrgId = counterpartyOrgId,
                sealing.Salt,
                sealing.Fields,
                KeepUntil = sealing.KeepFor is { } keep ? Data.TypeHandlers.Format(Now + keep) : null,
            });
            foreach (var subject in sealing.Names.Distinct(StringComparer.Ordinal))
            {
                Execute(InsertSealedName, new { Subject = subject, EntryIdx = index });
            }
        }

        var node = Prepared(MerkleNodes.Insert, "@Level", "@Idx", "@Hash");
        foreach (var completed in _head.Advance(leafHash))
        {
            node.Parameters["@Level"].Value = completed.Id.Level;
            node.Parameters["@Idx"].Value = completed.Id.Index;
            node.Parameters["@Hash"].Value = completed.Hash;
            node.ExecuteNonQuery();
        }

        return new AppendedEntry(index, leafHash);
    }

    private sealed record Sealing(byte[] Salt, byte[] Fields, byte[] Commitment, string? Owner, IReadOnlyList<string> Names, TimeSpan? KeepFor);

    /// <summary>Moves the rule's private fields out of data (rounding public coordinates); null when there are none.</summary>
    private static Sealing? Seal(Disclosure.Rule rule, JsonObject data, Auth.Caller caller)
    {
        var owner = rule.Owner(data);
        var names = rule.Names(data, caller).Where(n => !string.IsNullOrEmpty(n)).ToList();
        var sealedFields = new JsonObject();
        foreach (var field in rule.Sealed.Where(data.ContainsKey))
        {
            var value = data[field];
            data.Remove(field);
            if (value is not null)
            {
                sealedFields[field] = value;
            }
        }

        foreach (var field in rule.Rounded.Where(f => data[f] is not null))
        {
            var exact = data[field]!.GetValue<double>();
            sealedFields[field] = exact;
            data[field] = Math.Round(exact, 2);
        }

        if (sealedFields.Count == 0)
        {
            return null;
        }

        var salt = SealedPart.NewSalt();
        var fields = CanonicalJson.Serialize(JsonSerializer.SerializeToElement(sealedFields));
        return new Sealing(salt, fields, SealedPart.Commitment(salt, fields), owner, names, rule.KeepFor);
    }
}

internal readonly record struct AppendedEntry(long Index, byte[] LeafHash);

/// <summary>The end of the chain: the hash the next entry links to, and the tree's right edge (whose size is the next index).</summary>
internal sealed class LedgerHead(byte[] lastLeafHash, CompactRange edge)
{
    public long NextIndex => Edge.Size;

    public byte[] LastLeafHash { get; private set; } = lastLeafHash;

    public CompactRange Edge { get; private set; } = edge;

    /// <summary>Adds a leaf; returns the tree nodes it completes, to be stored.</summary>
    public IReadOnlyList<NodeHash> Advance(byte[] leafHash)
    {
        LastLeafHash = leafHash;
        return Edge.Append(leafHash);
    }

    public Snapshot Save() => new(LastLeafHash, Edge.Clone());

    public void Restore(Snapshot saved)
    {
        LastLeafHash = saved.LastLeafHash;
        Edge = saved.Edge.Clone();
    }

    internal sealed record Snapshot(byte[] LastLeafHash, CompactRange Edge);
}

/// <summary>The writer connection's prepared statements, kept for its lifetime; used only on the writer thread.</summary>
internal sealed class PreparedCommands(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteCommand Get(string sql, string[] parameterNames, SqliteTransaction transaction)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameterNames)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            command.Transaction = transaction;
            command.Prepare();
            _commands[sql] = command;
        }

        command.Transaction = transaction;
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
    }
}
