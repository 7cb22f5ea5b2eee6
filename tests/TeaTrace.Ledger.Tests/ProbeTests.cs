using System.Text.Json;

namespace TeaTrace.Ledger.Tests;

// transparency-dev-merkle-probes.json: 98 inclusion and 98 consistency probes, 6 + 6 of them valid. The exact counts
// are asserted, so a verifier that accepted or rejected everything could not pass.
public sealed class ProbeTests
{
    private static readonly JsonElement Probes = Vectors.Load("transparency-dev-merkle-probes.json");

    // Go's indexes are uint64; one probe uses 2^64-1, which arrives here as -1 and must be rejected all the same.
    private static long Index(JsonElement probe) => unchecked((long)probe.GetProperty("index").GetUInt64());

    private static (int Accepted, int Rejected) Run(string kind, Func<JsonElement, ProofResult> verify)
    {
        var (accepted, rejected, wrong) = (0, 0, new List<string>());
        foreach (var probe in Probes.GetProperty(kind).EnumerateArray())
        {
            var result = verify(probe);
            if (result.IsValid == probe.GetProperty("want_error").GetBoolean())
            {
                wrong.Add($"{probe.GetProperty("file").GetString()}: {result.Failure}");
            }

            if (result.IsValid)
            {
                accepted++;
            }
            else
            {
                rejected++;
            }
        }

        Assert.Empty(wrong);
        return (accepted, rejected);
    }

    [Fact]
    public void InclusionProbes_All_ValidAcceptedAndBadRejected()
    {
        var counts = Run("inclusion", probe => ProofVerifier.VerifyInclusion(
            Index(probe),
            probe.GetProperty("size").GetInt64(),
            probe.GetProperty("leaf_hash_hex").Hex(),
            probe.GetProperty("proof_hex").HexList(),
            probe.GetProperty("root_hex").Hex()));

        Assert.Equal((6, 92), counts);
    }

    [Fact]
    public void ConsistencyProbes_All_ValidAcceptedAndBadRejected()
    {
        var counts = Run("consistency", probe => ProofVerifier.VerifyConsistency(
            probe.GetProperty("size1").GetInt64(),
            probe.GetProperty("size2").GetInt64(),
            probe.GetProperty("proof_hex").HexList(),
            probe.GetProperty("root1_hex").Hex(),
            probe.GetProperty("root2_hex").Hex()));

        Assert.Equal((6, 92), counts);
    }
}
