namespace TeaTrace.Api.Features.Gardens;

/// <summary>A pesticide still in force on a plot: applied (or stopped) on a day, with its pre-harvest interval.</summary>
internal sealed record PesticideInForce(string Id, string Product, DateOnly AppliedOn, DateOnly? StoppedOn, int PhiDays)
{
    public DateOnly LastApplied => StoppedOn ?? AppliedOn;

    public DateOnly FirstHarvestOn => LastApplied.AddDays(PhiDays);
}

/// <summary>Leaf may not be picked while a pesticide's pre-harvest interval runs.</summary>
internal static class PreHarvestInterval
{
    /// <summary>
    /// The pesticides whose interval a picking on this day falls inside (applied on or before the day, interval not yet
    /// over), the one that ends last first; empty when the picking is allowed.
    /// </summary>
    public static IReadOnlyList<PesticideInForce> Blocking(IEnumerable<PesticideInForce> inForce, DateOnly pickedOn) =>
        [.. inForce.Where(p => p.AppliedOn <= pickedOn && pickedOn < p.FirstHarvestOn).OrderByDescending(p => p.FirstHarvestOn).ThenBy(p => p.Id, StringComparer.Ordinal)];
}
