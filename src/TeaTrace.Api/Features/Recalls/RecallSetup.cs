namespace TeaTrace.Api.Features.Recalls;

internal static class RecallsSetup
{
    public static IServiceCollection AddRecalls(this IServiceCollection services)
    {
        services.AddSingleton<RecallStore>();
        return services;
    }
}
