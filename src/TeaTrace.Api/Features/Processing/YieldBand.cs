namespace TeaTrace.Api.Features.Processing;

/// <summary>
/// How much made tea a batch's fresh leaf can plausibly make: between leaf ÷ MaxLeafPerTeaKg and leaf ÷ MinLeafPerTeaKg
/// (by default 1/6 to 1/3.8), in whole grams.
/// </summary>
internal readonly record struct YieldBand(long MinMadeG, long MaxMadeG)
{
    public static YieldBand For(long freshLeafG, ProcessingOptions rules) =>
        new((long)Math.Ceiling(freshLeafG / rules.MaxLeafPerTeaKg), (long)Math.Floor(freshLeafG / rules.MinLeafPerTeaKg));

    public bool Contains(long madeG) => madeG >= MinMadeG && madeG <= MaxMadeG;
}
