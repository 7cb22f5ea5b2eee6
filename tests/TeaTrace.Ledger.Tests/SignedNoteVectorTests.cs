using System.Text.Json;

namespace TeaTrace.Ledger.Tests;

// signed-note-ed25519.json: the C2SP spec example, Go's sumdb/note PeterNeumann and EnochRoot notes, and a real
// sum.golang.org checkpoint.
public sealed class SignedNoteVectorTests
{
    private static readonly JsonElement[] Cases = [.. Vectors.Load("signed-note-ed25519.json").GetProperty("vectors").EnumerateArray()];

    private static JsonElement Case(string descriptionStart) =>
        Cases.Single(c => c.GetProperty("desc").GetString()!.StartsWith(descriptionStart, StringComparison.Ordinal));

    private static NoteVerifier Verifier(JsonElement c) => NoteVerifier.Parse(c.GetProperty("vkey").GetString()!);

    private static string Note(JsonElement c) => c.GetProperty("signed_note").GetString()!;

    [Fact]
    public void Vectors_All_VerifyWithTheirKeyAndRoundTrip()
    {
        Assert.Equal(4, Cases.Length);
        foreach (var c in Cases)
        {
            var verifier = Verifier(c);
            var result = SignedNote.Open(Note(c), [verifier]);

            Assert.True(result.IsValid, $"{c.GetProperty("desc")}: {result.Reason}");
            Assert.Equal([verifier.Name], result.VerifiedSignatures.Select(s => s.KeyName));
            Assert.Equal(Note(c), result.Note.Format());
            Assert.Equal(c.GetProperty("vkey").GetString(), verifier.VerifierKey);
        }
    }

    [Fact]
    public void C2spExample_SpecKey_Verifies()
    {
        var c = Case("C2SP");
        var result = SignedNote.Open(Note(c), [Verifier(c)]);

        Assert.True(result.IsValid);
        Assert.Equal("This is an example message.\n", result.Note.Text);
        Assert.Equal(0x530d903au, result.VerifiedSignatures[0].KeyId);
    }

    [Fact]
    public void PeterNeumann_ResignWithSeed_ReproducesNoteByteForByte()
    {
        var c = Case("golang.org/x/mod sumdb/note TestSign");
        var signer = NoteSigner.Parse(c.GetProperty("skey").GetString()!);

        var note = SignedNote.Sign(c.GetProperty("text").GetString()!, signer);

        Assert.Equal(Note(c), note.Format());
        Assert.Equal(c.GetProperty("vkey").GetString(), signer.Verifier.VerifierKey);
        Assert.Equal(c.GetProperty("skey").GetString(), signer.ExportSignerKey());
    }

    [Fact]
    public void EnochRoot_TwoSignatures_EachKeyAloneOrBothVerify()
    {
        var peter = Verifier(Case("golang.org/x/mod sumdb/note TestSign"));
        var enoch = Verifier(Case("golang.org/x/mod sumdb/note TestOpen"));
        var note = Note(Case("golang.org/x/mod sumdb/note TestOpen"));

        Assert.Equal(["EnochRoot"], SignedNote.Open(note, [enoch]).VerifiedSignatures.Select(s => s.KeyName));
        Assert.Equal(["PeterNeumann"], SignedNote.Open(note, [peter]).VerifiedSignatures.Select(s => s.KeyName));
        Assert.Equal(["PeterNeumann", "EnochRoot"], SignedNote.Open(note, [enoch, peter]).VerifiedSignatures.Select(s => s.KeyName));
        Assert.Equal(NoteFailure.NoKnownSignature, SignedNote.Open(note, []).Failure);
    }

    [Fact]
    public void SumGolangOrgCheckpoint_Verifies_AndParsesAsCheckpoint()
    {
        var c = Case("Real checkpoint");
        var expected = c.GetProperty("checkpoint");

        var result = SignedNote.Open(Note(c), [Verifier(c)]);
        Assert.True(result.IsValid);
        var checkpoint = Checkpoint.Parse(result.Note.Text);

        Assert.Equal(expected.GetProperty("origin").GetString(), checkpoint.Origin);
        Assert.Equal(expected.GetProperty("size").GetInt64(), checkpoint.Size);
        Assert.Equal(expected.GetProperty("root_b64").GetString(), Convert.ToBase64String(checkpoint.RootHash));
        Assert.Empty(checkpoint.Extensions);
        Assert.Equal(result.Note.Text, checkpoint.Format());
    }

    [Fact]
    public void Vectors_TamperedTextOrSignature_AreRejected()
    {
        foreach (var c in Cases)
        {
            var note = Note(c);
            var verifier = Verifier(c);
            var signatureLine = note.IndexOf("— " + verifier.Name + " ", StringComparison.Ordinal);
            var signatureStart = signatureLine + 3 + verifier.Name.Length;
            var tamperedText = (note[0] == 'x' ? "y" : "x") + note[1..];
            // Changing a character after the 4-byte key id (the 6th base64 character onwards) keeps the line well formed.
            var at = signatureStart + 10;
            var tamperedSignature = note[..at] + (note[at] == 'A' ? 'B' : 'A') + note[(at + 1)..];

            Assert.Equal(NoteFailure.InvalidSignature, SignedNote.Open(tamperedText, [verifier]).Failure);
            Assert.Equal(NoteFailure.InvalidSignature, SignedNote.Open(tamperedSignature, [verifier]).Failure);
        }
    }
}
