using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace TeaTrace.Ledger;

// The note text of a C2SP checkpoint (c2sp.org/tlog-checkpoint): origin, decimal tree size, base64 root hash, then
// optional non-empty extension lines, each ending in a newline. Sign it with SignedNote.Sign(checkpoint.Format(), …).
public sealed class Checkpoint
{
    private readonly byte[] _rootHash;

    public Checkpoint(string origin, long size, ReadOnlySpan<byte> rootHash, IEnumerable<string>? extensions = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (!IsLine(origin))
        {
            throw new ArgumentException("The origin is one non-empty line of note text.", nameof(origin));
        }

        if (rootHash.Length != Rfc9162.HashSize)
        {
            throw new ArgumentException("The root hash is 32 bytes.", nameof(rootHash));
        }

        var lines = extensions?.ToArray() ?? [];
        if (!lines.All(IsLine))
        {
            throw new ArgumentException("Extension lines are non-empty lines of note text.", nameof(extensions));
        }

        Origin = origin;
        Size = size;
        _rootHash = rootHash.ToArray();
        Extensions = lines;
    }

    public string Origin { get; }

    public long Size { get; }

    public ReadOnlySpan<byte> RootHash => _rootHash;

    public IReadOnlyList<string> Extensions { get; }

    public static Checkpoint Parse(string text) =>
        TryParse(text, out var checkpoint) ? checkpoint : throw new FormatException("Not a checkpoint note text.");

    public static bool TryParse(string? text, [NotNullWhen(true)] out Checkpoint? checkpoint)
    {
        checkpoint = null;
        if (text is null || !text.EndsWith('\n'))
        {
            return false;
        }

        var lines = text[..^1].Split('\n');
        if (lines.Length < 3 || !lines.All(IsLine) || !TryParseSize(lines[1], out var size)
            || !NoteFormat.TryDecodeBase64(lines[2], out var root) || root.Length != Rfc9162.HashSize
            || Convert.ToBase64String(root) != lines[2])
        {
            return false;
        }

        checkpoint = new Checkpoint(lines[0], size, root, lines[3..]);
        return true;
    }

    public string Format()
    {
        var text = new StringBuilder()
            .Append(Origin).Append('\n')
            .Append(Size.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(Convert.ToBase64String(_rootHash)).Append('\n');
        foreach (var extension in Extensions)
        {
            text.Append(extension).Append('\n');
        }

        return text.ToString();
    }

    public override string ToString() => Format();

    // ASCII digits without sign, spaces or leading zeros (except "0" itself), so each size has one spelling.
    private static bool TryParseSize(string line, out long size)
    {
        size = 0;
        return line.All(char.IsAsciiDigit) && (line == "0" || line[0] != '0')
            && long.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out size);
    }

    private static bool IsLine(string? line) =>
        !string.IsNullOrEmpty(line)
        && !line.Contains('\n', StringComparison.Ordinal)
        && NoteFormat.TryGetNoteBytes(line, out _);
}
