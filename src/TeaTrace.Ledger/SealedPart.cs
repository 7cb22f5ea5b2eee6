using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TeaTrace.Ledger;

// The private fields of a ledger entry stay out of its body; the body carries a commitment to them instead:
// SHA-256(salt ‖ canonical JSON of the fields). Whoever holds the salt and the fields can show they are the ones
// the entry committed to; whoever holds neither learns nothing from the commitment (the salt is 256 random bits).
public static class SealedPart
{
    public const int SaltBytes = 32;

    public static byte[] NewSalt() => RandomNumberGenerator.GetBytes(SaltBytes);

    public static byte[] Commitment(ReadOnlySpan<byte> salt, ReadOnlySpan<byte> canonicalFields)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(salt);
        sha.AppendData(canonicalFields);
        return sha.GetHashAndReset();
    }

    /// <summary>True when the salt and the fields (any JSON spelling of them) open the commitment.</summary>
    public static bool Opens(ReadOnlySpan<byte> commitment, ReadOnlySpan<byte> salt, JsonElement fields) =>
        CryptographicOperations.FixedTimeEquals(commitment, Commitment(salt, CanonicalJson.Serialize(fields)));
}

// One spelling of a JSON value, so that a commitment can be checked by anyone who has the value: object members
// sorted by name (UTF-16 code units, as RFC 8785), no whitespace, strings escaped only where JSON requires it
// (", \ and control characters, as RFC 8785), numbers written as they were given. Serializing the output again
// gives the same bytes.
public static class CanonicalJson
{
    public static byte[] Serialize(JsonElement value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(value, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(JsonElement value, ArrayBufferWriter<byte> output)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                output.Write("{"u8);
                var first = true;
                foreach (var member in value.EnumerateObject().OrderBy(m => m.Name, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        output.Write(","u8);
                    }

                    first = false;
                    WriteString(member.Name, output);
                    output.Write(":"u8);
                    Write(member.Value, output);
                }

                output.Write("}"u8);
                break;
            case JsonValueKind.Array:
                output.Write("["u8);
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (index++ > 0)
                    {
                        output.Write(","u8);
                    }

                    Write(item, output);
                }

                output.Write("]"u8);
                break;
            case JsonValueKind.String:
                WriteString(value.GetString()!, output);
                break;
            case JsonValueKind.Number:
                output.Write(Encoding.UTF8.GetBytes(value.GetRawText()));
                break;
            case JsonValueKind.True:
                output.Write("true"u8);
                break;
            case JsonValueKind.False:
                output.Write("false"u8);
                break;
            default:
                output.Write("null"u8);
                break;
        }
    }

    private static void WriteString(string text, ArrayBufferWriter<byte> output)
    {
        var escaped = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        output.Write(Encoding.UTF8.GetBytes(escaped.Append('"').ToString()));
    }
}
