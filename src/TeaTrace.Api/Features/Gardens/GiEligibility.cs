namespace TeaTrace.Api.Features.Gardens;

/// <summary>Whether a plot may grow leaf for Yingde black tea under the GI: inside the GI area, and a GI cultivar.</summary>
internal static class GiEligibility
{
    /// <summary>Why the plot is not eligible; empty when it is.</summary>
    public static IReadOnlyList<string> Reasons(GiOptions area, double latitude, double longitude, string cultivar)
    {
        var reasons = new List<string>();
        if (!InArea(area, latitude, longitude))
        {
            reasons.Add("outside the Yingde black tea GI area");
        }

        if (!IsGiCultivar(area, cultivar))
        {
            reasons.Add($"'{cultivar}' is not a GI cultivar");
        }

        return reasons;
    }

    public static bool InArea(GiOptions area, double latitude, double longitude) =>
        latitude >= area.MinLatitude && latitude <= area.MaxLatitude && longitude >= area.MinLongitude && longitude <= area.MaxLongitude;

    public static bool IsGiCultivar(GiOptions area, string cultivar) => area.EffectiveCultivars.Contains(cultivar.Trim(), StringComparer.OrdinalIgnoreCase);
}
