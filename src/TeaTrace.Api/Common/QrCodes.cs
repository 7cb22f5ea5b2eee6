using QRCoder;

namespace TeaTrace.Api.Common;

/// <summary>
/// QR codes for print: error correction level Q (a quarter of the code may be scuffed or smudged and it still
/// reads) with the standard four-module quiet zone. PngByteQRCode and SvgQRCode need no System.Drawing.
/// </summary>
internal static class QrCodes
{
    public const int DefaultSize = 512;
    public const int MinSize = 64;
    public const int MaxSize = 2048;

    public static byte[] Png(string text, int size)
    {
        using var data = Encode(text);
        return new PngByteQRCode(data).GetGraphic(PixelsPerModule(data, size), drawQuietZones: true);
    }

    public static string Svg(string text, int size)
    {
        using var data = Encode(text);
        return new SvgQRCode(data).GetGraphic(PixelsPerModule(data, size), "#000000", "#ffffff", drawQuietZones: true);
    }

    private static QRCodeData Encode(string text)
    {
        using var generator = new QRCodeGenerator();
        return generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.Q);
    }

    // size is the wanted width in pixels; every module is a whole number of pixels, so the result is at most that wide.
    private static int PixelsPerModule(QRCodeData data, int size) => Math.Max(1, size / data.ModuleMatrix.Count);
}
