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
/// served one at a time in this process. A new key is set on the request as an <see cref="IdempotentRequest"/>; the
/// endpoint passes it to its write in a <see cref="Reply{T}"/>, and the writer stores the final response with the
/// rows, so two deliveries of a request can never both write and a stored response is always whole.
/// </summary>
internal sealed class IdempotencyMiddleware(RequestDelegate next, SqliteConnectionFactory connections,
    IOptionsMonitor<IdempotencyOptions> options, TimeProvider clock)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    private const int MaxKeyLength = 255;

    private static readonly SemaphoreSlim[] Locks = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    private const string SelectKey = """
        SELECT request_hash, status, content_type, location, body, created_at FROM idempotency_keys WHERE caller = @Caller AND key = @Key
        """;

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
            await ProblemWriter.WriteAsync(http, HttpRefusals.BadIdempotencyKey(MaxKeyLength));
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

            http.Features.Set(new IdempotentRequest(caller, key, hash));
            await next(http);
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
            await ProblemWriter.WriteAsync(http, HttpRefusals.IdempotencyKeyReused());
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
