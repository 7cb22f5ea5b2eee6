namespace TeaTrace.Api.Features.Resolver;

internal static class ResolverSetup
{
    public static IServiceCollection AddResolver(this IServiceCollection services)
    {
        services.AddOptions<RiskOptions>().BindConfiguration(RiskOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Common.ChangeSignals>();
        services.AddSingleton<ProvenanceReader>();
        services.AddSingleton<ScanSalt>();
        services.AddSingleton<ScanStore>();
        services.AddSingleton<RiskScorer>();
        services.AddSingleton<Resolver>();
        return services;
    }
}
