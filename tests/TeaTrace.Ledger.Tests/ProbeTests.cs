using System.Text.Json;

namespace TeaTrace.Ledger.Tests;

// transparency-dev-merkle-probes.json: 98 inclusion and 98 consistency probes, 6 + 6 of them valid.
public sealed class ProbeTests
{
    private static readonly JsonElement Probes = Vectors.Load("transparency-dev-merkle-probes.json");

    // Go's indexes are uint64; one probe uses 2^64-1, which arrives here as -1 and must be rejected all the same.
    private static long Index(JsonElement probe) => unchecked((long)probe.GetProperty("index").GetUInt64());

    [Fact]
    public void InclusionProbes_All_ValidAcceptedAndBadRejected()
    {
        var (accepted, rejected, failures) = (0, 0, new List<string>());
        foreach (var probe in Probes.GetProperty("inclusion").EnumerateArray())
        {
            var result = ProofVerifier.VerifyInclusion(
                Index(probe),
                probe.GetProperty("size").GetInt64(),
                probe.GetProperty("leaf_hash_hex").Hex(),
                probe.GetProperty("proof_hex").HexList(),
                probe.GetProperty("root_hex").Hex());

            var wantError = probe.GetProperty("want_error").GetBoolean();
            if (result.IsValid == wantError)
            {
                failures.Add($"{probe.GetProperty("file").GetString()}: {result.Failure}");
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

        Assert.Empty(failures);
        Assert.Equal(6, accepted);
        Assert.Equal(92, rejected);
    }

    [Fact]
    public void ConsistencyProbes_All_ValidAcceptedAndBadRejected()
    {
        var (accepted, rejected, failures) = (0, 0, new List<string>());
        foreach (var probe in Probes.GetProperty("consistency").EnumerateArray())
        {
            var result = ProofVerifier.VerifyConsistency(
                probe.GetProperty("size1").GetInt64(),
                probe.GetProperty("size2").GetInt64(),
                probe.GetProperty("proof_hex").HexList(),
                probe.GetProperty("root1_hex").Hex(),
                probe.GetProperty("root2_hex").Hex());

            var wantError = probe.GetProperty("want_error").GetBoolean();
            if (result.IsValid == wantError)
            {
                failures.Add($"{probe.GetProperty("file").GetString()}: {result.Failure}");
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

        Assert.Empty(failures);
        Assert.Equal(6, accepted);
        Assert.Equal(92, rejected);
    }
}
