namespace Kedja.Web.Portal;

/// <summary>
/// Bound from "Kedja:Portal": how the public portal names itself to the world (ADR 42), how much anonymous traffic one
/// address may send, and its cache of rendered pages (ADR 41).
/// </summary>
public sealed class PortalOptions
{
    public const string Section = "Kedja:Portal";

    /// <summary>
    /// The address the public reaches the portal at, e.g. "https://kedja.kommun.se". Absolute links in open data and the
    /// DCAT-AP-SE catalogue (which harvesters keep as identifiers) start with it. Unset: the request's own scheme and host
    /// (behind a proxy the scheme from X-Forwarded-Proto, the host as the client sent it).
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Requests one address may send at once before it must slow down (a page with its images and styles is one).</summary>
    public int BurstPerAddress { get; set; } = 120;

    /// <summary>Requests per second one address may send over time; behind a shared NAT, many residents are one address.</summary>
    public int PerSecondPerAddress { get; set; } = 20;

    /// <summary>Memory for rendered public pages on each node.</summary>
    public int CacheMegabytes { get; set; } = 64;

    /// <summary>
    /// Memory for the texts the portal's search looks through, on each node, for all tenants together (UTF-16: 75,000
    /// goals and indicators with short descriptions take about 20 MB). A tenant whose texts do not fit is searched by
    /// reading them all for each question, and the log says so.
    /// </summary>
    public int SearchMegabytes { get; set; } = 128;

    /// <summary>A page larger than this is rendered every time (a frozen report is read from the database as stored).</summary>
    public int CachedPageKilobytes { get; set; } = 2048;

    /// <summary>
    /// How long a node trusts the data version it read last, in milliseconds. A write on this node is seen at once (<see
    /// cref="DataVersionSignal"/>); one on another node within this time. Zero reads the version for every request.
    /// </summary>
    public int VersionFreshMilliseconds { get; set; } = 100;

    /// <summary>
    /// How often at most a page is rendered anew for ordinary writes, in milliseconds: within this time of its rendering
    /// a page is answered as it is (a correction shows at most this late). A publication, a withdrawal and a change of
    /// the tenant's settings always show at once. Zero renders after every write.
    /// </summary>
    public int RefreshAtMostEveryMilliseconds { get; set; } = 1000;

    /// <summary>
    /// How often each node looks whether a tenant published or withdrew a period, in seconds, to ready its portal before
    /// the first visitor asks (<see cref="PublicationWatch"/>). Zero does not look.
    /// </summary>
    public int WatchPublicationsSeconds { get; set; } = 5;

    internal static IEnumerable<string> Problems(PortalOptions o)
    {
        if (o.SearchMegabytes is < 1 or > 16_384)
        {
            yield return $"{Section}: SearchMegabytes ska vara mellan 1 och 16384.";
        }

        if (o.WatchPublicationsSeconds is < 0 or > 3600)
        {
            yield return $"{Section}: WatchPublicationsSeconds ska vara mellan 0 och 3600.";
        }

        if (o.RefreshAtMostEveryMilliseconds is < 0 or > 60_000)
        {
            yield return $"{Section}: RefreshAtMostEveryMilliseconds ska vara mellan 0 och 60000.";
        }

        if (o.BurstPerAddress < 1 || o.PerSecondPerAddress < 1)
        {
            yield return $"{Section}: BurstPerAddress och PerSecondPerAddress ska vara minst 1.";
        }

        if (o.CacheMegabytes < 0 || o.CachedPageKilobytes < 1 || o.VersionFreshMilliseconds is < 0 or > 5000)
        {
            yield return $"{Section}: CacheMegabytes ska vara minst 0, CachedPageKilobytes minst 1 och VersionFreshMilliseconds mellan 0 och 5000.";
        }

        if (o.PublicBaseUrl is { } value
            && !(Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Query.Length == 0 && uri.Fragment.Length == 0))
        {
            yield return $"{Section}:PublicBaseUrl måste vara en fullständig http- eller https-adress utan frågedel, inte \"{value}\".";
        }
    }

    /// <summary>Scheme, host and any path prefix, without a trailing slash.</summary>
    public string BaseFor(HttpRequest request) =>
        string.IsNullOrWhiteSpace(PublicBaseUrl) ? $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}" : PublicBaseUrl.TrimEnd('/');
}
