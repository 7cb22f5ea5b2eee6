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
            return Fail(Errors.HttpRefusals.BearerForm());
        }

        var address = Context.Connection.RemoteIpAddress;
        if (guesses.IsBlocked(address, out var retryAfter))
        {
            Context.Items[BlockedKey] = retryAfter;
            return Fail(Errors.HttpRefusals.WrongKeysFromHere());
        }

        var (principal, failure) = ApiKeys.Authenticate(connections, header[7..].Trim(), SchemeName);
        if (principal is null)
        {
            guesses.RecordFailure(address);
            return Fail(failure!.Value);
        }

        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    private Task<AuthenticateResult> Fail(Common.Text reason)
    {
        Context.Items[FailureKey] = reason;
        return Task.FromResult(AuthenticateResult.Fail(reason.En));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items.TryGetValue(BlockedKey, out var blocked) && blocked is TimeSpan wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Errors.ProblemWriter.WriteAsync(Context, Errors.HttpRefusals.TooManyWrongKeys(seconds));
            return;
        }

        Response.Headers.WWWAuthenticate = "Bearer";
        var refusal = Context.Items.TryGetValue(FailureKey, out var reason) && reason is Common.Text why
            ? Errors.HttpRefusals.Unauthorized(why)
            : Errors.HttpRefusals.KeyNeeded();
        await Errors.ProblemWriter.WriteAsync(Context, refusal);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var role = Context.User.FindFirstValue(ClaimTypes.Role) ?? "none";
        await Errors.ProblemWriter.WriteAsync(Context, Errors.HttpRefusals.RoleMayNot(role));
    }
}
