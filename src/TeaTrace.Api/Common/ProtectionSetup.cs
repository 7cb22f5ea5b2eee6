using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace TeaTrace.Api.Common;

/// <summary>Per-client limits on the public endpoints. Many phones share one address behind carrier NAT, so the default is generous.</summary>
internal sealed class RateLimitOptions
{
    public const string SectionName = "TeaTrace:RateLimit";

    public const string PublicPolicy = "public";

    public bool Enabled { get; set; } = true;

    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; } = 300;

    [Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 60;
}

/// <summary>Behind a reverse proxy the client's address is in X-Forwarded-For; trusted only from the proxies named here.</summary>
internal sealed class ForwardedHeadersSettings
{
    public const string SectionName = "TeaTrace:ForwardedHeaders";

    public List<string> KnownProxies { get; set; } = [];
}

internal static class ProtectionSetup
{
    /// <summary>Uses X-Forwarded-For/-Proto only when TeaTrace:ForwardedHeaders:KnownProxies names the proxies.</summary>
    public static IApplicationBuilder UseTeaTraceForwardedHeaders(this WebApplication app)
    {
        var proxies = app.Configuration.GetSection(ForwardedHeadersSettings.SectionName).Get<ForwardedHeadersSettings>()?.KnownProxies ?? [];
        if (proxies.Count == 0)
        {
            return app;
        }

        var options = new ForwardedHeadersOptions { ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
        {
            options.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
        }

        return app.UseForwardedHeaders(options);
    }

    public const string PublicReadCors = "public-read";

    public static IServiceCollection AddTeaTraceProtection(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(RateLimitOptions.PublicPolicy, http =>
            {
                var options = http.RequestServices.GetRequiredService<IOptionsMonitor<RateLimitOptions>>().CurrentValue;
                return options.Enabled
                    ? RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = options.PermitLimit,
                        Window = TimeSpan.FromSeconds(options.WindowSeconds),
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter("off");
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var http = context.HttpContext;
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds) : 60;
                http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await Errors.ProblemWriter.WriteAsync(http, Errors.HttpRefusals.TooManyRequests(retryAfter));
            };
        });
        services.AddCors(cors => cors.AddPolicy(PublicReadCors, policy => policy.AllowAnyOrigin().WithMethods("GET", "HEAD").WithHeaders("Accept")));
        return services;
    }
}
