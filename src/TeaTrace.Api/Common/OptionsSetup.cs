using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;

namespace TeaTrace.Api.Common;

internal static class OptionsSetup
{
    public static IServiceCollection AddTeaTraceOptions(this IServiceCollection services)
    {
        services.AddOptions<TeaTraceOptions>().BindConfiguration(TeaTraceOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<TeaTraceOptions>, ProductionOptionsCheck>();
        // Hosts the service answers: AllowedHosts from configuration, and the public address's host.
        services.AddOptions<HostFilteringOptions>().PostConfigure<IOptions<TeaTraceOptions>>((hosts, options) =>
        {
            if (Uri.TryCreate(options.Value.PublicBaseUrl, UriKind.Absolute, out var url) && hosts.AllowedHosts is { Count: > 0 } allowed
                && !allowed.Contains("*") && !allowed.Contains(url.Host, StringComparer.OrdinalIgnoreCase))
            {
                hosts.AllowedHosts = [.. allowed, url.Host];
            }
        });
        return services;
    }
}

/// <summary>
/// In Production the links printed into labels, QR codes and feeds must not follow a request's Host header, which
/// anyone can set: the public address is required.
/// </summary>
internal sealed class ProductionOptionsCheck(IHostEnvironment environment) : IValidateOptions<TeaTraceOptions>
{
    public ValidateOptionsResult Validate(string? name, TeaTraceOptions options) =>
        environment.IsProduction() && string.IsNullOrWhiteSpace(options.PublicBaseUrl)
            ? ValidateOptionsResult.Fail("TeaTrace:PublicBaseUrl must be set in Production (such as https://tea.example.cn): links printed into labels, QR codes and feeds would otherwise follow each request's Host header.")
            : ValidateOptionsResult.Success;
}
