using TeaTrace.Api.Jobs;

namespace TeaTrace.Api.Features.Market;

internal static class MarketSetup
{
    public static IServiceCollection AddMarket(this IServiceCollection services)
    {
        services.AddOptions<MarketOptions>().BindConfiguration(MarketOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.MinPricePerKg < o.MaxPricePerKg, "TeaTrace:Market:MinPricePerKg must be below MaxPricePerKg.")
            .ValidateOnStart();
        services.AddSingleton<TradeStore>();
        services.AddSingleton<MarketStore>();
        services.AddTransient<MarketJobs>();
        services.AddSingleton<IRecurringJobRegistration, MarketJobs.Registration>();
        return services;
    }
}
