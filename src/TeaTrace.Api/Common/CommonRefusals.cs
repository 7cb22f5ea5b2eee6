using static TeaTrace.Api.Common.Refusal;

namespace TeaTrace.Api.Common;

/// <summary>Refusals more than one feature meets.</summary>
internal static class CommonRefusals
{
    public static Refusal QrSize(int min, int max) =>
        Invalid("size", new($"size is the image width in pixels, {min} to {max}.", $"size 是图片宽度（像素），须在 {min} 到 {max} 之间。"));

    public static Refusal InTheFuture(string field) =>
        Invalid(field, new($"{field} cannot be in the future.", $"{field} 不能晚于当前时间。"));

    public static Refusal Paging(int maxLimit) =>
        Invalid("limit", new($"offset must be 0 or more and limit between 1 and {maxLimit}.", $"offset 须不小于 0，limit 须在 1 到 {maxLimit} 之间。"));

    public static Refusal OtherOrganisations(Noun what) =>
        Forbidden(new($"This {what.En} belongs to another organisation.", $"这条{what.Zh}属于其他组织，您无权查看或修改。"));
}
