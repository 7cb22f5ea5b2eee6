using System.Text.Json;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Idempotency;

/// <summary>
/// The Idempotency-Key of the request being served, flowing with it into the ledger writer: the first successful
/// write the request makes also records the key and the response, in the same transaction.
/// </summary>
internal sealed class IdempotencyScope(string caller, string key, byte[] requestHash, int status, JsonSerializerOptions json)
{
    private static readonly AsyncLocal<IdempotencyScope?> CurrentScope = new();

    public const string InsertKey = """
        INSERT INTO idempotency_keys (caller, key, request_hash, status, content_type, location, body, created_at)
        VALUES (@Caller, @Key, @RequestHash, @Status, 'application/json; charset=utf-8', NULL, @Body, @CreatedAt)
        """;

    public static IdempotencyScope? Current
    {
        get => CurrentScope.Value;
        set => CurrentScope.Value = value;
    }

    public string Caller { get; } = caller;

    public string Key { get; } = key;

    public bool Recorded { get; private set; }

    /// <summary>Called by the writer inside the work's savepoint, once the work has succeeded.</summary>
    public void Record(LedgerTransaction tx, object? value)
    {
        if (Recorded)
        {
            return;
        }

        var body = value is null ? [] : JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), json);
        tx.Execute(InsertKey, new { Caller, Key, RequestHash = requestHash, Status = status, Body = body, CreatedAt = tx.Now });
        Recorded = true;
    }
}
