using System.Diagnostics.CodeAnalysis;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace TeaTrace.Ledger;

// An Ed25519 public key for signed notes, written as name+hex8(key id)+base64(0x01 ‖ public key).
public sealed class NoteVerifier
{
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
        NoteFormat.ThrowIfInvalidKey(name, publicKey, nameof(publicKey));
        return new NoteVerifier(name, publicKey.ToArray());
    }

    public static NoteVerifier Parse(string verifierKey) =>
        TryParse(verifierKey, out var verifier, out var error) ? verifier : throw new FormatException(error);

    public static bool TryParse(string? verifierKey, [NotNullWhen(true)] out NoteVerifier? verifier) =>
        TryParse(verifierKey, out verifier, out _);

    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        signature.Length == Ed25519.SignatureSize && Ed25519.Verify(signature, _publicKey, message);

    public override string ToString() => VerifierKey;

    private static bool TryParse(string? verifierKey, [NotNullWhen(true)] out NoteVerifier? verifier, out string error)
    {
        verifier = null;
        if (!NoteFormat.TryParseKey(verifierKey ?? "", out var name, out var keyId, out var publicKey, out error))
        {
            return false;
        }

        var candidate = new NoteVerifier(name, publicKey);
        if (candidate.KeyId != keyId)
        {
            error = "The key id does not match the name and key.";
            return false;
        }

        (verifier, error) = (candidate, "");
        return true;
    }
}
