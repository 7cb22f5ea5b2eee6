namespace TeaTrace.Api.Auth;

/// <summary>Who may call an endpoint, in words for the OpenAPI document and as roles for the policy.</summary>
internal sealed record AccessMetadata(string Who, IReadOnlyList<string> Roles)
{
    public bool IsPublic => Roles.Count == 0;
}

internal static class EndpointAccess
{
    /// <summary>Requires one of the roles; 'who' says it in words, including the organisation rule the handler applies.</summary>
    public static TBuilder Allow<TBuilder>(this TBuilder builder, string who, params string[] roles)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.RequireAuthorization(policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()
            .RequireRole(roles));
        builder.WithMetadata(new AccessMetadata(who, roles));
        builder.AddEndpointFilter(new Common.PlainTextFilter());
        return builder;
    }

    public static TBuilder Public<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AllowAnonymous();
        builder.WithMetadata(new AccessMetadata("Public: no key needed.", []));
        builder.AddEndpointFilter(new Common.PlainTextFilter());
        return builder;
    }
}
