using TeaTrace.Api.Common;
using static TeaTrace.Api.Common.Refusal;

namespace TeaTrace.Api.Features.Gardens;

/// <summary>Every refusal a farmer meets when recording plots, farm inputs and harvests, in English and Chinese.</summary>
internal static class GardenRefusals
{
    public static Refusal CertificationLength() =>
        Invalid("certifications", new("Each certification is 1 to 100 characters.", "每项认证须为 1 到 100 个字符。"));

    public static Refusal PlotsForOwnOrganisation() =>
        Forbidden(new("A farmer records plots only for their own organisation.", "茶农只能为本组织登记地块。"));

    public static Refusal PlotsOfOwnOrganisation() =>
        Forbidden(new("A farmer sees only their own organisation's plots.", "茶农只能查看本组织的地块。"));

    public static Refusal NotATeaGarden(string orgName, string kind)
    {
        var said = Words.Kind(kind);
        return Rule(new("Not a tea garden", "不是茶园"),
            new($"Plots belong to farms and cooperatives; '{orgName}' is a {said.En}.", $"地块只属于家庭茶园和合作社；“{orgName}”是{said.Zh}。"));
    }

    public static Refusal PesticideNeedsInterval() =>
        Invalid("preHarvestIntervalDays", new("A pesticide needs its pre-harvest interval in days.", "农药须填写安全间隔期（天）。"));

    public static Refusal StoppedBeforeApplied() =>
        Invalid("stoppedOn", new("stoppedOn cannot be before appliedOn.", "停用日期不能早于施用日期。"));

    public static Refusal BannedOnTea(string banned) =>
        Rule(new("Pesticide banned on tea", "茶园禁用农药"),
            new($"'{banned}' is banned on tea and cannot be recorded as used on a tea garden.", $"“{banned}”在茶树上禁止使用，不能登记为茶园用药。"),
            new Dictionary<string, object?> { ["banned"] = banned });

    public static Refusal UnknownInputToCorrect(string inputId) =>
        Rule(new("Unknown record to correct", "要更正的记录不存在"),
            new($"This plot has no farm input '{inputId}' to correct.", $"该地块没有编号为“{inputId}”的农事投入记录，无法更正。"));

    public static Refusal InputAlreadyCorrected(string inputId, string correctedBy) =>
        Conflict(new($"Farm input '{inputId}' was already corrected by '{correctedBy}'; correct that record instead.",
            $"农事投入记录“{inputId}”已被“{correctedBy}”更正，请更正那条记录。"));

    public static Refusal InsidePreHarvestInterval(PesticideInForce first, IReadOnlyList<PesticideInForce> blocking)
    {
        string Day(DateOnly day) => Data.TypeHandlers.Format(day);
        return Rule(new("Inside a pre-harvest interval", "仍在安全间隔期内"),
            new($"'{first.Product}' (farm input {first.Id}) was applied to this plot on {Day(first.LastApplied)} with a pre-harvest interval of {first.PhiDays} days; the first allowed harvest date is {Day(first.FirstHarvestOn)}.",
                $"该地块于 {Day(first.LastApplied)} 施用了“{first.Product}”（农事投入 {first.Id}），安全间隔期 {first.PhiDays} 天；最早可采摘日期为 {Day(first.FirstHarvestOn)}。"),
            new Dictionary<string, object?>
            {
                ["inputId"] = first.Id,
                ["product"] = first.Product,
                ["firstAllowedDate"] = Day(first.FirstHarvestOn),
                ["blockingInputs"] = blocking.Select(b => new { inputId = b.Id, product = b.Product, firstAllowedDate = Day(b.FirstHarvestOn) }).ToList(),
            });
    }
}
