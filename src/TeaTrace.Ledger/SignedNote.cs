using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace TeaTrace.Ledger;

// One signature line: "— name base64(key id ‖ signature)".
public sealed record NoteSignature(string KeyName, uint KeyId, string Base64);

public enum NoteFailure
{
    None = 0,
    Malformed,
    NoKnownSignature,
    InvalidSignature,
}

// Note is set only when the note verified: the spec says to ignore the text of a note no trusted key has signed.
public sealed class NoteVerification
{
    private NoteVerification(
        NoteFailure failure, string reason, SignedNote? note, IReadOnlyList<NoteSignature> verified)
    {
        Failure = failure;
        Reason = reason;
        Note = note;
        VerifiedSignatures = verified;
    }

    [MemberNotNullWhen(true, nameof(Note))]
    public bool IsValid => Failure == NoteFailure.None && Note is not null;

    public NoteFailure Failure { get; }

    public string Reason { get; }

    public SignedNote? Note { get; }

    public IReadOnlyList<NoteSignature> VerifiedSignatures { get; }

    internal static NoteVerification Valid(SignedNote note, IReadOnlyList<NoteSignature> verified) =>
        new(NoteFailure.None, "", note, verified);

    internal static NoteVerification Fail(NoteFailure failure, string reason) => new(failure, reason, null, []);
}

// A C2SP signed note (c2sp.org/signed-note, golang.org/x/mod/sumdb/note): a text ending in a newline, a blank
// line, then one or more signature lines. The text is separated from the signatures by the last blank line.
public sealed class SignedNote
{
    // The spec asks verifiers to cap the number of signatures and to accept at least 16; Go's sumdb takes 100.
    public const int MaxSignatures = 100;

    private static readonly byte[] SignaturePrefix = Encoding.UTF8.GetBytes("— ");

    private SignedNote(string text, IReadOnlyList<NoteSignature> signatures)
    {
        Text = text;
        Signatures = signatures;
    }

    public string Text { get; }

    public IReadOnlyList<NoteSignature> Signatures { get; }

    public static SignedNote Sign(string text, params IReadOnlyList<NoteSigner> signers)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(signers);
        if (!text.EndsWith('\n') || !NoteFormat.TryGetNoteBytes(text, out var message))
        {
            throw new ArgumentException(
                "Note text is UTF-8 ending in a newline, with no other control characters.", nameof(text));
        }

        if (signers.Count == 0 || signers.Count > MaxSignatures || signers.Any(s => s is null))
        {
            throw new ArgumentException($"A note needs 1 to {MaxSignatures} signers.", nameof(signers));
        }

