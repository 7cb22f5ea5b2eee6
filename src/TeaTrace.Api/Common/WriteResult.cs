namespace TeaTrace.Api.Common;

/// <summary>
/// A refusal: the status and words a client sees. Returned (never thrown) by work done inside the ledger writer,
/// which rolls that work back so a refused request writes nothing.
/// </summary>
internal sealed record Refusal(int Status, string Title, string Detail)
{
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    public static Refusal NotFound(string what, string id) =>
        new(StatusCodes.Status404NotFound, "Not found", $"No {what} has the id '{id}'.") { Extensions = new Dictionary<string, object?> { ["id"] = id } };

    public static Refusal Forbidden(string detail) => new(StatusCodes.Status403Forbidden, "Forbidden", detail);

    public static Refusal Conflict(string detail) => new(StatusCodes.Status409Conflict, "Wrong state", detail);

    public static Refusal Rule(string title, string detail, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new(StatusCodes.Status422UnprocessableEntity, title, detail) { Extensions = extensions };

    public static Refusal Invalid(string field, string message) =>
        new(StatusCodes.Status400BadRequest, "One or more validation errors occurred.", message)
        {
            Errors = new Dictionary<string, string[]> { [field] = [message] },
        };
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
