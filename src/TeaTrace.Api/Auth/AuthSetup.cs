using Microsoft.AspNetCore.Authentication;

namespace TeaTrace.Api.Auth;

internal static class AuthSetup
{
    public static IServiceCollection AddTeaTraceAuth(this IServiceCollection services)
    {
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        return services;
    }
}
