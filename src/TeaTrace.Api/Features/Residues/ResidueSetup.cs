using Microsoft.Extensions.Options;

namespace TeaTrace.Api.Features.Residues;

internal static class ResidueSetup
{
    public static IServiceCollection AddResidues(this IServiceCollection services)
    {
        services.AddOptions<ResidueOptions>().BindConfiguration(ResidueOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ResidueOptions>, ResidueOptionsCheck>();
        services.AddSingleton<ResidueStore>();
        return services;
    }
}
