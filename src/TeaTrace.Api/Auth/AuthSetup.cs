using Microsoft.AspNetCore.Authentication;

namespace TeaTrace.Api.Auth;

internal static class AuthSetup
{
    public static IServiceCollection AddTeaTraceAuth(this IServiceCollection services)
    {
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddOptions<KeyGuessOptions>().BindConfiguration(KeyGuessOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<KeyGuesses>();
        return services;
    }
}
