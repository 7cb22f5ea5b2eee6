using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Idempotency;

/// <summary>A POST's Idempotency-Key that the middleware has not seen before; set on the request for its endpoint to pass on.</summary>
internal sealed record IdempotentRequest(string Caller, string Key, byte[] RequestHash);

/// <summary>A response as a retry gets it back: status, content type, Location and the exact body bytes.</summary>
internal sealed record StoredResponse(int Status, string ContentType, string? Location, byte[] Body);

/// <summary>
/// How an endpoint answers a successful write. The endpoint hands it to the write, and when the request carries an
/// Idempotency-Key the writer stores the final response (status, Location, content type, body) in the write's own
/// transaction, with the rows and the ledger entry: a crash can never leave a write without its replay, or a replay
/// without its Location.
/// </summary>
internal sealed class Reply<T>
{
    public const string JsonContentType = "application/json; charset=utf-8";

    private readonly IdempotentRequest? _request;
    private readonly JsonSerializerOptions _json;
    private readonly Func<T, StoredResponse>? _replay;

    internal Reply(int status, Func<T, string>? location, IdempotentRequest? request, JsonSerializerOptions json, Func<T, StoredResponse>? replay)
    {
        Status = status;
        Location = location;
        _request = request;
        _json = json;
        _replay = replay;
    }

    public int Status { get; }

    public Func<T, string>? Location { get; }

    private const string InsertKey = """
        INSERT INTO idempotency_keys (caller, key, request_hash, status, content_type, location, body, created_at)
        VALUES (@Caller, @Key, @RequestHash, @Status, @ContentType, @Location, @Body, @CreatedAt)
        """;

    /// <summary>Called by the writer inside the work's savepoint, once the work has succeeded.</summary>
    public void Remember(LedgerTransaction tx, T value)
    {
        if (_request is null)
        {
            return;
        }

        // The same serializer options and declared type the typed result writes with, so a replay is byte for byte the first answer.
        var response = _replay?.Invoke(value)
            ?? new StoredResponse(Status, JsonContentType, Location?.Invoke(value), JsonSerializer.SerializeToUtf8Bytes(value, _json.GetTypeInfo(typeof(T))));
        tx.Execute(InsertKey, new
        {
            _request.Caller,
            _request.Key,
            _request.RequestHash,
            response.Status,
            response.ContentType,
            response.Location,
            response.Body,
            CreatedAt = tx.Now,
        });
    }
}

internal static class Reply
{
    /// <summary>201 Created with a Location; replay, when given, is what a retry gets instead of the first body.</summary>
    public static Reply<T> Created<T>(HttpContext http, Func<T, string> location, Func<T, StoredResponse>? replay = null) =>
        new(StatusCodes.Status201Created, location, http.Features.Get<IdempotentRequest>(), Json(http), replay);

    public static Reply<T> Ok<T>(HttpContext http) => new(StatusCodes.Status200OK, null, http.Features.Get<IdempotentRequest>(), Json(http), null);

    public static Reply<T> Accepted<T>(HttpContext http, Func<T, string> location) =>
        new(StatusCodes.Status202Accepted, location, http.Features.Get<IdempotentRequest>(), Json(http), null);

    private static JsonSerializerOptions Json(HttpContext http) => http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
}
