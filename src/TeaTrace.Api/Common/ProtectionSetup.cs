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

internal static class ProtectionSetup
{
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
                await Errors.ProblemWriter.WriteAsync(http, StatusCodes.Status429TooManyRequests, "Too many requests",
                    $"Too many requests from this address; try again in {retryAfter} s.");
            };
        });
        services.AddCors(cors => cors.AddPolicy(PublicReadCors, policy => policy.AllowAnyOrigin().WithMethods("GET", "HEAD").WithHeaders("Accept")));
        return services;
    }
}
