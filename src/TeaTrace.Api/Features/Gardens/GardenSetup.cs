namespace TeaTrace.Api.Features.Gardens;

internal static class GardensSetup
{
    public static IServiceCollection AddGardens(this IServiceCollection services)
    {
        services.AddSingleton<GardenStore>();
        return services;
    }
}
