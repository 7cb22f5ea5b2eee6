namespace TeaTrace.Api.Features.Custody;

internal static class CustodySetup
{
    public static IServiceCollection AddCustody(this IServiceCollection services)
    {
        services.AddOptions<CustodyOptions>().BindConfiguration(CustodyOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.EffectiveItems.All(i => i.Zh.Length > 0 && i.En.Length > 0), "Every commitment item needs its Chinese and English words.")
            .ValidateOnStart();
        services.AddSingleton<LeafSaleStore>();
        services.AddSingleton<LeafReceiptStore>();
        services.AddSingleton<ShipmentStore>();
        return services;
    }
}
