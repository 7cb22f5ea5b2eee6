using System.Text;

namespace TeaTrace.Ledger.Tests;

public sealed class SignedNoteTests
{
    private const string Text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    private const string PeterSkey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private const string PeterSig = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    private const string EnochSig = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

    private static readonly NoteVerifier Peter = NoteVerifier.Parse("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");

    public static TheoryData<string, string> MalformedNotes => new()
    {
        { "text only", Text },
        { "no signature after blank line", Text + "\n" },
        { "last line without newline", Text + "\n" + PeterSig[..^1] },
        { "control character", "\x01" + Text + "\n" + PeterSig },
        { "tab", "a\tb\n\n" + PeterSig },
        { "carriage return", Text.Replace("\n", "\r\n", StringComparison.Ordinal) + "\r\n" + PeterSig },
        { "name with space", Text + "\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n" },
        { "line after signatures", Text + "\n" + PeterSig + "Unexpected line.\n" },
        { "blank line after signatures", Text + "\n" + PeterSig + "\n" },
        { "hyphen instead of em dash", Text + "\n- " + PeterSig[2..] },
        { "empty name", Text + "\n—  x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n" },
        { "plus in name", Text + "\n— Peter+Neumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n" },
        { "no-break space in name", Text + "\n— Peter\u00a0Neumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n" },
        { "space inside base64", Text + "\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNX gKvqfqdngotpRZb6KE6RyyBwJnAM=\n" },
        { "no base64", Text + "\n— PeterNeumann\n" },
        { "empty base64", Text + "\n— PeterNeumann \n" },
        { "unpadded base64", Text + "\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM\n" },
        { "four signature bytes", Text + "\n— PeterNeumann x08gow==\n" },
        { "more than 100 signatures", Text + "\n" + string.Concat(Enumerable.Repeat(PeterSig, 101)) },
    };

    [Theory]
    [MemberData(nameof(MalformedNotes))]
    public void Open_MalformedNote_IsRejectedAsMalformed(string why, string note)
    {
        var result = SignedNote.Open(note, [Peter]);

        Assert.True(result.Failure == NoteFailure.Malformed, why);
        Assert.False(result.IsValid);
        Assert.Null(result.Note);
    }

    [Fact]
    public void Open_LoneSurrogate_IsRejectedAsMalformed()
    {
        // Built here rather than in theory data, which xunit would serialise and so repair.
        var note = new string((char)0xD800, 1) + Text + "\n" + PeterSig;

        Assert.Equal(NoteFailure.Malformed, SignedNote.Open(note, [Peter]).Failure);
        Assert.Throws<ArgumentException>(() => SignedNote.Sign(new string((char)0xD800, 1) + "\n", NoteSigner.Parse(PeterSkey)));
    }

    [Fact]
    public void Open_InvalidUtf8Bytes_IsRejectedAsMalformed()
    {
        byte[] note = [0xff, .. Encoding.UTF8.GetBytes(Text + "\n" + PeterSig)];

        Assert.Equal(NoteFailure.Malformed, SignedNote.Open(note, [Peter]).Failure);
        Assert.Equal(NoteFailure.None, SignedNote.Open(Encoding.UTF8.GetBytes(Text + "\n" + PeterSig), [Peter]).Failure);
    }

    [Fact]
    public void Open_HundredSignatures_IsAccepted()
    {
        var result = SignedNote.Open(Text + "\n" + string.Concat(Enumerable.Repeat(PeterSig, 100)), [Peter]);

        Assert.True(result.IsValid);
        Assert.Single(result.VerifiedSignatures);
        Assert.Equal(100, result.Note.Signatures.Count);
    }

    [Fact]
    public void Open_BlankLinesInText_SplitsAtTheLastOne()
    {
        var signer = NoteSigner.Generate("example.com/log");
        var text = "first\n\nsecond\n\n";

        var result = SignedNote.Open(SignedNote.Sign(text, signer).Format(), [signer.Verifier]);

        Assert.True(result.IsValid);
        Assert.Equal(text, result.Note.Text);
    }

