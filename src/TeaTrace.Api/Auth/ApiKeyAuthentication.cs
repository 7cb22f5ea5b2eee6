using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using TeaTrace.Api.Data;

namespace TeaTrace.Api.Auth;

/// <summary>
/// Authorization: Bearer &lt;api key&gt;. The key is hashed and looked up on every request, so a revoked key
/// stops working at once. Challenges and refusals are RFC 9457 problem responses.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    SqliteConnectionFactory connections,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";

    private const string FailureKey = "tt:auth-failure";

    private const string SelectKey = "SELECT id, org_id, role, key_hash, revoked_at FROM api_keys WHERE key_hash = @Hash";

    private sealed class KeyRow
    {
        public string Id { get; init; } = "";
        public string OrgId { get; init; } = "";
        public string Role { get; init; } = "";
        public byte[] KeyHash { get; init; } = [];
        public string? RevokedAt { get; init; }
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            return Fail("Send the API key as 'Authorization: Bearer <key>'.");
        }

        var key = header[7..].Trim();
        var hash = ApiKeys.Hash(key);
        KeyRow? row;
        using (var connection = connections.Open())
        {
            row = connection.QuerySingleOrDefault<KeyRow>(SelectKey, new { Hash = hash });
        }

        if (row is null || !CryptographicOperations.FixedTimeEquals(row.KeyHash, hash))
        {
            return Fail("The API key is not recognised.");
        }

        if (row.RevokedAt is not null)
        {
            return Fail("This API key has been revoked.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(Caller.KeyIdClaim, row.Id),
                new Claim(Caller.OrgIdClaim, row.OrgId),
                new Claim(ClaimTypes.Role, row.Role),
            ],
            SchemeName,
            Caller.KeyIdClaim,
            ClaimTypes.Role);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    private Task<AuthenticateResult> Fail(string reason)
    {
        Context.Items[FailureKey] = reason;
        return Task.FromResult(AuthenticateResult.Fail(reason));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var detail = Context.Items.TryGetValue(FailureKey, out var reason) && reason is string text
            ? text
            : "This endpoint needs an API key: 'Authorization: Bearer <key>'.";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = StatusCodes.Status401Unauthorized, Title = "Unauthorized", Detail = detail },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var role = Context.User.FindFirstValue(ClaimTypes.Role) ?? "none";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Forbidden",
                Detail = $"A key with the role '{role}' may not do this.",
            },
        });
    }
}
