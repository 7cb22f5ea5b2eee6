using TeaTrace.Api.Common;
using static TeaTrace.Api.Common.Refusal;

namespace TeaTrace.Api.Features.Privacy;

/// <summary>Refusals of sealed parts and erasures, in English and Chinese.</summary>
internal static class PrivacyRefusals
{
    public static Refusal NoSealedPart(long index) =>
        new(StatusCodes.Status404NotFound, new("Not found", "找不到"),
            new($"Entry {index} has no private fields: everything it records is in its public body.", $"第 {index} 条记录没有保密字段，所记录的内容都在公开正文中。"));

    public static Refusal Erased(long index, long erasedBy) =>
        new(StatusCodes.Status410Gone, new("Erased", "已删除"),
            new($"The private fields of entry {index} were erased by entry {erasedBy}; its commitment can no longer be opened.",
                $"第 {index} 条记录的保密字段已由第 {erasedBy} 条记录删除，其承诺值无法再被打开。"))
        {
            Extensions = new Dictionary<string, object?> { ["erasedBy"] = erasedBy },
        };

    public static Refusal NotEntitled() =>
        Forbidden(new("Only the organisations on either side of this record, regulators and admins may read its private fields.",
            "只有该记录双方的组织、监管部门和管理员可以查看其保密字段。"));

    public static Refusal NothingToErase(string subject) =>
        new(StatusCodes.Status404NotFound, new("Nothing to erase", "没有可删除的内容"),
            new($"No sealed part names '{subject}', or all that did are already erased.", $"没有保密字段提及“{subject}”，或已全部删除。"))
        {
            Extensions = new Dictionary<string, object?> { ["subject"] = subject },
        };

    public static Refusal KeptByLaw(string subject, DateTimeOffset erasableFrom, IReadOnlyList<long> entries) =>
        Rule(new("Kept by law", "依法须保存"),
            new($"Records naming '{subject}' must be kept until {Data.TypeHandlers.Format(erasableFrom)} (entries {string.Join(", ", entries)}); they can be erased from then on.",
                $"提及“{subject}”的记录依法须保存至 {Data.TypeHandlers.Format(erasableFrom)}（第 {string.Join("、", entries)} 条），届时方可删除。"),
            new Dictionary<string, object?> { ["erasableFrom"] = Data.TypeHandlers.Format(erasableFrom), ["entries"] = entries });
}
