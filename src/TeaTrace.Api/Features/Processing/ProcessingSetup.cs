namespace TeaTrace.Api.Features.Processing;

internal static class ProcessingSetup
{
    public static IServiceCollection AddProcessing(this IServiceCollection services)
    {
        services.AddOptions<ProcessingOptions>().BindConfiguration(ProcessingOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.MinLeafPerTeaKg < o.MaxLeafPerTeaKg, "TeaTrace:Processing:MinLeafPerTeaKg must be below MaxLeafPerTeaKg.")
            .ValidateOnStart();
        services.AddSingleton<BatchStore>();
        services.AddSingleton<StepStore>();
        services.AddSingleton<CompletionStore>();
        return services;
    }
}
