using TeaTrace.Api.Common;
using static TeaTrace.Api.Common.Refusal;

namespace TeaTrace.Api.Features.Members;

/// <summary>Every refusal met when a cooperative records its members and buys their leaf, in English and Chinese.</summary>
internal static class MemberRefusals
{
    public static Refusal NotACooperative(string orgName, string kind)
    {
        var said = Words.Kind(kind);
        return Rule(new("Not a cooperative", "不是合作社"),
            new($"Only a cooperative has members; '{orgName}' is a {said.En}.", $"只有合作社才有成员；“{orgName}”是{said.Zh}。"));
    }

    public static Refusal OtherCooperative() =>
        Forbidden(new("A cooperative's members, their collections and statements are for that cooperative's keys (and regulators) only.",
            "合作社成员及其交售记录、对账单只限本合作社的密钥（及监管部门）查看和登记。"));

    public static Refusal NotAMemberOfThePlotsOrganisation(string memberId) =>
        Rule(new("Not a member of this organisation", "不是本组织成员"),
            new($"Member '{memberId}' is not a member of the organisation this plot belongs to.", $"成员“{memberId}”不属于该地块所属的组织。"),
            new Dictionary<string, object?> { ["memberId"] = memberId });

    public static Refusal PlotOfAnotherOrganisation(string plotId) =>
        Rule(new("Not the cooperative's plot", "不是本合作社的地块"),
            new($"Plot '{plotId}' is not the cooperative's: a collection records leaf from the cooperative's own or its members' plots.",
                $"地块“{plotId}”不属于本合作社：交售只能登记本合作社或其成员地块的鲜叶。"),
            new Dictionary<string, object?> { ["plotId"] = plotId });

    public static Refusal PlotOfAnotherMember(string plotId, string plotMemberId) =>
        Rule(new("Another member's plot", "其他成员的地块"),
            new($"Plot '{plotId}' is farmed by member '{plotMemberId}'; record this leaf against that member or the member's own plot.",
                $"地块“{plotId}”由成员“{plotMemberId}”经营；请按该成员登记，或选择本成员自己的地块。"),
            new Dictionary<string, object?> { ["plotId"] = plotId, ["plotMemberId"] = plotMemberId });

    public static Refusal PriceToTheFen() =>
        Invalid("pricePerKgCny", new("pricePerKgCny is in yuan to the fen: at most 2 decimal places.", "每公斤收购价以元计，精确到分：最多 2 位小数。"));

    public static Refusal CollectedBeforePicked(DateOnly pickedOn) =>
        Invalid("pickedOn", new($"Leaf picked on {Data.TypeHandlers.Format(pickedOn)} cannot be collected before that day.",
            $"{Data.TypeHandlers.Format(pickedOn)} 采摘的鲜叶不能在当天之前交售。"));

    public static Refusal MonthRequired() =>
        Invalid("month", new("month is a calendar month, YYYY-MM.", "month 须为月份，格式 YYYY-MM。"));
}
