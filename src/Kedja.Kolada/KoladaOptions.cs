namespace Kedja.Kolada;

/// <summary>Settings of the Kolada client, bound from <c>Kedja:Kolada</c>.</summary>
public sealed class KoladaOptions
{
    public const string Section = "Kedja:Kolada";

    /// <summary>The API root: <c>…/v3</c>, or <c>…/v2</c> for the older response shape.</summary>
    public string BaseUrl { get; set; } = "https://api.kolada.se/v3";

    /// <summary>How long one attempt may take, body included; a retry gets the same time again.</summary>
    public double TimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// How long one request may take with all its attempts and waits: a person who pressed "Hämta nu" or opened a
    /// comparison is told Kolada cannot be reached within this, however Kolada fails.
    /// </summary>
    public double TotalTimeoutSeconds { get; set; } = 45;

    /// <summary>Retries after the first attempt, for 429, 5xx, network errors and timeouts.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>The first backoff; it doubles per retry, with jitter, unless Kolada says how long to wait.</summary>
    public double RetryBaseDelaySeconds { get; set; } = 1;

    /// <summary>Rows asked for per page; Kolada serves at most 5000.</summary>
    public int PerPage { get; set; } = 5000;

    /// <summary>The longest wait a <c>Retry-After</c> header can impose; a longer one is cut to this.</summary>
    public int MaxRetryAfterSeconds { get; set; } = 60;

    internal IEnumerable<string> Problems()
    {
        if (TotalTimeoutSeconds is < 0.01 or > 3600)
        {
            yield return "Kedja:Kolada:TotalTimeoutSeconds måste vara större än 0,01 och högst 3600.";
        }

        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            yield return $"Kedja:Kolada:BaseUrl måste vara en fullständig http- eller https-adress, inte \"{BaseUrl}\".";
        }
        if (!(TimeoutSeconds > 0.01 && TimeoutSeconds <= 3600))
        {
            yield return "Kedja:Kolada:TimeoutSeconds måste vara större än 0,01 och högst 3600.";
        }
        if (MaxRetries is < 0 or > 20)
        {
            yield return "Kedja:Kolada:MaxRetries måste vara mellan 0 och 20.";
        }
        if (!(RetryBaseDelaySeconds >= 0 && RetryBaseDelaySeconds <= 600))
        {
            yield return "Kedja:Kolada:RetryBaseDelaySeconds måste vara mellan 0 och 600.";
        }
        if (PerPage is < 1 or > 5000)
        {
            yield return "Kedja:Kolada:PerPage måste vara mellan 1 och 5000.";
        }
        if (MaxRetryAfterSeconds is < 0 or > 3600)
        {
            yield return "Kedja:Kolada:MaxRetryAfterSeconds måste vara mellan 0 och 3600.";
        }
    }
}
