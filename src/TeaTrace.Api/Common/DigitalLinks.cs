using Microsoft.Extensions.Options;

namespace TeaTrace.Api.Common;

/// <summary>GS1 Digital Link URIs as TeaTrace issues them: /01/{gtin}/10/{lot}/21/{serial}.</summary>
internal static class DigitalLinks
{
    public static string Lot(string baseUrl, string gtin, string lot) => $"{baseUrl}/01/{gtin}/10/{Uri.EscapeDataString(lot)}";

    public static string Unit(string baseUrl, string gtin, string lot, string serial) => $"{Lot(baseUrl, gtin, lot)}/21/{Uri.EscapeDataString(serial)}";

    /// <summary>TeaTrace:PublicBaseUrl when set, else the request's own scheme and host.</summary>
    public static string BaseUrl(HttpContext http)
    {
        var configured = http.RequestServices.GetRequiredService<IOptionsMonitor<TeaTraceOptions>>().CurrentValue.PublicBaseUrl;
        return string.IsNullOrWhiteSpace(configured) ? $"{http.Request.Scheme}://{http.Request.Host}" : configured.TrimEnd('/');
    }
}
