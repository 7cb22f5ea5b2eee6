namespace TeaTrace.Ledger.Tests;

public sealed class CheckpointTests
{
    private static readonly byte[] Root = Rfc9162.HashLeaf("root"u8);
    private static readonly string RootBase64 = Convert.ToBase64String(Root);

    [Fact]
    public void Format_WithExtensions_WritesOneLineEach()
    {
        var checkpoint = new Checkpoint("tea.example/yingde", 42, Root, ["ext one", "ext two"]);

        Assert.Equal($"tea.example/yingde\n42\n{RootBase64}\next one\next two\n", checkpoint.Format());
    }

    [Fact]
    public void Parse_FormattedCheckpoint_RoundTrips()
    {
        var checkpoint = new Checkpoint("tea.example/yingde", 0, Root, ["x"]);

        var parsed = Checkpoint.Parse(checkpoint.Format());

        Assert.Equal("tea.example/yingde", parsed.Origin);
        Assert.Equal(0, parsed.Size);
        Assert.Equal(Root, parsed.RootHash.ToArray());
        Assert.Equal(["x"], parsed.Extensions);
    }

    public static TheoryData<string> Malformed => new()
    {
        $"o\n1\n{RootBase64}",
        $"o\n1\n",
        $"o\n1\n{RootBase64}\n\n",
        $"o\n1\n{RootBase64}\n\next\n",
        $"\n1\n{RootBase64}\n",
        $"o\n01\n{RootBase64}\n",
        $"o\n-1\n{RootBase64}\n",
        $"o\n+1\n{RootBase64}\n",
        $"o\n 1\n{RootBase64}\n",
        $"o\n1 \n{RootBase64}\n",
        $"o\n١\n{RootBase64}\n",
        $"o\n9223372036854775808\n{RootBase64}\n",
        $"o\n1\n{RootBase64[..^4]}\n",
        $"o\n1\n{Convert.ToBase64String(new byte[33])}\n",
        $"o\n1\n{RootBase64.TrimEnd('=')}\n",
        $"o\n1\n{RootBase64[..^2]}B=\n",
        $"o\tx\n1\n{RootBase64}\n",
        $"o\r\n1\n{RootBase64}\n",
        "",
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void TryParse_Malformed_Fails(string text)
    {
        Assert.False(Checkpoint.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Checkpoint.Parse(text));
    }

    [Fact]
    public void Constructor_InvalidParts_Throw()
    {
        Assert.Throws<ArgumentException>(() => new Checkpoint("", 1, Root));
        Assert.Throws<ArgumentException>(() => new Checkpoint("two\nlines", 1, Root));
        Assert.Throws<ArgumentException>(() => new Checkpoint("o", 1, Root[..31]));
        Assert.Throws<ArgumentException>(() => new Checkpoint("o", 1, Root, [""]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Checkpoint("o", -1, Root));
    }

    [Fact]
    public void SignedCheckpoints_OfAGrowingTree_OpenParseAndProveConsistent()
    {
        var signer = NoteSigner.Generate("tea.example/yingde");
        var tree = new InMemoryMerkleTree();
        var notes = new List<string>();
        foreach (var size in new[] { 3, 10 })
        {
            while (tree.Size < size)
            {
                tree.AppendEntry([(byte)tree.Size]);
            }

            notes.Add(SignedNote.Sign(new Checkpoint(signer.Name, tree.Size, tree.RootHash()).Format(), signer).Format());
        }

        var opened = notes.Select(n => SignedNote.Open(n, [signer.Verifier])).ToArray();
        Assert.All(opened, o => Assert.True(o.IsValid));
        var (old, latest) = (Checkpoint.Parse(opened[0].Note!.Text), Checkpoint.Parse(opened[1].Note!.Text));

        var proof = tree.ConsistencyProof(old.Size, latest.Size);
        Assert.True(ProofVerifier.VerifyConsistency(old.Size, latest.Size, proof, old.RootHash, latest.RootHash).IsValid);
    }
}
