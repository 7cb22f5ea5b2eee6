using System.Net;
using System.Security.Claims;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;

namespace TeaTrace.Api.Jobs;

/// <summary>
/// The Hangfire dashboard at /jobs, for admins only. A script sends its admin key as a Bearer header; a person signs
/// in once at /jobs/login with the key, which sets a secure, HTTP-only, same-site session cookie for /jobs alone. The
/// session ends when its key is revoked. Hangfire's own local-requests filter is replaced: it would refuse everyone
/// behind a proxy.
/// </summary>
internal static class JobsDashboard
{
    public const string SessionScheme = "JobsSession";
    public const string Scheme = "ApiKeyOrJobsSession";
    public const string Path = "/jobs";

    public static IServiceCollection AddJobsDashboard(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        // Session cookies must outlive a restart: the data-protection keys live beside the database.
        var connectionString = configuration.GetConnectionString(SqliteConnectionFactory.ConnectionStringName) ?? SqliteConnectionFactory.DefaultConnectionString;
        var database = new SqliteConnectionFactory(connectionString, environment.ContentRootPath).DatabasePath;
        var keys = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(database)!, "keys");
        Common.PrivateFiles.SecureFolder(keys);
        Common.PrivateFiles.SecureFiles(Directory.EnumerateFiles(keys));
        services.AddDataProtection().SetApplicationName("TeaTrace").PersistKeysToFileSystem(new DirectoryInfo(keys));

        // Hangfire checks an antiforgery token on every dashboard action (trigger, delete, requeue) once this is registered.
        services.AddAntiforgery(options => options.Cookie.Path = Path);
        services.AddAuthentication()
            .AddCookie(SessionScheme, options =>
            {
                options.Cookie.Name = "teatrace_jobs";
                options.Cookie.Path = Path;
                options.Cookie.HttpOnly = true;
                options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = false;
                options.LoginPath = $"{Path}/login";
                options.AccessDeniedPath = $"{Path}/login";
                options.Events.OnRedirectToLogin = context => RefuseOrRedirect(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => RefuseOrRedirect(context, StatusCodes.Status403Forbidden);
                options.Events.OnValidatePrincipal = async context =>
                {
                    var keyId = context.Principal?.FindFirstValue(Caller.KeyIdClaim);
                    var connections = context.HttpContext.RequestServices.GetRequiredService<SqliteConnectionFactory>();
                    if (keyId is null || !ApiKeys.StillWorks(connections, keyId, Roles.Admin))
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(SessionScheme);
                    }
                };
            })
            .AddPolicyScheme(Scheme, null, options => options.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.Count > 0 ? ApiKeyAuthenticationHandler.SchemeName : SessionScheme);
        return services;
    }

    public static WebApplication MapJobsDashboard(this WebApplication app)
    {
        app.MapGet($"{Path}/login", LoginPage).ExcludeFromDescription().AllowAnonymous();
        app.MapPost($"{Path}/login", SignIn).ExcludeFromDescription().AllowAnonymous().DisableAntiforgery();
        app.MapPost($"{Path}/logout", (Delegate)SignOut).ExcludeFromDescription().AllowAnonymous().DisableAntiforgery();
        app.MapHangfireDashboard(Path, new DashboardOptions
        {
            DashboardTitle = "TeaTrace jobs",
            AppPath = "/market",
            Authorization = [new AdminOnly()],
            IgnoreAntiforgeryToken = false,
        }).RequireAuthorization(policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireRole(Roles.Admin));
        return app;
    }

    private static Task RefuseOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var wantsPage = context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
        if (wantsPage && status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }

        return Errors.ProblemWriter.WriteAsync(context.HttpContext, Errors.HttpRefusals.DashboardForAdmins(status));
    }

    private static IResult LoginPage(HttpContext http, string? failed)
    {
        SecurityHeaders.ForPage(http.Response);
        var message = failed is null ? "" : "<p class=\"fail\">这个密钥不能打开任务面板（需要有效的管理员密钥）。 This key cannot open the job dashboard: an admin key is needed.</p>";
        return Results.Content($"""
            <!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>TeaTrace 任务面板登录 · Jobs sign-in</title>
            <meta name="description" content="TeaTrace 任务面板的管理员登录：查看和触发账本签名、行情汇总、备份等定时任务。Admin sign-in to TeaTrace's scheduled jobs.">
            <link rel="icon" href="/assets/icon.svg" type="image/svg+xml"><link rel="stylesheet" href="/assets/consumer.css"></head><body>
            <header class="top"><span class="brand">TeaTrace 任务面板 · Jobs</span></header><main><section>
            <h1>管理员登录 · Admin sign-in</h1>{message}
            <form method="post" action="{Path}/login"><p><label for="apiKey">管理员密钥 · Admin API key</label></p>
            <p><input id="apiKey" name="apiKey" type="password" autocomplete="off" required minlength="16"></p>
            <p class="place"><button type="submit">登录 · Sign in</button></p></form></section></main></body></html>
            """, "text/html; charset=utf-8");
    }

    private static async Task<IResult> SignIn(HttpContext http, SqliteConnectionFactory connections, KeyGuesses guesses)
    {
        var address = http.Connection.RemoteIpAddress;
        if (guesses.IsBlocked(address, out var wait))
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Errors.Problems.ToProblem(Errors.HttpRefusals.TooManySignIns(seconds));
        }

        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync() : null;
        var key = form?["apiKey"].ToString().Trim() ?? "";
        var (principal, _) = key.Length == 0 ? (null, null) : ApiKeys.Authenticate(connections, key, SessionScheme);
        if (principal is null || !principal.IsInRole(Roles.Admin))
        {
            guesses.RecordFailure(address);
            return Results.Redirect($"{Path}/login?failed=1");
        }

        await http.SignInAsync(SessionScheme, principal);
        return Results.Redirect(Path);
    }

    private static async Task<IResult> SignOut(HttpContext http)
    {
        await http.SignOutAsync(SessionScheme);
        return Results.Redirect($"{Path}/login");
    }

    /// <summary>Checked again inside the dashboard: the endpoint's policy already required an admin.</summary>
    private sealed class AdminOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.Admin);
    }
}
