namespace TeaTrace.Api.Common;

internal static class OptionsSetup
{
    public static IServiceCollection AddTeaTraceOptions(this IServiceCollection services)
    {
        services.AddOptions<TeaTraceOptions>().BindConfiguration(TeaTraceOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<GiOptions>().BindConfiguration(GiOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.MinLatitude < o.MaxLatitude && o.MinLongitude < o.MaxLongitude, "The GI area's minimum must be below its maximum.")
            .ValidateOnStart();
        services.AddOptions<ProcessingOptions>().BindConfiguration(ProcessingOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.MinLeafPerTeaKg < o.MaxLeafPerTeaKg, "TeaTrace:Processing:MinLeafPerTeaKg must be below MaxLeafPerTeaKg.")
            .ValidateOnStart();
        services.AddOptions<LedgerOptions>().BindConfiguration(LedgerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
