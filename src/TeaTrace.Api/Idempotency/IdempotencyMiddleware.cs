using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Hangfire;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Errors;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Idempotency;

internal sealed class IdempotencyOptions
{
    public const string SectionName = "TeaTrace:Idempotency";

    /// <summary>How long a key is remembered; a cleanup job forgets older ones.</summary>
    [Range(1, 24 * 365)]
    public int RetentionHours { get; set; } = 24;
}

/// <summary>
/// Idempotency-Key on POST: a retried request (same caller, same key, same method, path and body) gets the first
/// response again and writes nothing; the same key with a different request is 422. Requests with one key are
/// served one at a time in this process, and the key is stored in the write's own transaction, so two deliveries
/// of a request can never both write.
/// </summary>
internal sealed class IdempotencyMiddleware(RequestDelegate next, SqliteConnectionFactory connections, ILedgerWriter writer,
    IOptionsMonitor<IdempotencyOptions> options, IOptions<JsonOptions> json, TimeProvider clock)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    private const int MaxKeyLength = 255;

    private static readonly SemaphoreSlim[] Locks = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    private const string SelectKey = """
        SELECT request_hash, status, content_type, location, body, created_at FROM idempotency_keys WHERE caller = @Caller AND key = @Key
        """;

    private const string CompleteKey = """
        UPDATE idempotency_keys SET status = @Status, content_type = @ContentType, location = @Location, body = @Body WHERE caller = @Caller AND key = @Key
        """;

    private const string ForgetKey = "DELETE FROM idempotency_keys WHERE caller = @Caller AND key = @Key";

    private sealed class StoredRow
    {
        public byte[] RequestHash { get; init; } = [];
        public long Status { get; init; }
        public string? ContentType { get; init; }
        public string? Location { get; init; }
        public byte[] Body { get; init; } = [];
        public DateTimeOffset CreatedAt { get; init; }
    }

    public async Task InvokeAsync(HttpContext http)
    {
        if (!HttpMethods.IsPost(http.Request.Method) || !http.Request.Headers.TryGetValue(Header, out var values))
        {
            await next(http);
            return;
        }

        var key = values.ToString();
        if (key.Length is 0 or > MaxKeyLength || key.Any(c => c is < '!' or > '~'))
        {
            await ProblemWriter.WriteAsync(http, StatusCodes.Status400BadRequest, "Bad Idempotency-Key",
                $"An Idempotency-Key is 1 to {MaxKeyLength} printable ASCII characters without spaces, such as a UUID.");
            return;
        }

        var caller = http.User.FindFirst(Caller.KeyIdClaim)?.Value ?? "anonymous";
        var hash = await HashRequestAsync(http);
        var gate = Locks[(int)((uint)HashCode.Combine(caller, key) % (uint)Locks.Length)];
        await gate.WaitAsync(http.RequestAborted);
        try
        {
            var stored = Find(caller, key);
            if (stored is not null)
            {
                await ReplayOrRefuseAsync(http, stored, hash);
                return;
            }

            await ServeAndRememberAsync(http, caller, key, hash);
        }
        finally
        {
            gate.Release();
        }
    }

    private StoredRow? Find(string caller, string key)
    {
        using var connection = connections.Open();
        var row = connection.QuerySingleOrDefault<StoredRow>(SelectKey, new { Caller = caller, Key = key });
        return row is not null && row.CreatedAt >= clock.GetUtcNow().AddHours(-options.CurrentValue.RetentionHours) ? row : null;
    }

    private static async Task ReplayOrRefuseAsync(HttpContext http, StoredRow stored, byte[] hash)
    {
        if (!CryptographicOperations.FixedTimeEquals(stored.RequestHash, hash))
        {
            await ProblemWriter.WriteAsync(http, StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
                "This Idempotency-Key was already used for a different request; use a new key for a new request.");
            return;
        }

        http.Response.StatusCode = (int)stored.Status;
        http.Response.Headers[ReplayedHeader] = "true";
        if (stored.ContentType is not null)
        {
            http.Response.ContentType = stored.ContentType;
        }

        if (stored.Location is not null)
        {
            http.Response.Headers.Location = stored.Location;
        }

        await http.Response.Body.WriteAsync(stored.Body, http.RequestAborted);
    }

    private async Task ServeAndRememberAsync(HttpContext http, string caller, string key, byte[] hash)
    {
        var scope = new IdempotencyScope(caller, key, hash, SuccessStatus(http), json.Value.SerializerOptions);
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        IdempotencyScope.Current = scope;
        try
        {
            await next(http);
        }
        finally
        {
            IdempotencyScope.Current = null;
            http.Response.Body = original;
        }

        if (scope.Recorded)
        {
            // The key was stored with the write, with the response the work produced; now keep the exact response.
            var status = http.Response.StatusCode;
            var body = buffer.ToArray();
            await writer.WriteAsync<int>(tx => status is >= 200 and < 300
                ? tx.Execute(CompleteKey, new { Caller = caller, Key = key, Status = status, http.Response.ContentType, Location = (string?)http.Response.Headers.Location, Body = body })
                : tx.Execute(ForgetKey, new { Caller = caller, Key = key }));
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, http.RequestAborted);
    }

    /// <summary>The request as a hash: method, path and query, content type and body.</summary>
    private static async Task<byte[]> HashRequestAsync(HttpContext http)
    {
        http.Request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{http.Request.Method}\n{http.Request.Path}{http.Request.QueryString}\n{http.Request.ContentType}\n"));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            sha.AppendData(chunk, 0, read);
        }

        http.Request.Body.Position = 0;
        return sha.GetHashAndReset();
    }

    /// <summary>The success status the endpoint declares (201 for most writes, 200, 202 or 204 for some).</summary>
    private static int SuccessStatus(HttpContext http) =>
        http.GetEndpoint()?.Metadata.OfType<IProducesResponseTypeMetadata>().Select(m => m.StatusCode).Where(s => s is >= 200 and < 300).DefaultIfEmpty(200).Min() ?? 200;
}

/// <summary>Forgets keys older than the retention time. Safe to run twice.</summary>
internal sealed class IdempotencyCleanupJob(ILedgerWriter writer, IOptionsMonitor<IdempotencyOptions> options, TimeProvider clock)
{
    public const string Id = "idempotency-cleanup";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var before = TypeHandlers.Format(clock.GetUtcNow().AddHours(-options.CurrentValue.RetentionHours));
        var result = await writer.WriteAsync<int>(tx => tx.Execute("DELETE FROM idempotency_keys WHERE created_at < @Before", new { Before = before }), cancellationToken);
        return result.Value;
    }

    internal sealed class Registration : Jobs.IRecurringJobRegistration
    {
        public void Register(Hangfire.IRecurringJobManager manager, Jobs.JobsOptions options) =>
            manager.AddOrUpdate<IdempotencyCleanupJob>(Id, job => job.RunAsync(CancellationToken.None), options.ScheduleOf(Id, "7 * * * *"), Jobs.JobsSetup.InChina);
    }
}
