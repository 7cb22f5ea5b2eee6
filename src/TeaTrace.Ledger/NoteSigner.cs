using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace TeaTrace.Ledger;

// An Ed25519 private key for signed notes, written as PRIVATE+KEY+name+hex8(key id)+base64(0x01 ‖ seed).
// Ed25519 is deterministic: the same seed and text always give the same signature.
public sealed class NoteSigner
{
    private const int SeedSize = 32;

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
        if (!NoteFormat.IsValidKeyName(name))
        {
            throw new ArgumentException("A key name is non-empty, without spaces or '+'.", nameof(name));
        }

        if (seed.Length != SeedSize)
        {
            throw new ArgumentException("An Ed25519 seed is 32 bytes.", nameof(seed));
        }

        return new NoteSigner(name, seed.ToArray());
    }

    public static NoteSigner Generate(string name) => FromSeed(name, RandomNumberGenerator.GetBytes(SeedSize));

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
        var (private2, rest2) = NoteFormat.Chop(rest);
        var (name, rest3) = NoteFormat.Chop(rest2);
        var (keyIdHex, key64) = NoteFormat.Chop(rest3);
        if (private1 != "PRIVATE" || private2 != "KEY" || !NoteFormat.IsValidKeyName(name)
            || !NoteFormat.TryParseKeyId(keyIdHex, out var keyId) || !NoteFormat.TryDecodeBase64(key64, out var key))
        {
            error = "A signer key is PRIVATE+KEY+name+hex8+base64.";
            return false;
        }

        if (key[0] != NoteFormat.Ed25519Type || key.Length != 1 + SeedSize)
        {
            error = "Only Ed25519 signer keys (type 0x01, 32-byte seed) are supported.";
            return false;
        }

        // The id is the hash of the public key, so it can only be checked once the key is derived from the seed.
        var candidate = new NoteSigner(name, key[1..]);
        if (candidate.KeyId != keyId)
        {
            error = "The key id does not match the name and key.";
            return false;
        }

        (signer, error) = (candidate, "");
        return true;
    }
}
