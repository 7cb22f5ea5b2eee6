namespace TeaTrace.Api.Features.Processing;

internal static class ProcessingSetup
{
    public static IServiceCollection AddProcessing(this IServiceCollection services)
    {
        services.AddSingleton<ProcessingStore>();
        return services;
    }
}