    [Fact]
    public void Open_OnlyUnknownKeys_IsRejected()
    {
        var other = NoteSigner.Generate("PeterNeumann").Verifier;

        var result = SignedNote.Open(Text + "\n" + EnochSig, [Peter, other]);

        Assert.Equal(NoteFailure.NoKnownSignature, result.Failure);
        Assert.Null(result.Note);
    }

    [Fact]
    public void Open_SameNameOtherKeyId_IsIgnoredNotVerified()
    {
        // A key is its name and id together: another PeterNeumann key's signature line is unknown, not invalid.
        var impostor = NoteSigner.Generate("PeterNeumann");
        var note = SignedNote.Sign(Text, impostor).Format() + PeterSig;

        Assert.True(SignedNote.Open(note, [Peter]).IsValid);
        Assert.Equal(NoteFailure.NoKnownSignature, SignedNote.Open(SignedNote.Sign(Text, impostor).Format(), [Peter]).Failure);
    }

    [Fact]
    public void Open_KnownKeyBadSignatureBesideGoodOne_RejectsWholeNote()
    {
        var badPeter = PeterSig[..60] + "ABCD" + PeterSig[64..];

        var result = SignedNote.Open(Text + "\n" + PeterSig + badPeter, [Peter]);

        Assert.Equal(NoteFailure.InvalidSignature, result.Failure);
    }

    [Fact]
    public void Open_SignatureOfWrongLength_IsInvalidNotAnException()
    {
        var signature = Convert.FromBase64String(PeterSig[15..^1]);
        var shortSignature = $"— PeterNeumann {Convert.ToBase64String(signature[..^1])}\n";

        Assert.Equal(NoteFailure.InvalidSignature, SignedNote.Open(Text + "\n" + shortSignature, [Peter]).Failure);
    }

    [Fact]
    public void Verify_TwoDifferentKeysWithSameNameAndId_ThrowsArgument()
    {
        var note = SignedNote.Sign(Text, NoteSigner.Parse(PeterSkey));
        var collision = NoteVerifier.Parse(Peter.VerifierKey);

        // Same key twice is fine; a different key can only share name and id by a deliberate collision.
        Assert.True(note.Verify([Peter, collision]).IsValid);
        Assert.Throws<ArgumentNullException>(() => note.Verify(null!));
    }

    [Fact]
    public void Sign_SeveralSigners_AppendsOneLineEachInOrder()
    {
        var log = NoteSigner.Generate("tea.example/log");
        var witness = NoteSigner.Generate("witness.example/w1");

        var note = SignedNote.Sign(Text, log, witness);
        var reparsed = SignedNote.Open(note.Format(), [witness.Verifier, log.Verifier]);

        Assert.Equal(["tea.example/log", "witness.example/w1"], note.Signatures.Select(s => s.KeyName));
        Assert.True(reparsed.IsValid);
        Assert.Equal(2, reparsed.VerifiedSignatures.Count);
    }

    [Theory]
    [InlineData("no final newline")]
    [InlineData("")]
    [InlineData("tab\tinside\n")]
    [InlineData("carriage return\r\n")]
    public void Sign_InvalidText_ThrowsArgument(string text)
    {
        Assert.Throws<ArgumentException>(() => SignedNote.Sign(text, NoteSigner.Parse(PeterSkey)));
    }

    [Fact]
    public void Sign_NoSigner_ThrowsArgument()
    {
        Assert.Throws<ArgumentException>(() => SignedNote.Sign(Text));
    }

    [Fact]
    public void TryParse_ValidNote_KeepsSignaturesOfUnknownKeys()
    {
        Assert.True(SignedNote.TryParse(Text + "\n" + PeterSig + EnochSig, out var note, out _));

        Assert.Equal(Text, note.Text);
        Assert.Equal(
            [new NoteSignature("PeterNeumann", 0xc74f20a3, PeterSig[15..^1]), new NoteSignature("EnochRoot", 0xaf0cfe78, EnochSig[12..^1])],
            note.Signatures);
    }
}
