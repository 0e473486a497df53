using System.Net;

namespace Kedja.Load;

/// <summary>Where the load may go: a Kedja on this machine, nowhere else.</summary>
public static class LoadTarget
{
    /// <summary>
    /// The base address, or why it is refused. Only a literal loopback address (127.0.0.0/8 or ::1) passes, never a
    /// host name: a name is resolved outside our control (hosts file, DNS) and could send the load to another machine.
    /// </summary>
    public static (Uri? Uri, string? Error) Parse(string? text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return (null, $"'{text}' is not an http:// address; give e.g. http://127.0.0.1:5491.");
        }

        if (uri.UserInfo.Length > 0 || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return (null, $"'{text}': give only scheme, address and port, e.g. http://127.0.0.1:5491.");
        }

        if (uri.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6)
            || !IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) || !IPAddress.IsLoopback(address))
        {
            return (null, $"Refused: '{uri.Host}' is not a loopback address written as one (127.0.0.1 or [::1]). The load script only talks to a Kedja on this machine.");
        }

        return (new Uri(uri.GetLeftPart(UriPartial.Authority)), null);
    }
}
