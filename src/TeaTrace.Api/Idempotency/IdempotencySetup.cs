using TeaTrace.Api.Common;
using TeaTrace.Api.Jobs;

namespace TeaTrace.Api.Idempotency;

internal static class IdempotencySetup
{
    public static IServiceCollection AddIdempotency(this IServiceCollection services)
    {
        services.AddOptions<IdempotencyOptions>().BindConfiguration(IdempotencyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RequestLimitOptions>().BindConfiguration(RequestLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddTransient<IdempotencyCleanupJob>();
        services.AddSingleton<IRecurringJobRegistration, IdempotencyCleanupJob.Registration>();
        return services;
    }
}
