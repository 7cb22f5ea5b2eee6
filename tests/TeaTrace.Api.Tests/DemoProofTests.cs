using System.Net;
using System.Text;
using System.Text.Json;
using TeaTrace.Ledger;

namespace TeaTrace.Api.Tests;

/// <summary>
/// Every unit of the demo carries a proof its buyer's phone can check, sealed private fields or not: the checks the
/// consumer page runs in the browser, run here over every unit with the ledger library.
/// </summary>
public sealed class DemoProofTests(DemoApp app) : IClassFixture<DemoApp>
{
    [Fact]
    public async Task EveryUnitsProof_VerifiesAsThePageChecksIt()
    {
        var units = new List<(string Serial, string Gtin, string Lot)>();
        using (var db = app.OpenDatabase())
        {
            using var command = db.CreateCommand();
            command.CommandText = "SELECT u.serial, l.gtin, l.code FROM units u JOIN lots l ON l.id = u.lot_id ORDER BY l.code, u.seq";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                units.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        Assert.True(units.Count > 1000, $"{units.Count} units");
        var client = app.Client();
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        // A machine reading the documents, not a person scanning: served, not counted as scans.
        client.DefaultRequestHeaders.Add("Sec-Fetch-Site", "cross-site");
        client.DefaultRequestHeaders.Add("Sec-Fetch-Mode", "cors");
        client.DefaultRequestHeaders.Add("Sec-Fetch-Dest", "empty");
        var checkedLots = new Dictionary<string, string>(); // lot code → serialsRoot, once its entry is proved
        foreach (var (serial, gtin, lot) in units)
        {
            var document = await TeaTraceApp.Expect(await client.GetAsync($"/01/{gtin}/10/{lot}/21/{serial}"), HttpStatusCode.OK);
            var proof = document.GetProperty("proof");
            if (!checkedLots.TryGetValue(lot, out var serialsRoot))
            {
                serialsRoot = ProveLotEntry(proof, gtin, lot);
                checkedLots[lot] = serialsRoot;
            }

            var serialProof = proof.GetProperty("serial");
            var path = serialProof.GetProperty("auditPath").EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!)).ToList();
            Assert.True(ProofVerifier.VerifyInclusion(serialProof.GetProperty("index").GetInt64(), serialProof.GetProperty("count").GetInt64(),
                Rfc9162.HashLeaf(Encoding.UTF8.GetBytes(serial)), path, Convert.FromHexString(serialsRoot)).IsValid, $"serial {serial} of lot {lot}");
        }

        Assert.True(checkedLots.Count > 20, $"{checkedLots.Count} lots");
    }

    /// <summary>The lot's entry hashes to its leaf, is in the signed checkpoint's tree, and names this GTIN and lot; returns its serialsRoot.</summary>
    private static string ProveLotEntry(JsonElement proof, string gtin, string lot)
    {
        var body = Convert.FromBase64String(proof.GetProperty("entryBody").GetString()!);
        var leaf = Rfc9162.HashLeaf(body);
        Assert.Equal(proof.GetProperty("leafHash").GetString(), Convert.ToHexStringLower(leaf));
        var verifier = NoteVerifier.Parse(proof.GetProperty("verifierKey").GetString()!);
        var opened = SignedNote.Open(proof.GetProperty("checkpoint").GetString()!, [verifier]);
        Assert.True(opened.IsValid, opened.Reason);
        var checkpoint = Checkpoint.Parse(opened.Note!.Text);
        Assert.Equal(checkpoint.Size, proof.GetProperty("treeSize").GetInt64());
        var path = proof.GetProperty("auditPath").EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!)).ToList();
        Assert.True(ProofVerifier.VerifyInclusion(proof.GetProperty("entryIndex").GetInt64(), checkpoint.Size, leaf, path, checkpoint.RootHash.ToArray()).IsValid, $"lot {lot}");
        var entry = JsonDocument.Parse(body).RootElement;
        Assert.Equal("lot.packed", entry.GetProperty("type").GetString());
        Assert.Equal(gtin, entry.GetProperty("data").GetProperty("gtin").GetString());
        Assert.Equal(lot, entry.GetProperty("data").GetProperty("code").GetString());
        return entry.GetProperty("data").GetProperty("serialsRoot").GetString()!;
    }
}
