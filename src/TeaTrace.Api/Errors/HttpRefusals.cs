using TeaTrace.Api.Common;
using static TeaTrace.Api.Common.Refusal;

namespace TeaTrace.Api.Errors;

/// <summary>Refusals made before a request reaches its endpoint (keys, limits, bodies, retries), in English and Chinese.</summary>
internal static class HttpRefusals
{
    private static readonly Text UnauthorizedTitle = new("Unauthorized", "未通过身份验证");

    public static Refusal KeyNeeded() =>
        new(StatusCodes.Status401Unauthorized, UnauthorizedTitle,
            new("This endpoint needs an API key: 'Authorization: Bearer <key>'.", "此接口需要 API 密钥：请在请求头中发送“Authorization: Bearer <密钥>”。"));

    public static Text BearerForm() => new("Send the API key as 'Authorization: Bearer <key>'.", "请以“Authorization: Bearer <密钥>”的形式发送 API 密钥。");

    public static Text KeyNotRecognised() => new("The API key is not recognised.", "无法识别这个 API 密钥。");

    public static Text KeyRevoked() => new("This API key has been revoked.", "这个 API 密钥已被吊销。");

    public static Text WrongKeysFromHere() => new("Too many wrong keys from this address.", "此地址发送的错误密钥过多。");

    public static Refusal Unauthorized(Text why) => new(StatusCodes.Status401Unauthorized, UnauthorizedTitle, why);

    public static Refusal RoleMayNot(string role) =>
        Forbidden(new($"A key with the role '{role}' may not do this.", $"角色为“{role}”的密钥无权执行此操作。"));

    public static Refusal TooManyWrongKeys(int seconds) =>
        new(StatusCodes.Status429TooManyRequests, new("Too many wrong keys", "错误密钥过多"),
            new($"Too many wrong API keys were sent from this address; key checks from it resume in {seconds} s.", $"此地址发送的错误 API 密钥过多；{seconds} 秒后才能再次验证密钥。"));

    public static Refusal TooManySignIns(int seconds) =>
        new(StatusCodes.Status429TooManyRequests, new("Too many wrong keys", "错误密钥过多"),
            new($"Too many wrong keys were tried from this address; sign-in from it resumes in {seconds} s.", $"此地址尝试的错误密钥过多；{seconds} 秒后才能再次登录。"));

    public static Refusal TooManyRequests(int seconds) =>
        new(StatusCodes.Status429TooManyRequests, new("Too many requests", "请求过于频繁"),
            new($"Too many requests from this address; try again in {seconds} s.", $"此地址的请求过于频繁；请 {seconds} 秒后再试。"));

    public static Refusal TooLarge(long length, long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, new("Request too large", "请求过大"),
            new($"The request body is {length} bytes; the most this service accepts is {limit}.", $"请求体为 {length} 字节；本服务最多接受 {limit} 字节。"));

    public static Refusal Charset(string charset) =>
        new(StatusCodes.Status415UnsupportedMediaType, new("Unsupported charset", "不支持的字符编码"),
            new($"Request bodies are UTF-8; this one says charset={charset}. Send it as UTF-8 (application/json; charset=utf-8).",
                $"请求体须为 UTF-8 编码；此请求声明 charset={charset}。请以 UTF-8 发送（application/json; charset=utf-8）。"));

    public static Refusal BadIdempotencyKey(int maxLength) =>
        new(StatusCodes.Status400BadRequest, new("Bad Idempotency-Key", "Idempotency-Key 无效"),
            new($"An Idempotency-Key is 1 to {maxLength} printable ASCII characters without spaces, such as a UUID.",
                $"Idempotency-Key 须为 1 到 {maxLength} 个不含空格的可打印 ASCII 字符，例如 UUID。"));

    public static Refusal IdempotencyKeyReused() =>
        new(StatusCodes.Status422UnprocessableEntity, new("Idempotency-Key reused", "Idempotency-Key 已被使用"),
            new("This Idempotency-Key was already used for a different request; use a new key for a new request.", "这个 Idempotency-Key 已用于另一个不同的请求；新请求请使用新的键。"));

    public static Refusal DashboardForAdmins(int status) =>
        new(status, status == StatusCodes.Status401Unauthorized ? UnauthorizedTitle : new("Forbidden", "无权操作"),
            new("The job dashboard is for admins: send an admin key as 'Authorization: Bearer <key>', or sign in at /jobs/login.",
                "任务面板仅供管理员使用：请以“Authorization: Bearer <密钥>”发送管理员密钥，或在 /jobs/login 登录。"));

    public static Refusal UnreadableJson(string field, Text? why) =>
        new(StatusCodes.Status400BadRequest,
            why is null ? new("The request body is not valid JSON for this endpoint.", "请求体不是此接口可接受的 JSON。") : new("One or more validation errors occurred.", "请求中有字段不正确。"),
            why is { } reason ? new($"'{field}': {reason.En}", $"“{field}”：{reason.Zh}") : new($"Could not read the JSON body at '{field}'.", $"无法读取 JSON 请求体中的“{field}”。"))
        {
            Errors = new Dictionary<string, Text[]> { [field] = [why ?? new("The value could not be read as the expected JSON type.", "该值的类型不对，无法读取。")] },
        };
}
