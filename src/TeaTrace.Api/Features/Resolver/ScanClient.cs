using System.Net;
using System.Net.Sockets;

namespace TeaTrace.Api.Features.Resolver;

/// <summary>Who scanned, as far as risk needs to know: the connection's address and the browser. Stored only as salted hashes.</summary>
internal sealed record ScanClient(IPAddress? Address, string Agent)
{
    /// <summary>
    /// The address's network (an IPv4 /24 or IPv6 /48 by default): one connection can claim any browser name, and one
    /// IPv6 subscriber holds a whole prefix, but reaching many networks takes many real connections.
    /// </summary>
    public string Network(int ipv4Bits, int ipv6Bits)
    {
        if (Address is null)
        {
            return "none";
        }

        var address = Address.IsIPv4MappedToIPv6 ? Address.MapToIPv4() : Address;
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? ipv4Bits : ipv6Bits;
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(bits - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return $"{new IPAddress(bytes)}/{bits}";
    }
}
