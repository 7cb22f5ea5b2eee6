namespace TeaTrace.Ledger.Tests;

public sealed class NoteKeyTests
{
    private const string PeterVkey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private const string PeterSkey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";

    [Fact]
    public void VerifierKey_Parse_SplitsOnFirstTwoPlusesOnly()
    {
        // The base64 of sum.golang.org's key contains '+' itself.
        var verifier = NoteVerifier.Parse("sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8");

        Assert.Equal("sum.golang.org", verifier.Name);
        Assert.Equal(0x033de0aeu, verifier.KeyId);
        Assert.Equal(32, verifier.PublicKey.Length);
    }

    [Fact]
    public void KeyId_IsFirstFourBytesOfSha256OfNameNewlineTypeAndKey()
    {
        var verifier = NoteVerifier.Parse(PeterVkey);
        var hash = System.Security.Cryptography.SHA256.HashData([.. "PeterNeumann"u8, 0x0A, 0x01, .. verifier.PublicKey]);

        Assert.Equal(Convert.ToHexStringLower(hash[..4]), verifier.KeyId.ToString("x8"));
    }

    [Theory]
    [InlineData("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("PeterNeumanx+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("PeterNeumann+c74f20g3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("PeterNeumann+c74f20a3+ApRc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("PeterNeumann+c74f20a3+AhRc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10")]
    [InlineData("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVk mqq/LDE4izWy10TW")]
    [InlineData("PeterNeumann+c74f20a3")]
    [InlineData("PeterNeumann")]
    [InlineData("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("")]
    public void VerifierKey_Malformed_TryParseFailsAndParseThrowsFormat(string key)
    {
        Assert.False(NoteVerifier.TryParse(key, out _));
        Assert.Throws<FormatException>(() => NoteVerifier.Parse(key));
    }

    [Fact]
    public void SignerKey_Parse_DerivesTheMatchingVerifier()
    {
        var signer = NoteSigner.Parse(PeterSkey);

        Assert.Equal("PeterNeumann", signer.Name);
        Assert.Equal(PeterVkey, signer.Verifier.VerifierKey);
        Assert.DoesNotContain("PRIVATE", signer.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")]
    [InlineData("PRIVATE+KEY+EnochRoot+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")]
    [InlineData("PRIVATE+KEX+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")]
    [InlineData("PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")]
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a3+AoEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")]
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHK")]
    public void SignerKey_Malformed_TryParseFailsAndParseThrowsFormat(string key)
    {
        Assert.False(NoteSigner.TryParse(key, out _));
        Assert.Throws<FormatException>(() => NoteSigner.Parse(key));
    }

    [Fact]
    public void GeneratedSigner_ExportAndParse_RoundTrips()
    {
        var signer = NoteSigner.Generate("tea.example/yingde");
        var again = NoteSigner.Parse(signer.ExportSignerKey());
        byte[] message = [1, 2, 3];

        Assert.Equal(signer.Verifier.VerifierKey, again.Verifier.VerifierKey);
        Assert.Equal(signer.Sign(message), again.Sign(message));
        Assert.True(NoteVerifier.Parse(signer.Verifier.VerifierKey).Verify(message, signer.Sign(message)));
    }

    [Fact]
    public void Verify_WrongSignatureLength_ReturnsFalse()
    {
        var signer = NoteSigner.Generate("tea.example/yingde");
        byte[] message = [1, 2, 3];

        Assert.False(signer.Verifier.Verify(message, signer.Sign(message)[..63]));
        Assert.False(signer.Verifier.Verify(message, []));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("has+plus")]
    [InlineData("tab\tname")]
    [InlineData("ideographic\u3000space")]
    public void FromSeed_InvalidName_ThrowsArgument(string name)
    {
        Assert.Throws<ArgumentException>(() => NoteSigner.FromSeed(name, new byte[32]));
        Assert.Throws<ArgumentException>(() => NoteVerifier.FromPublicKey(name, new byte[32]));
    }

    [Fact]
    public void FromSeed_WrongSeedLength_ThrowsArgument()
    {
        Assert.Throws<ArgumentException>(() => NoteSigner.FromSeed("tea.example", new byte[31]));
        Assert.Throws<ArgumentException>(() => NoteVerifier.FromPublicKey("tea.example", new byte[33]));
    }

    [Fact]
    public void FromSeed_UnicodeName_SignsAndVerifies()
    {
        var signer = NoteSigner.FromSeed("英德红茶.example/log", new byte[32]);
        var note = SignedNote.Sign("英德红茶\n", signer);

        Assert.True(SignedNote.Open(note.Format(), [NoteVerifier.Parse(signer.Verifier.VerifierKey)]).IsValid);
    }
}
