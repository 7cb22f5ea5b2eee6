using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using TeaTrace.Api.Common;

namespace TeaTrace.Api.Errors;

/// <summary>
/// Problem responses in the reader's language: Chinese when the request's first language is zh (zh-CN, zh-Hans, …),
/// English otherwise and for API clients that send none. Only the words change; status, type, extensions such as
/// firstAllowedDate or expectedStep, and the keys of errors stay as they are.
/// </summary>
internal static partial class ProblemLanguage
{
    /// <summary>The Chinese words of a refusal ride in the problem until the language is chosen; never written out.</summary>
    public const string ChineseKey = "tt:zh";

    internal sealed record Chinese(string Title, string Detail, IReadOnlyDictionary<string, string[]>? Errors);

    public static bool WantsChinese(HttpContext http)
    {
        if (!StringWithQualityHeaderValue.TryParseList(http.Request.Headers.AcceptLanguage, out var languages))
        {
            return false;
        }

        var first = languages.Where(l => (l.Quality ?? 1) > 0).OrderByDescending(l => l.Quality ?? 1).Select(l => l.Value.Value).FirstOrDefault();
        return first is not null && first.StartsWith("zh", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Called for every problem the service writes.</summary>
    public static void Apply(HttpContext http, ProblemDetails problem)
    {
        var chinese = problem.Extensions.Remove(ChineseKey, out var carried) ? carried as Chinese : null;
        if (!WantsChinese(http))
        {
            return;
        }

        if (chinese is not null)
        {
            problem.Title = chinese.Title;
            problem.Detail = chinese.Detail;
            if (chinese.Errors is { } errors && problem is HttpValidationProblemDetails refusedFields)
            {
                foreach (var (field, messages) in errors)
                {
                    refusedFields.Errors[field] = messages;
                }
            }

            return;
        }

        // Problems from the framework's own validation and binding: their usual sentences, in Chinese.
        problem.Title = problem.Title switch
        {
            "One or more validation errors occurred." => "请求中有字段不正确。",
            "Bad Request" or "Bad request" => "请求有误",
            "Not Found" => "找不到",
            _ => problem.Title,
        };
        if (problem is HttpValidationProblemDetails validation)
        {
            foreach (var field in validation.Errors.Keys.ToList())
            {
                validation.Errors[field] = [.. validation.Errors[field].Select(Translate)];
            }
        }
    }

    /// <summary>The standard DataAnnotations messages, in Chinese; anything else is left as it is.</summary>
    public static string Translate(string message)
    {
        if (Required().Match(message) is { Success: true } required)
        {
            return $"{required.Groups[1].Value} 为必填项。";
        }

        if (Between().Match(message) is { Success: true } between)
        {
            return $"{between.Groups[1].Value} 必须在 {between.Groups[2].Value} 到 {between.Groups[3].Value} 之间。";
        }

        if (MaxLength().Match(message) is { Success: true } max)
        {
            return $"{max.Groups[1].Value} 最多 {max.Groups[2].Value} 个字符。";
        }

        if (MinMaxLength().Match(message) is { Success: true } minMax)
        {
            return $"{minMax.Groups[1].Value} 须为 {minMax.Groups[2].Value} 到 {minMax.Groups[3].Value} 个字符。";
        }

        if (OneOf().Match(message) is { Success: true } oneOf)
        {
            return $"{oneOf.Groups[1].Value} 须为以下之一：{oneOf.Groups[2].Value}。";
        }

        return message == "The value could not be read as the expected JSON type." ? "该值的类型不对，无法读取。" : message;
    }

    [GeneratedRegex(@"^(\S+) must be one of: (.+)\.$")]
    private static partial Regex OneOf();

    [GeneratedRegex(@"^The (\S+) field is required\.$")]
    private static partial Regex Required();

    [GeneratedRegex(@"^The field (\S+) must be between (\S+) and (\S+)\.$")]
    private static partial Regex Between();

    [GeneratedRegex(@"^The field (\S+) must be a string(?: or array type)? with a maximum length of '?(\d+)'?\.$")]
    private static partial Regex MaxLength();

    [GeneratedRegex(@"^The field (\S+) must be a string with a minimum length of (\d+) and a maximum length of (\d+)\.$")]
    private static partial Regex MinMaxLength();
}
