using TeaTrace.Api.Common;
using static TeaTrace.Api.Common.Refusal;

namespace TeaTrace.Api.Features.Resolver;

/// <summary>Refusals a consumer's phone meets at the resolver, in English and Chinese.</summary>
internal static class ResolverRefusals
{
    public static Refusal NotADigitalLink(string why) =>
        new(StatusCodes.Status400BadRequest, new("Not a valid GS1 Digital Link", "不是有效的 GS1 数字链接"), new(why, $"链接格式不正确：{why}"));

    public static Refusal UnknownProduct(string gtin) =>
        new(StatusCodes.Status404NotFound, new("Unknown product", "未知产品"),
            new($"No product with GTIN {gtin} is recorded in TeaTrace.", $"TeaTrace 中没有 GTIN 为 {gtin} 的产品记录。"));

    public static Refusal BadPlace() =>
        Invalid("latitude", new("Send latitude (−90 to 90) and longitude (−180 to 180) in degrees.", "请发送以度为单位的纬度（−90 到 90）和经度（−180 到 180）。"));

    public static Refusal NoRecentScan() =>
        new(StatusCodes.Status404NotFound, new("Not found", "找不到"),
            new("No recent scan has this token, or its place was already reported.", "没有与此令牌对应的近期扫码，或其位置已经报告过。"));
}
