namespace TeaTrace.Api.Common;

/// <summary>What is wrong with a value a client sent, in English and Chinese: times, dates and text.</summary>
internal static class InputRefusals
{
    public static Text FullTime() =>
        new("Expected a full RFC 3339 time with seconds and an offset, such as 2026-04-05T08:30:00+08:00.", "时间须为带秒和时区的完整 RFC 3339 格式，例如 2026-04-05T08:30:00+08:00。");

    public static Text TimeYears(int first, int last) => new($"Times must fall between {first} and {last}.", $"时间须在 {first} 年到 {last} 年之间。");

    public static Text DateFormat() => new("Expected a date as YYYY-MM-DD.", "日期格式须为 YYYY-MM-DD。");

    public static Text DateYears(int first, int last) => new($"Dates must fall between {first} and {last}.", $"日期须在 {first} 年到 {last} 年之间。");

    public static Text BidiCharacter(int codePoint) =>
        new($"Text may not hold bidirectional override or isolate characters (U+{codePoint:X4}).", $"文字中不能含有双向覆盖或隔离字符（U+{codePoint:X4}）。");

    public static Text ControlCharacter(int codePoint) =>
        new($"Text may not hold control characters (U+{codePoint:X4}).", $"文字中不能含有控制字符（U+{codePoint:X4}）。");

    public static Text NothingVisible() =>
        new("Text must have at least one visible character; this is only spaces or invisible characters.", "文字须至少含有一个可见字符；这里只有空格或不可见字符。");

    /// <summary>One field's problem as a 400 validation refusal.</summary>
    public static Refusal Field(string path, Text problem) => Refusal.Invalid(path, problem);
}
