using System.Net;
using System.Net.Sockets;

namespace Kedja.Web.Auth;

/// <summary>The client a limit or delay applies to.</summary>
public static class ClientAddress
{
    /// <summary>
    /// The remote address; an IPv6 client by its /64 network, since one client holds a whole /64. Without an address
    /// (in-process test server, a socket with none) every such request is one client, "okänd".
    /// </summary>
    public static string Of(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "okänd";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && !IPAddress.IsLoopback(address))
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes) + "/64";
        }

        return address.ToString();
    }
}