        var signatures = signers.Select(signer =>
        {
            var line = new byte[4 + 64];
            BinaryPrimitives.WriteUInt32BigEndian(line, signer.KeyId);
            signer.Sign(message).CopyTo(line, 4);
            return new NoteSignature(signer.Name, signer.KeyId, Convert.ToBase64String(line));
        });
        return new SignedNote(text, [.. signatures]);
    }

    public static bool TryParse(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out SignedNote? note, out string reason)
    {
        note = null;
        if (!NoteFormat.IsValidNoteBytes(utf8))
        {
            reason = "A note is UTF-8 with no control characters but newlines.";
            return false;
        }

        var split = utf8.LastIndexOf("\n\n"u8);
        if (split < 0)
        {
            reason = "No blank line before the signatures.";
            return false;
        }

        var text = utf8[..(split + 1)];
        var block = utf8[(split + 2)..];
        if (block.IsEmpty || block[^1] != (byte)'\n')
        {
            reason = "Signature lines must follow the blank line, each ending in a newline.";
            return false;
        }

        var signatures = new List<NoteSignature>();
        foreach (var range in block[..^1].Split((byte)'\n'))
        {
            if (signatures.Count == MaxSignatures)
            {
                reason = $"More than {MaxSignatures} signatures.";
                return false;
            }

            if (!TryParseSignature(block[range], out var signature))
            {
                reason = "A signature line is \"— name base64\", with at least five signature bytes.";
                return false;
            }

            signatures.Add(signature);
        }

        (note, reason) = (new SignedNote(Encoding.UTF8.GetString(text), signatures), "");
        return true;
    }

    public static bool TryParse(string message, [NotNullWhen(true)] out SignedNote? note, out string reason)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!NoteFormat.TryGetNoteBytes(message, out var utf8))
        {
            (note, reason) = (null, "A note is UTF-8 with no control characters but newlines.");
            return false;
        }

        return TryParse(utf8, out note, out reason);
    }

    public static NoteVerification Open(ReadOnlySpan<byte> utf8, IEnumerable<NoteVerifier> verifiers) =>
        TryParse(utf8, out var note, out var reason)
            ? note.Verify(verifiers)
            : NoteVerification.Fail(NoteFailure.Malformed, reason);

    public static NoteVerification Open(string message, IEnumerable<NoteVerifier> verifiers) =>
        TryParse(message, out var note, out var reason)
            ? note.Verify(verifiers)
            : NoteVerification.Fail(NoteFailure.Malformed, reason);

    // Signatures from unknown keys are ignored (a key is its name and id together); every signature from a known
    // key must verify, and at least one must be present.
    public NoteVerification Verify(IEnumerable<NoteVerifier> verifiers)
    {
        ArgumentNullException.ThrowIfNull(verifiers);
        var known = new Dictionary<(string, uint), NoteVerifier>();
        foreach (var verifier in verifiers)
        {
            ArgumentNullException.ThrowIfNull(verifier);
            if (known.TryGetValue((verifier.Name, verifier.KeyId), out var other)
                && !other.PublicKey.SequenceEqual(verifier.PublicKey))
            {
                throw new ArgumentException(
                    $"Two different keys are both named {verifier}; only a deliberate collision does that.", nameof(verifiers));
            }

            known[(verifier.Name, verifier.KeyId)] = verifier;
        }

        var message = Encoding.UTF8.GetBytes(Text);
        var verified = new List<NoteSignature>();
        foreach (var signature in Signatures)
        {
            if (!known.TryGetValue((signature.KeyName, signature.KeyId), out var verifier))
            {
                continue;
            }

            if (!verifier.Verify(message, Convert.FromBase64String(signature.Base64).AsSpan(4)))
            {
                return NoteVerification.Fail(
                    NoteFailure.InvalidSignature,
                    $"The signature by {signature.KeyName}+{NoteFormat.FormatKeyId(signature.KeyId)} does not verify.");
            }

            if (!verified.Any(v => v.KeyName == signature.KeyName && v.KeyId == signature.KeyId))
            {
                verified.Add(signature);
            }
        }

        return verified.Count == 0
            ? NoteVerification.Fail(NoteFailure.NoKnownSignature, "No signature from a known key.")
            : NoteVerification.Valid(this, verified);
    }

    public string Format()
    {
        var note = new StringBuilder(Text).Append('\n');
        foreach (var signature in Signatures)
        {
            note.Append("— ").Append(signature.KeyName).Append(' ').Append(signature.Base64).Append('\n');
        }

        return note.ToString();
    }

    public override string ToString() => Format();

    private static bool TryParseSignature(ReadOnlySpan<byte> line, [NotNullWhen(true)] out NoteSignature? signature)
    {
        signature = null;
        if (!line.StartsWith(SignaturePrefix))
        {
            return false;
        }

        var rest = Encoding.UTF8.GetString(line[SignaturePrefix.Length..]);
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            return false;
        }

        var (name, base64) = (rest[..space], rest[(space + 1)..]);
        if (!NoteFormat.IsValidKeyName(name) || !NoteFormat.TryDecodeBase64(base64, out var bytes) || bytes.Length < 5)
        {
            return false;
        }

        signature = new NoteSignature(name, BinaryPrimitives.ReadUInt32BigEndian(bytes), base64);
        return true;
    }
}
