namespace TeaTrace.Api.Features.Lots;

internal static class LotsSetup
{
    public static IServiceCollection AddLots(this IServiceCollection services)
    {
        services.AddOptions<LotOptions>().BindConfiguration(LotOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LotStore>();
        return services;
    }
}
