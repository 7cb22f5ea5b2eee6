using TeaTrace.Api.Common;

namespace TeaTrace.Api.Features.FrontDoor;

/// <summary>The front door's refusal, for clients that ask for JSON, in English and Chinese.</summary>
internal static class FrontDoorRefusals
{
    public static Refusal UnknownCode(string? why) =>
        new(StatusCodes.Status404NotFound, new("Unknown code", "未知的码"),
            why is null
                ? new("No tin, product, harvest or batch with this code is recorded in TeaTrace.", "TeaTrace 中没有与此码对应的茶叶、产品、采摘记录或加工批次。")
                : new(why, $"无法识别此码：{why}"));
}
