using TeaTrace.Api.Jobs;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.LedgerApi;

internal static class LedgerSetup
{
    public static IServiceCollection AddLedgerApi(this IServiceCollection services)
    {
        services.AddOptions<LedgerOptions>().BindConfiguration(LedgerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LedgerSigningKey>();
        services.AddSingleton<LedgerTree>();
        services.AddSingleton<LedgerAuditor>();
        services.AddSingleton<CheckpointSigner>();
        services.AddTransient<CheckpointJob>();
        services.AddTransient<LedgerAuditJob>();
        services.AddSingleton<IRecurringJobRegistration, CheckpointJob.Registration>();
        services.AddSingleton<IRecurringJobRegistration, LedgerAuditJob.Registration>();
        return services;
    }
}
