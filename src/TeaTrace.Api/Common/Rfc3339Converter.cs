using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TeaTrace.Api.Common;

/// <summary>
/// Times are full RFC 3339 date-times, with seconds and an offset; they are kept in Asia/Shanghai time so that stored times of one kind
/// share an offset and compare in order as text.
/// </summary>
internal sealed class Rfc3339Converter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (text is null || !FullTime.IsMatch(text) || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            throw new JsonInputException(InputRefusals.FullTime());
        }

        if (value.Year is < BusinessDates.FirstYear or > BusinessDates.LastYear)
        {
            throw new JsonInputException(InputRefusals.TimeYears(BusinessDates.FirstYear, BusinessDates.LastYear));
        }

        return TimeZoneInfo.ConvertTime(value, ChinaTime.Zone);
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Data.TypeHandlers.Format(value));

    // RFC 3339 §5.6 date-time: seconds, optional fraction, and Z or a ±hh:mm offset; nothing shorter or looser.
    private static readonly System.Text.RegularExpressions.Regex FullTime =
        new(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
}

/// <summary>Every date TeaTrace records (picking, packing, best-before, trading) lies in this century; others are typing errors.</summary>
internal static class BusinessDates
{
    public const int FirstYear = 2000;
    public const int LastYear = 2099;
}

/// <summary>Dates are YYYY-MM-DD within the years TeaTrace records.</summary>
internal sealed class BusinessDateConverter : JsonConverter<DateOnly>
{
    public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (text is null || !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw new JsonInputException(InputRefusals.DateFormat());
        }

        return date.Year is < BusinessDates.FirstYear or > BusinessDates.LastYear
            ? throw new JsonInputException(InputRefusals.DateYears(BusinessDates.FirstYear, BusinessDates.LastYear))
            : date;
    }

    public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
}
