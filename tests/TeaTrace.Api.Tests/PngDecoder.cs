using System.Buffers.Binary;
using System.IO.Compression;

namespace TeaTrace.Api.Tests;

/// <summary>Just enough PNG (non-interlaced grayscale, palette or RGB(A), 1–8 bits) to read QR codes back as luminance.</summary>
internal static class PngDecoder
{
    public static (byte[] Luminance, int Width, int Height) Decode(byte[] png)
    {
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        int width = 0, height = 0, depth = 0, colour = 0;
        byte[] palette = [];
        using var idat = new MemoryStream();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    depth = data[8];
                    colour = data[9];
                    Assert.Equal(0, data[12]); // not interlaced
                    break;
                case "PLTE":
                    palette = data.ToArray();
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
            }

            at += 12 + length;
        }

        var channels = colour switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => throw new NotSupportedException($"colour type {colour}") };
        var bitsPerPixel = channels * depth;
        var stride = ((width * bitsPerPixel) + 7) / 8;
        var bytesPerPixel = Math.Max(1, bitsPerPixel / 8);
        using var inflated = new MemoryStream();
        idat.Position = 0;
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        var raw = inflated.ToArray();
        var rows = new byte[height][];
        var previous = new byte[stride];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var row = raw.AsSpan((y * (stride + 1)) + 1, stride).ToArray();
            for (var x = 0; x < stride; x++)
            {
                var a = x >= bytesPerPixel ? row[x - bytesPerPixel] : 0;
                var b = previous[x];
                var c = x >= bytesPerPixel ? previous[x - bytesPerPixel] : 0;
                row[x] = (byte)(row[x] + filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new NotSupportedException($"filter {filter}"),
                });
            }

            rows[y] = row;
            previous = row;
        }

        var luminance = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                luminance[(y * width) + x] = Pixel(rows[y], x, depth, colour, palette);
            }
        }

        return (luminance, width, height);
    }

    private static byte Pixel(byte[] row, int x, int depth, int colour, byte[] palette)
    {
        if (colour is 2 or 6)
        {
            var size = colour == 2 ? 3 : 4;
            return (byte)((row[x * size] + row[(x * size) + 1] + row[(x * size) + 2]) / 3);
        }

        if (colour == 4)
        {
            return row[x * 2];
        }

        var perByte = 8 / depth;
        var value = (row[x / perByte] >> ((perByte - 1 - (x % perByte)) * depth)) & ((1 << depth) - 1);
        if (colour == 3)
        {
            return (byte)((palette[value * 3] + palette[(value * 3) + 1] + palette[(value * 3) + 2]) / 3);
        }

        return (byte)(value * 255 / ((1 << depth) - 1));
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var (pa, pb, pc) = (Math.Abs(p - a), Math.Abs(p - b), Math.Abs(p - c));
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
