using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

namespace TeaTrace.Ledger;

// The syntax shared by signed notes, their keys and checkpoints (c2sp.org/signed-note).
internal static class NoteFormat
{
    public const byte Ed25519Type = 0x01;

    // Both the public key and the private seed.
    public const int Ed25519KeySize = 32;

    // Non-empty, no Unicode space, no '+': names sit in keys as name+id+key and in signature lines before a space.
    public static bool IsValidKeyName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        var rest = name.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var used) != OperationStatus.Done
                || rune.Value == '+' || rune.Value < 0x20 || Rune.IsWhiteSpace(rune))
            {
                return false;
            }

            rest = rest[used..];
        }

        return true;
    }

    // For keys made in code rather than parsed, where a bad name or length is the caller's bug.
    public static void ThrowIfInvalidKey(string name, ReadOnlySpan<byte> key, string keyParameterName)
    {
        if (!IsValidKeyName(name))
        {
            throw new ArgumentException("A key name is non-empty, without spaces or '+'.", nameof(name));
        }

        if (key.Length != Ed25519KeySize)
        {
            throw new ArgumentException("An Ed25519 public key or seed is 32 bytes.", keyParameterName);
        }
    }

    // Valid UTF-8 with no ASCII control character but newline, as the whole note must be.
    public static bool IsValidNoteBytes(ReadOnlySpan<byte> utf8) =>
        Utf8.IsValid(utf8)
        && !utf8.ContainsAnyInRange((byte)0x00, (byte)0x09)
        && !utf8.ContainsAnyInRange((byte)0x0B, (byte)0x1F);

    public static bool TryGetNoteBytes(string text, out byte[] utf8)
    {
        utf8 = [];
        var buffer = new byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
        var status = Utf8.FromUtf16(text, buffer, out _, out var written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
        {
            return false;
        }

        utf8 = buffer[..written];
        return IsValidNoteBytes(utf8);
    }

    public static uint KeyId(string name, ReadOnlySpan<byte> publicKey)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(name));
        sha.AppendData([(byte)'\n', Ed25519Type]);
        sha.AppendData(publicKey);
        return BinaryPrimitives.ReadUInt32BigEndian(sha.GetHashAndReset());
    }

    public static string FormatKeyId(uint keyId) => keyId.ToString("x8");

    public static bool TryParseKeyId(ReadOnlySpan<char> hex, out uint keyId)
    {
        keyId = 0;
        return hex.Length == 8 && uint.TryParse(hex, NumberStyles.AllowHexSpecifier, null, out keyId);
    }

    // Standard padded base64 and nothing else: .NET's decoder would also skip spaces and line breaks.
    public static bool TryDecodeBase64(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        if (text.IsEmpty || text.Length % 4 != 0 || text.ContainsAnyExcept(Base64Chars))
        {
            return false;
        }

        var buffer = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64Chars(text, buffer, out var written))
        {
            return false;
        }

        bytes = buffer[..written];
        return true;
    }

    // name+hex8(key id)+base64(0x01 ‖ 32 key bytes): the shared tail of verifier and signer keys. The id is not
    // checked here, because for a signer it hashes the public key, which has to be derived from the seed first.
    public static bool TryParseKey(string text, out string name, out uint keyId, out byte[] key, out string error)
    {
        (key, error) = ([], "");
        (name, var rest) = Chop(text);
        var (keyIdHex, key64) = Chop(rest);
        if (!IsValidKeyName(name) || !TryParseKeyId(keyIdHex, out keyId) || !TryDecodeBase64(key64, out var typed))
        {
            (keyId, error) = (0, "A key is name+hex8+base64.");
            return false;
        }

        if (typed[0] != Ed25519Type || typed.Length != 1 + Ed25519KeySize)
        {
            error = "Only Ed25519 keys (type 0x01, 32 bytes) are supported.";
            return false;
        }

        key = typed[1..];
        return true;
    }

    // Splits at the first '+', as the key formats do: the base64 key at the end may itself contain '+'.
    public static (string Before, string After) Chop(string text)
    {
        var plus = text.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? (text, "") : (text[..plus], text[(plus + 1)..]);
    }

    private static readonly SearchValues<char> Base64Chars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");
}
