using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace TeaTrace.Ledger;

// An Ed25519 private key for signed notes, written as PRIVATE+KEY+name+hex8(key id)+base64(0x01 ‖ seed).
// Ed25519 is deterministic: the same seed and text always give the same signature.
public sealed class NoteSigner
{
    private readonly byte[] _seed;

    private NoteSigner(string name, byte[] seed)
    {
        _seed = seed;
        var publicKey = new byte[Ed25519.PublicKeySize];
        Ed25519.GeneratePublicKey(seed, publicKey);
        Verifier = NoteVerifier.FromPublicKey(name, publicKey);
    }

    public string Name => Verifier.Name;

    public uint KeyId => Verifier.KeyId;

    public NoteVerifier Verifier { get; }

    public static NoteSigner FromSeed(string name, ReadOnlySpan<byte> seed)
    {
        NoteFormat.ThrowIfInvalidKey(name, seed, nameof(seed));
        return new NoteSigner(name, seed.ToArray());
    }

    public static NoteSigner Generate(string name) => FromSeed(name, RandomNumberGenerator.GetBytes(NoteFormat.Ed25519KeySize));

    public static NoteSigner Parse(string signerKey) =>
        TryParse(signerKey, out var signer, out var error) ? signer : throw new FormatException(error);

    public static bool TryParse(string? signerKey, [NotNullWhen(true)] out NoteSigner? signer) =>
        TryParse(signerKey, out signer, out _);

    // A method rather than a property or ToString, so the secret never shows up in a debugger or a log by accident.
    public string ExportSignerKey()
    {
        var key = Convert.ToBase64String([NoteFormat.Ed25519Type, .. _seed]);
        return $"PRIVATE+KEY+{Name}+{NoteFormat.FormatKeyId(KeyId)}+{key}";
    }

    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        var signature = new byte[Ed25519.SignatureSize];
        Ed25519.Sign(_seed, message, signature);
        return signature;
    }

    public override string ToString() => $"{Name}+{NoteFormat.FormatKeyId(KeyId)} (signer)";

    private static bool TryParse(string? signerKey, [NotNullWhen(true)] out NoteSigner? signer, out string error)
    {
        signer = null;
        var (private1, rest) = NoteFormat.Chop(signerKey ?? "");
        var (private2, key) = NoteFormat.Chop(rest);
        if (private1 != "PRIVATE" || private2 != "KEY")
        {
            error = "A signer key starts with PRIVATE+KEY+.";
            return false;
        }

        if (!NoteFormat.TryParseKey(key, out var name, out var keyId, out var seed, out error))
        {
            return false;
        }

        var candidate = new NoteSigner(name, seed);
        if (candidate.KeyId != keyId)
        {
            error = "The key id does not match the name and key.";
            return false;
        }

        (signer, error) = (candidate, "");
        return true;
    }
}
