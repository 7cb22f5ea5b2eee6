namespace TeaTrace.Api.Features.Orgs;

internal static class OrgsSetup
{
    public static IServiceCollection AddOrgs(this IServiceCollection services)
    {
        services.AddSingleton<OrgStore>();
        return services;
    }
}
