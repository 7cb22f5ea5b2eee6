using TeaTrace.Api.Jobs;

namespace TeaTrace.Api.Features.Market;

internal static class MarketSetup
{
    public static IServiceCollection AddMarket(this IServiceCollection services)
    {
        services.AddSingleton<TradeStore>();
        services.AddSingleton<MarketStore>();
        services.AddTransient<MarketJobs>();
        services.AddSingleton<IRecurringJobRegistration, MarketJobs.Registration>();
        return services;
    }
}
