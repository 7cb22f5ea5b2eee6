using System.Text.Encodings.Web;
using System.Text.Json;
using TeaTrace.Api.Data;

namespace TeaTrace.Api.Ledger;

/// <summary>
/// The bytes of a ledger entry: UTF-8 JSON with index, type, subjectId, actor, recordedAt, previousLeafHash, data and,
/// when the record has private fields, sealed (the commitment to them).
/// These bytes are stored as they are and hashed as they are; nothing re-serialises them later.
/// </summary>
internal static class LedgerEntry
{
    /// <summary>
    /// The most bytes one entry may have: C2SP tiles frame each entry of a data tile with a two-byte length, so that
    /// standard log clients can read every entry. Records that could grow past it are split or committed by a digest.
    /// </summary>
    public const int MaxBytes = ushort.MaxValue;

    /// <summary>The previousLeafHash of entry 0.</summary>
    public static readonly string GenesisLink = new('0', 64);

    public static readonly JsonSerializerOptions DataJson = new(JsonSerializerDefaults.Web)
    {
        // Stored bytes stay readable: Chinese text and '+' in offsets are not escaped. Bodies are served as base64
        // or inside JSON strings, never spliced into HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
        Converters = { new Common.Rfc3339Converter() },
    };

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = DataJson.Encoder, Indented = false };

    /// <param name="sealedCommitment">SHA-256(salt ‖ canonical JSON of the private fields), hex; null when there are none.</param>
    public static byte[] Build(long index, string type, string subjectId, string actor, DateTimeOffset recordedAt, string previousLeafHashHex, object data,
        string? sealedCommitment = null)
    {
        using var buffer = new MemoryStream(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("index", index);
            writer.WriteString("type", type);
            writer.WriteString("subjectId", subjectId);
            writer.WriteString("actor", actor);
            writer.WriteString("recordedAt", TypeHandlers.Format(recordedAt));
            writer.WriteString("previousLeafHash", previousLeafHashHex);
            writer.WritePropertyName("data");
            JsonSerializer.Serialize(writer, data, data.GetType(), DataJson);
            if (sealedCommitment is not null)
            {
                writer.WriteString("sealed", sealedCommitment);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
