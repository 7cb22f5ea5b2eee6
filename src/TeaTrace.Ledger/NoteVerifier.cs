using System.Diagnostics.CodeAnalysis;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace TeaTrace.Ledger;

// An Ed25519 public key for signed notes, written as name+hex8(key id)+base64(0x01 ‖ public key).
public sealed class NoteVerifier
{
    private const int PublicKeySize = 32;
    private const int SignatureSize = 64;

    private readonly byte[] _publicKey;

    private NoteVerifier(string name, byte[] publicKey)
    {
        Name = name;
        _publicKey = publicKey;
        KeyId = NoteFormat.KeyId(name, publicKey);
    }

    public string Name { get; }

    public uint KeyId { get; }

    public ReadOnlySpan<byte> PublicKey => _publicKey;

    public string VerifierKey =>
        $"{Name}+{NoteFormat.FormatKeyId(KeyId)}+{Convert.ToBase64String([NoteFormat.Ed25519Type, .. _publicKey])}";

    public static NoteVerifier FromPublicKey(string name, ReadOnlySpan<byte> publicKey)
    {
        if (!NoteFormat.IsValidKeyName(name))
        {
            throw new ArgumentException("A key name is non-empty, without spaces or '+'.", nameof(name));
        }

        if (publicKey.Length != PublicKeySize)
        {
            throw new ArgumentException("An Ed25519 public key is 32 bytes.", nameof(publicKey));
        }

        return new NoteVerifier(name, publicKey.ToArray());
    }

    public static NoteVerifier Parse(string verifierKey) =>
        TryParse(verifierKey, out var verifier, out var error) ? verifier : throw new FormatException(error);

    public static bool TryParse(string? verifierKey, [NotNullWhen(true)] out NoteVerifier? verifier) =>
        TryParse(verifierKey, out verifier, out _);

    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        signature.Length == SignatureSize && Ed25519.Verify(signature, _publicKey, message);

    public override string ToString() => VerifierKey;

    private static bool TryParse(string? verifierKey, [NotNullWhen(true)] out NoteVerifier? verifier, out string error)
    {
        verifier = null;
        var (name, rest) = NoteFormat.Chop(verifierKey ?? "");
        var (keyIdHex, key64) = NoteFormat.Chop(rest);
        if (!NoteFormat.IsValidKeyName(name) || !NoteFormat.TryParseKeyId(keyIdHex, out var keyId)
            || !NoteFormat.TryDecodeBase64(key64, out var key))
        {
            error = "A verifier key is name+hex8+base64.";
            return false;
        }

        if (key[0] != NoteFormat.Ed25519Type || key.Length != 1 + PublicKeySize)
        {
            error = "Only Ed25519 verifier keys (type 0x01, 32 bytes) are supported.";
            return false;
        }

        var candidate = new NoteVerifier(name, key[1..]);
        if (candidate.KeyId != keyId)
        {
            error = "The key id does not match the name and key.";
            return false;
        }

        (verifier, error) = (candidate, "");
        return true;
    }
}
