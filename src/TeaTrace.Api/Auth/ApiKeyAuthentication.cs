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
    KeyGuesses guesses)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";

    private const string FailureKey = "tt:auth-failure";

    private const string BlockedKey = "tt:auth-blocked";

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

        var address = Context.Connection.RemoteIpAddress;
        if (guesses.IsBlocked(address, out var retryAfter))
        {
            Context.Items[BlockedKey] = retryAfter;
            return Fail("Too many wrong keys from this address.");
        }

        var (principal, failure) = ApiKeys.Authenticate(connections, header[7..].Trim(), SchemeName);
        if (principal is null)
        {
            guesses.RecordFailure(address);
            return Fail(failure!);
        }

        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    private Task<AuthenticateResult> Fail(string reason)
    {
        Context.Items[FailureKey] = reason;
        return Task.FromResult(AuthenticateResult.Fail(reason));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items.TryGetValue(BlockedKey, out var blocked) && blocked is TimeSpan wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Errors.ProblemWriter.WriteAsync(Context, StatusCodes.Status429TooManyRequests, "Too many wrong keys",
                $"Too many wrong API keys were sent from this address; key checks from it resume in {seconds} s.");
            return;
        }

        Response.Headers.WWWAuthenticate = "Bearer";
        var detail = Context.Items.TryGetValue(FailureKey, out var reason) && reason is string text
            ? text
            : "This endpoint needs an API key: 'Authorization: Bearer <key>'.";
        await Errors.ProblemWriter.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var role = Context.User.FindFirstValue(ClaimTypes.Role) ?? "none";
        await Errors.ProblemWriter.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden", $"A key with the role '{role}' may not do this.");
    }
}
