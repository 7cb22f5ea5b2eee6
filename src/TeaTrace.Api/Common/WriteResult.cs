namespace TeaTrace.Api.Common;

/// <summary>Words in the two languages TeaTrace speaks: English for API clients by default, Chinese for farmers.</summary>
internal readonly record struct Text(string En, string Zh)
{
    public string In(bool chinese) => chinese ? Zh : En;
}

/// <summary>
/// A refusal: the status and words a client sees, in English and Chinese. Returned (never thrown) by work done inside
/// the ledger writer, which rolls that work back so a refused request writes nothing. Refusals are made only in the
/// features' *Refusals catalogs, so a test can walk every one and check both texts.
/// </summary>
internal sealed record Refusal(int Status, Text Title, Text Detail)
{
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    /// <summary>Per-field errors, keyed by JSON path, each message in both languages.</summary>
    public IReadOnlyDictionary<string, Text[]>? Errors { get; init; }

    private static readonly Text InvalidTitle = new("One or more validation errors occurred.", "请求中有字段不正确。");

    public static Refusal NotFound(Noun what, string id) =>
        new(StatusCodes.Status404NotFound, new("Not found", "找不到记录"), new($"No {what.En} has the id '{id}'.", $"找不到编号为 '{id}' 的{what.Zh}。"))
        {
            Extensions = new Dictionary<string, object?> { ["id"] = id },
        };

    public static Refusal Forbidden(Text detail) => new(StatusCodes.Status403Forbidden, new("Forbidden", "无权操作"), detail);

    public static Refusal Conflict(Text detail) => new(StatusCodes.Status409Conflict, new("Wrong state", "状态不允许"), detail);

    public static Refusal Rule(Text title, Text detail, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new(StatusCodes.Status422UnprocessableEntity, title, detail) { Extensions = extensions };

    public static Refusal Invalid(string field, Text message) =>
        new(StatusCodes.Status400BadRequest, InvalidTitle, message) { Errors = new Dictionary<string, Text[]> { [field] = [message] } };
}

/// <summary>What a record is called, in both languages, for "not found" and similar words.</summary>
internal readonly record struct Noun(string En, string Zh)
{
    public static readonly Noun Organisation = new("organisation", "组织");
    public static readonly Noun Plot = new("plot", "地块");
    public static readonly Noun Harvest = new("harvest", "采摘记录");
    public static readonly Noun Batch = new("batch", "加工批次");
    public static readonly Noun Lot = new("lot", "批号");
    public static readonly Noun Unit = new("unit", "单品");
    public static readonly Noun Key = new("key", "密钥");
    public static readonly Noun Recall = new("recall", "召回");
    public static readonly Noun Entry = new("ledger entry", "账本记录");
    public static readonly Noun Certificate = new("certificate", "承诺达标合格证");
    public static readonly Noun Member = new("cooperative member", "合作社成员");
}

/// <summary>Either a value or a refusal.</summary>
internal readonly struct WriteResult<T>
{
    private WriteResult(T? value, Refusal? refusal)
    {
        Value = value;
        Refusal = refusal;
    }

    public T? Value { get; }

    public Refusal? Refusal { get; }

    public bool IsRefused => Refusal is not null;

    public static implicit operator WriteResult<T>(T value) => new(value, null);

    public static implicit operator WriteResult<T>(Refusal refusal) => new(default, refusal);
}
