using TeaTrace.Api.Common;

namespace TeaTrace.Api.Features.Gardens;

internal static class GardensSetup
{
    public static IServiceCollection AddGardens(this IServiceCollection services)
    {
        services.AddOptions<GiOptions>().BindConfiguration(GiOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.MinLatitude < o.MaxLatitude && o.MinLongitude < o.MaxLongitude, "The GI area's minimum must be below its maximum.")
            .ValidateOnStart();
        services.AddSingleton<PlotStore>();
        services.AddSingleton<InputStore>();
        services.AddSingleton<HarvestStore>();
        return services;
    }
}
