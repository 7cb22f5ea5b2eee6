using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace TeaTrace.Api.Common;

/// <summary>A JSON value a client sent that TeaTrace refuses, with words the client can act on.</summary>
internal sealed class JsonInputException(Text text) : JsonException(text.En)
{
    public Text Text { get; } = text;
}

/// <summary>
/// Text a client sends: no control characters (tab and line breaks aside), no bidirectional overrides or isolates
/// (which make a name display as something other than what it is), and not made only of invisible characters. Names
/// end up in the ledger for good, and on pages and labels that others trust.
/// </summary>
internal static class PlainText
{
    /// <summary>Why the text is refused, or null.</summary>
    public static Text? Problem(string text)
    {
        var visible = false;
        foreach (var rune in text.EnumerateRunes())
        {
            var value = rune.Value;
            if (value is >= 0x202A and <= 0x202E or >= 0x2066 and <= 0x2069)
            {
                return InputRefusals.BidiCharacter(value);
            }

            var category = Rune.GetUnicodeCategory(rune);
            if (category == UnicodeCategory.Control && value is not ('\t' or '\n' or '\r'))
            {
                return InputRefusals.ControlCharacter(value);
            }

            visible |= !Invisible(rune, category);
        }

        return text.Length > 0 && !visible ? InputRefusals.NothingVisible() : null;
    }

    private static bool Invisible(Rune rune, UnicodeCategory category) =>
        Rune.IsWhiteSpace(rune)
        || category is UnicodeCategory.Format or UnicodeCategory.Control or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
        // Letters that render as nothing: Hangul fillers, the combining grapheme joiner, the blank Braille pattern.
        || rune.Value is 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800 or 0x034F;
}

/// <summary>
/// Checks every string in a request body (records, their lists and nested records) before the handler runs; the first
/// refused one is a 400 validation problem keyed by its JSON path, like the other validation errors.
/// </summary>
internal sealed class PlainTextFilter : IEndpointFilter
{
    private const int MaxDepth = 4;

    private static readonly ConcurrentDictionary<Type, (PropertyInfo Property, string Name)[]> Properties = new();

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        foreach (var argument in context.Arguments)
        {
            if (argument is not null and not string && IsRequestType(argument.GetType()) && Check(argument, "", 0) is { } refused)
            {
                return ValueTask.FromResult<object?>(Errors.Problems.ToProblem(InputRefusals.Field(refused.Path, refused.Problem)));
            }
        }

        return next(context);
    }

    private static (string Path, Text Problem)? Check(object value, string path, int depth)
    {
        switch (value)
        {
            case string text:
                return PlainText.Problem(text) is { } message ? (path.Length == 0 ? "$" : path, message) : null;
            case IEnumerable items when depth < MaxDepth:
                var i = 0;
                foreach (var item in items)
                {
                    if (item is not null && (item is string || IsRequestType(item.GetType())) && Check(item, $"{path}[{i}]", depth + 1) is { } refused)
                    {
                        return refused;
                    }

                    i++;
                }

                return null;
        }

        if (depth >= MaxDepth || !IsRequestType(value.GetType()))
        {
            return null;
        }

        foreach (var (property, name) in Properties.GetOrAdd(value.GetType(), Readable))
        {
            var member = property.GetValue(value);
            if (member is not null && (member is string or IEnumerable || IsRequestType(member.GetType()))
                && Check(member, path.Length == 0 ? name : $"{path}.{name}", depth + 1) is { } refused)
            {
                return refused;
            }
        }

        return null;
    }

    /// <summary>A request body's record (TeaTrace's *Request types) or a list of them; not services or the context.</summary>
    private static bool IsRequestType(Type type) =>
        (type.Namespace?.StartsWith("TeaTrace.Api", StringComparison.Ordinal) == true && type.Name.EndsWith("Request", StringComparison.Ordinal))
        || (type.IsArray && IsRequestType(type.GetElementType()!))
        || (type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) && type.GetGenericArguments() is [var item] && IsRequestType(item));

    private static (PropertyInfo, string)[] Readable(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.CanRead)
            .Select(p => (p, JsonNamingPolicy.CamelCase.ConvertName(p.Name)))];
}
