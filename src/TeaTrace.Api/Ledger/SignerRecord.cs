using System.Text.Json;
using TeaTrace.Api.Common;
using TeaTrace.Ledger;

namespace TeaTrace.Api.Ledger;

/// <summary>
/// The last checkpoint the signing key signed, and the one before it, as the signer itself remembers them. Kept
/// beside the key, outside the database, so that whoever can rewrite the database (and delete its checkpoints) still
/// cannot make the key sign a second history: every new checkpoint must extend this one.
/// </summary>
internal sealed record SignerRecord(long Size, byte[] RootHash, string Note, long PreviousSize, byte[]? PreviousRootHash, DateTimeOffset? SignedAt)
{
    /// <summary>What a key that has never signed remembers.</summary>
    public static readonly SignerRecord Empty = new(0, Rfc9162.EmptyRootHash(), "", 0, null, null);

    /// <summary>The file beside the key that holds the record.</summary>
    public static string PathFor(string keyPath) => keyPath + ".last-signed";

    public SignerRecord Next(long size, byte[] rootHash, string note, DateTimeOffset signedAt) =>
        new(size, rootHash, note, Size, Size == 0 ? null : RootHash, signedAt);

    private sealed record Stored(int Version, long Size, string RootHash, string Note, long PreviousSize, string? PreviousRootHash, DateTimeOffset? SignedAt);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public void Save(string path) =>
        PrivateFiles.WriteDurably(path, JsonSerializer.Serialize(new Stored(1, Size, Convert.ToHexStringLower(RootHash), Note, PreviousSize,
            PreviousRootHash is null ? null : Convert.ToHexStringLower(PreviousRootHash), SignedAt), Json) + "\n");

    /// <summary>The size a record file says was signed, unchecked; null when there is none. Enough to refuse a new key.</summary>
    public static long? SignedSize(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<Stored>(File.ReadAllText(path), Json)?.Size : null;
        }
        catch (JsonException ex)
        {
            throw new LedgerIntegrityException($"The signer's record at {path} is not readable ({ex.Message}). Refusing to start; restore it with the key from a backup.");
        }
    }

    /// <summary>
    /// Reads the record and checks it is this key's own: its note must carry the key's signature over a checkpoint of
    /// the stated size and root. Null when there is no record.
    /// </summary>
    public static SignerRecord? Load(string path, NoteVerifier verifier)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        Stored? stored;
        try
        {
            stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            throw new LedgerIntegrityException($"The signer's record at {path} is not readable ({ex.Message}). Refusing to start; restore it with the key from a backup.");
        }

        if (stored is null || stored.Version != 1 || stored.Size < 0)
        {
            throw new LedgerIntegrityException($"The signer's record at {path} is not a record this service wrote. Refusing to start; restore it with the key from a backup.");
        }

        var record = new SignerRecord(stored.Size, Convert.FromHexString(stored.RootHash), stored.Note, stored.PreviousSize,
            stored.PreviousRootHash is null ? null : Convert.FromHexString(stored.PreviousRootHash), stored.SignedAt);
        if (record.Size == 0)
        {
            return record;
        }

        var opened = SignedNote.Open(record.Note, [verifier]);
        if (!opened.IsValid || !Checkpoint.TryParse(opened.Note!.Text, out var checkpoint)
            || checkpoint.Size != record.Size || !checkpoint.RootHash.SequenceEqual(record.RootHash))
        {
            throw new LedgerIntegrityException(
                $"The signer's record at {path} was not signed by the signing key {verifier.VerifierKey}: the key was replaced or the record altered. Refusing to start; restore the original key file and its record.");
        }

        return record;
    }
}
