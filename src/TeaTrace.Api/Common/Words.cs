namespace TeaTrace.Api.Common;

/// <summary>The service's codes as people say them, in English and Chinese.</summary>
internal static class Words
{
    /// <summary>An organisation's kind as people say it.</summary>
    public static Text Kind(string kind) => kind switch
    {
        "farm" => new("farm", "家庭茶园"),
        "cooperative" => new("cooperative", "合作社"),
        "factory" => new("factory", "加工厂"),
        "distributor" => new("distributor", "经销商"),
        "regulator" => new("regulator", "监管部门"),
        "platform" => new("platform operator", "平台运营方"),
        "lab" => new("laboratory", "检测机构"),
        _ => new(kind, kind),
    };

    /// <summary>Black tea's processing steps.</summary>
    public static Text Step(string step) => step switch
    {
        "withering" => new("withering", "萎凋"),
        "rolling" => new("rolling", "揉捻"),
        "fermentation" => new("fermentation", "发酵"),
        "drying" => new("drying", "干燥"),
        _ => new(step, step),
    };
}
