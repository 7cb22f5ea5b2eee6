namespace TeaTrace.Api.Features.Lots;

internal static class LotsSetup
{
    public static IServiceCollection AddLots(this IServiceCollection services)
    {
        services.AddSingleton<LotStore>();
        return services;
    }
}
