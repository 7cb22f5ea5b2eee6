using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using TeaTrace.Ledger;

namespace TeaTrace.Verify;

/// <summary>
/// Checks a TeaTrace ledger from the outside: the checkpoint's signature against a pinned key, that the log only
/// grew since the checkpoint this verifier last saw, and that entries are in the tree the checkpoint commits to.
/// Exit code 0 only when everything holds; 1 when a check fails; 2 for a usage or network error.
/// </summary>
public static class VerifyCommand
{
    public const int Ok = 0;
    public const int CheckFailed = 1;
    public const int Error = 2;

    private const string Usage = """
        usage: TeaTrace.Verify <base-url> [--key <verifier-key>] [--state <file>] [--entry <index>]... [--all] [--key-file <file>]

          --key     the log's verifier key (name+keyid+base64), pinned; without it the key saved in the state file is
                    used, and on the very first run the server's own key is trusted and saved (trust on first use)
          --state   where the last verified checkpoint is kept (default: .teatrace-verify.json)
          --entry   verify that this entry is in the checkpoint's tree (may be repeated)
          --all     re-hash every entry, check the hash links, and rebuild the checkpoint's root from them
          --key-file  a file holding a TeaTrace API key: the private fields of the entries checked that this key may
                    read are fetched and must open the commitment in each entry's body
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<int> RunAsync(string[] args, TextWriter output, HttpMessageHandler? handler = null)
    {
        if (!Options.TryParse(args, out var options, out var usageError))
        {
            await output.WriteLineAsync(usageError);
            await output.WriteLineAsync(Usage);
            return Error;
        }

        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = options.BaseUrl;
        http.Timeout = TimeSpan.FromMinutes(2);
        try
        {
            var failures = await new Run(http, options, output).ExecuteAsync();
            await output.WriteLineAsync(failures == 0 ? "OK: every check passed." : $"FAILED: {failures} check(s) did not hold.");
            return failures == 0 ? Ok : CheckFailed;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or FormatException)
        {
            await output.WriteLineAsync($"error: {ex.Message}");
            return Error;
        }
    }

    private sealed class Run(HttpClient http, Options options, TextWriter output)
    {
        private readonly List<(long Index, byte[] Commitment)> _sealed = [];
        private int _failures;

        public async Task<int> ExecuteAsync()
        {
            var state = await State.LoadAsync(options.StatePath);
            var verifierKey = options.Key ?? state?.VerifierKey;
            if (verifierKey is null)
            {
                var published = await http.GetFromJsonAsync<PublicKey>("api/ledger/public-key", Json) ?? throw new FormatException("The server sent no public key.");
                verifierKey = published.VerifierKey;
                await output.WriteLineAsync($"warning: no pinned key; trusting the server's key on first use: {verifierKey}");
            }

            if (!NoteVerifier.TryParse(verifierKey, out var verifier))
            {
                Fail($"'{verifierKey}' is not a signed-note verifier key.");
                return _failures;
            }

            if (state is not null && state.VerifierKey != verifier.VerifierKey)
            {
                Fail($"The pinned key {verifier.VerifierKey} is not the key of the checkpoint seen before ({state.VerifierKey}).");
                return _failures;
            }

            var note = await http.GetStringAsync("api/ledger/checkpoint");
            var opened = SignedNote.Open(note, [verifier]);
            if (!opened.IsValid)
            {
                Fail($"The checkpoint's signature does not verify with {verifier.VerifierKey}: {opened.Reason}");
                return _failures;
            }

            var checkpoint = Checkpoint.Parse(opened.Note.Text);
            if (checkpoint.Origin != verifier.Name)
            {
                Fail($"The checkpoint's origin '{checkpoint.Origin}' is not the key's name '{verifier.Name}'.");
            }

            var root = checkpoint.RootHash.ToArray();
            await Pass($"checkpoint signed by {verifier.Name}: {checkpoint.Size} entries, root {Hex(root)}");

            if (state is not null)
            {
                await CheckConsistencyAsync(state, checkpoint.Size, root);
            }

            foreach (var index in options.Entries)
            {
                await CheckInclusionAsync(index, checkpoint.Size, root);
            }

            if (options.All)
            {
                await CheckAllAsync(checkpoint.Size, root);
            }

            if (options.ApiKey is not null)
            {
                await CheckSealedAsync(options.ApiKey);
            }

            if (_failures == 0)
            {
                await new State(verifier.VerifierKey, checkpoint.Size, Hex(root), DateTimeOffset.UtcNow).SaveAsync(options.StatePath);
            }

            return _failures;
        }

        private async Task CheckConsistencyAsync(State previous, long size, byte[] root)
        {
            var oldRoot = Convert.FromHexString(previous.RootHash);
            if (size < previous.Size)
            {
                Fail($"The log shrank: it had {previous.Size} entries, now its checkpoint says {size}.");
                return;
            }

            if (size == previous.Size)
            {
                if (root.AsSpan().SequenceEqual(oldRoot))
                {
                    await Pass($"same checkpoint as last time ({size} entries)");
                }
                else
                {
                    Fail($"Two different roots for {size} entries: the log rewrote its history.");
                }

                return;
            }

            var proof = await http.GetFromJsonAsync<ConsistencyProof>($"api/ledger/consistency?from={previous.Size}&to={size}", Json)
                ?? throw new FormatException("The server sent no consistency proof.");
            var result = ProofVerifier.VerifyConsistency(previous.Size, size, proof.Proof.Select(Convert.FromHexString).ToList(), oldRoot, root);
            if (result.IsValid)
            {
                await Pass($"consistent with the checkpoint seen before ({previous.Size} → {size} entries)");
            }
            else
            {
                Fail($"The log of {size} entries does not extend the one of {previous.Size} seen before ({result.Failure}): it rewrote its history.");
            }
        }

        private async Task CheckInclusionAsync(long index, long size, byte[] root)
        {
            if (index < 0 || index >= size)
            {
                Fail($"Entry {index} is not covered by the checkpoint of {size} entries.");
                return;
            }

            var entry = await http.GetFromJsonAsync<Entry>($"api/ledger/entries/{index}", Json) ?? throw new FormatException($"The server sent no entry {index}.");
            var bytes = Convert.FromBase64String(entry.Body);
            var leaf = Rfc9162.HashLeaf(bytes);
            NoteSealed(index, bytes);
            var proof = await http.GetFromJsonAsync<InclusionProof>($"api/ledger/entries/{index}/proof?treeSize={size}", Json)
                ?? throw new FormatException($"The server sent no proof for entry {index}.");
            var result = ProofVerifier.VerifyInclusion(index, size, leaf, proof.AuditPath.Select(Convert.FromHexString).ToList(), root);
            if (result.IsValid)
            {
                await Pass($"entry {index} ({entry.Type}) is in the tree");
            }
            else
            {
                Fail($"Entry {index}: its bytes are not the leaf the checkpoint's tree holds ({result.Failure}).");
            }
        }

        private async Task CheckAllAsync(long size, byte[] root)
        {
            var edge = new CompactRange();
            var previous = new byte[Rfc9162.HashSize];
            while (edge.Size < size)
            {
                var page = await http.GetFromJsonAsync<EntryPage>($"api/ledger/entries?from={edge.Size}&count=1000", Json)
                    ?? throw new FormatException("The server sent no entries.");
                if (page.Entries.Count == 0)
                {
                    Fail($"The server stopped at entry {edge.Size} of {size}.");
                    return;
                }

                foreach (var entry in page.Entries.TakeWhile(_ => edge.Size < size))
                {
                    var bytes = Convert.FromBase64String(entry.Body);
                    var leaf = Rfc9162.HashLeaf(bytes);
                    if (entry.Index != edge.Size || BodyProblem(bytes, edge.Size, previous) is { } problem)
                    {
                        Fail($"Entry {edge.Size}: {(entry.Index != edge.Size ? $"the server sent entry {entry.Index} in its place" : BodyProblem(bytes, edge.Size, previous))}.");
                        return;
                    }

                    edge.Append(leaf);
                    previous = leaf;
                    NoteSealed(entry.Index, bytes);
                }
            }

            if (edge.RootHash().AsSpan().SequenceEqual(root))
            {
                await Pass($"all {size} entries re-hashed, linked, and rebuild the checkpoint's root");
            }
            else
            {
                Fail($"The {size} entries do not rebuild the checkpoint's root: an entry was changed after it was signed.");
            }
        }

        /// <summary>Remembers the commitment of an entry with private fields, to open it later when a key is given.</summary>
        private void NoteSealed(long index, byte[] body)
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("sealed", out var commitment) && commitment.GetString() is { } hex && !_sealed.Any(s => s.Index == index))
            {
                _sealed.Add((index, Convert.FromHexString(hex)));
            }
        }

        /// <summary>Fetches each noted entry's salt and fields with the key, and checks they open its commitment.</summary>
        private async Task CheckSealedAsync(string apiKey)
        {
            var (opened, erased, notOurs) = (0, 0, 0);
            foreach (var (index, commitment) in _sealed)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"api/ledger/entries/{index}/sealed");
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
                using var response = await http.SendAsync(request);
                switch (response.StatusCode)
                {
                    case System.Net.HttpStatusCode.OK:
                        var part = await response.Content.ReadFromJsonAsync<SealedPart>(Json) ?? throw new FormatException($"The server sent no sealed part for entry {index}.");
                        if (TeaTrace.Ledger.SealedPart.Opens(commitment, Convert.FromHexString(part.Salt), part.Fields))
                        {
                            opened++;
                        }
                        else
                        {
                            Fail($"Entry {index}: the salt and private fields the server sent do not open the commitment in the entry's body.");
                        }

                        break;
                    case System.Net.HttpStatusCode.Gone:
                        erased++;
                        break;
                    case System.Net.HttpStatusCode.Forbidden:
                        notOurs++;
                        break;
                    case System.Net.HttpStatusCode.Unauthorized:
                        Fail("The key in --key-file is not accepted by the server.");
                        return;
                    default:
                        Fail($"Entry {index}: the server answered {(int)response.StatusCode} for its sealed part.");
                        break;
                }
            }

            await Pass($"private fields: {opened} opened and matched their commitments, {erased} erased, {notOurs} not this key's to read");
        }

        private static string? BodyProblem(byte[] body, long index, byte[] previousLeaf)
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (!root.TryGetProperty("index", out var i) || i.GetInt64() != index)
            {
                return "its body names another index";
            }

            return root.TryGetProperty("previousLeafHash", out var link) && link.GetString() == Hex(previousLeaf)
                ? null
                : "its previousLeafHash is not the hash of the entry before it";
        }

        private Task Pass(string message) => output.WriteLineAsync($"ok    {message}");

        private void Fail(string message)
        {
            _failures++;
            output.WriteLine($"FAIL  {message}");
        }

        private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
    }

    private sealed record Options(Uri BaseUrl, string? Key, string StatePath, IReadOnlyList<long> Entries, bool All, string? ApiKey)
    {
        public static bool TryParse(string[] args, out Options options, out string error)
        {
            options = null!;
            error = "";
            Uri? baseUrl = null;
            string? key = null;
            var state = ".teatrace-verify.json";
            var entries = new List<long>();
            var all = false;
            string? apiKey = null;
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--key" when i + 1 < args.Length:
                        key = args[++i];
                        break;
                    case "--state" when i + 1 < args.Length:
                        state = args[++i];
                        break;
                    case "--entry" when i + 1 < args.Length && long.TryParse(args[i + 1], out var index):
                        entries.Add(index);
                        i++;
                        break;
                    case "--all":
                        all = true;
                        break;
                    case "--key-file" when i + 1 < args.Length:
                        if (!File.Exists(args[i + 1]))
                        {
                            error = $"error: no key file at {args[i + 1]}";
                            return false;
                        }

                        apiKey = File.ReadAllText(args[++i]).Trim();
                        break;
                    case var url when baseUrl is null && Uri.TryCreate(url.TrimEnd('/') + "/", UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https":
                        baseUrl = parsed;
                        break;
                    default:
                        error = $"error: unexpected argument '{args[i]}'";
                        return false;
                }
            }

            if (baseUrl is null)
            {
                error = "error: give the service's base URL, such as http://localhost:5080";
                return false;
            }

            options = new Options(baseUrl, key, state, entries, all, apiKey);
            return true;
        }
    }

    /// <summary>What this verifier saw last: the pinned key and the checkpoint it verified.</summary>
    private sealed record State(string VerifierKey, long Size, string RootHash, DateTimeOffset CheckedAt)
    {
        public static async Task<State?> LoadAsync(string path) =>
            File.Exists(path) ? JsonSerializer.Deserialize<State>(await File.ReadAllTextAsync(path), Json) : null;

        public async Task SaveAsync(string path)
        {
            var temporary = path + ".tmp";
            await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(this, Json));
            File.Move(temporary, path, overwrite: true);
        }
    }

    private sealed record PublicKey(string Origin, string VerifierKey);

    private sealed record SealedPart(long Index, string Salt, JsonElement Fields, string Commitment);

    private sealed record Entry(long Index, string Type, string LeafHash, string Body);

    private sealed record EntryPage(long From, long TreeSize, IReadOnlyList<Entry> Entries);

    private sealed record InclusionProof(long Index, long TreeSize, string LeafHash, IReadOnlyList<string> AuditPath, string RootHash);

    private sealed record ConsistencyProof(long From, long To, string FromRoot, string ToRoot, IReadOnlyList<string> Proof);
}
