namespace TeaTrace.Api.Common;

/// <summary>Weights travel as kilograms and are kept as whole grams, so mass balance is exact.</summary>
internal static class Weight
{
    public static long ToGrams(decimal kg) => (long)decimal.Round(kg * 1000m, 0, MidpointRounding.AwayFromZero);

    public static decimal ToKg(long grams) => grams / 1000m;
}
