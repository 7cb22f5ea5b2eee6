using System.Text.Json;

namespace TeaTrace.Ledger.Tests;

// The vector files copied from /work/shared/vectors (see vectors/README.md), read from the test output folder.
internal static class Vectors
{
    public static JsonElement Load(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "vectors", fileName);
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.Clone();
    }

    public static byte[] Hex(this JsonElement element) => Convert.FromHexString(element.GetString()!);

    public static byte[][] HexList(this JsonElement element) => [.. element.EnumerateArray().Select(Hex)];

    public static string ToHex(this byte[] bytes) => Convert.ToHexStringLower(bytes);

    public static string ToHex(this IEnumerable<byte[]> hashes) => string.Join(",", hashes.Select(ToHex));
}
