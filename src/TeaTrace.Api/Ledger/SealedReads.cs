using System.Data;
using System.Text.Json;
using Dapper;

namespace TeaTrace.Api.Ledger;

/// <summary>
/// The private fields of a record, read back from its entry's sealed part for those the API already lets read the
/// record. Null when the record has none, or they were erased: then the record is answered without them.
/// </summary>
internal static class SealedReads
{
    private const string SelectFields = """
        SELECT CAST(s.fields AS BLOB) FROM ledger_entries e JOIN sealed_parts s ON s.entry_idx = e.idx
        WHERE e.subject_id = @SubjectId AND e.type = @Type AND s.fields IS NOT NULL ORDER BY e.idx DESC LIMIT 1
        """;

    public static JsonElement? Fields(IDbConnection connection, string subjectId, string type, IDbTransaction? transaction = null) =>
        connection.ExecuteScalar<byte[]>(SelectFields, new { SubjectId = subjectId, Type = type }, transaction) is { } fields
            ? JsonDocument.Parse(fields).RootElement.Clone()
            : null;

    public static string? Text(this JsonElement? fields, string name) =>
        fields is { } f && f.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static double? Number(this JsonElement? fields, string name) =>
        fields is { } f && f.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    public static decimal? Decimal(this JsonElement? fields, string name) =>
        fields is { } f && f.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDecimal() : null;
}
