namespace TeaTrace.Api.Common;

/// <summary>GS1 GTIN-14: weights 3,1,3,… from the right over the digits before the check digit.</summary>
internal static class Gtin
{
    public static bool IsValid(string? gtin) =>
        gtin is { Length: 14 } && gtin.All(char.IsAsciiDigit) && CheckDigit(gtin.AsSpan(0, 13)) == gtin[13] - '0';

    public static int CheckDigit(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var weight = i % 2 == 0 ? 3 : 1; // i counts from the right
            sum += (digits[digits.Length - 1 - i] - '0') * weight;
        }

        return (10 - (sum % 10)) % 10;
    }
}
