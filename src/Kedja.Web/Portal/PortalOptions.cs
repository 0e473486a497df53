namespace Kedja.Web.Portal;

/// <summary>How the public portal names itself to the world (ADR 42).</summary>
public sealed class PortalOptions
{
    public const string Section = "Kedja:Portal";

    /// <summary>
    /// The address the public reaches the portal at, e.g. "https://kedja.kommun.se". Absolute links in open data and the
    /// DCAT-AP-SE catalogue (which harvesters keep as identifiers) start with it. Unset: the request's own scheme and host
    /// (behind a proxy the scheme from X-Forwarded-Proto, the host as the client sent it).
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    internal static IEnumerable<string> Problems(PortalOptions o)
    {
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
