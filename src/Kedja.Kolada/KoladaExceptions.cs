namespace Kedja.Kolada;

/// <summary>Kolada could not give what was asked; the message is Swedish and can be shown as it is.</summary>
public abstract class KoladaException : Exception
{
    protected KoladaException(string message, string url, int? statusCode, Exception? inner)
        : base(message, inner)
    {
        Url = url;
        StatusCode = statusCode;
    }

    /// <summary>The address asked for when it failed.</summary>
    public string Url { get; }

    /// <summary>Kolada's HTTP status, when it answered at all.</summary>
    public int? StatusCode { get; }
}

/// <summary>Kolada could not be reached or kept failing (429, 5xx, network, timeout) after every retry.</summary>
public sealed class KoladaUnavailableException : KoladaException
{
    public KoladaUnavailableException(string url, int attempts, int? statusCode, Exception? inner = null)
        : base(Describe(attempts, statusCode, inner), url, statusCode, inner)
    {
        Attempts = attempts;
    }

    public int Attempts { get; }

    private static string Describe(int attempts, int? statusCode, Exception? inner)
    {
        var last = statusCode switch
        {
            429 => "Kolada bad oss vänta (HTTP 429)",
            int code => $"Kolada svarade med ett serverfel (HTTP {code})",
            null when inner is TimeoutException or OperationCanceledException or Polly.Timeout.TimeoutRejectedException => "inget svar kom i tid",
            _ => "det gick inte att få kontakt",
        };
        var tries = attempts == 1 ? "1 försök" : $"{attempts} försök";
        return $"Kolada svarar inte just nu. Försök igen om en stund. ({tries}; senast: {last}.)";
    }
}

/// <summary>Kolada refused the question itself (400, 404 or another 4xx): retrying would give the same answer.</summary>
public sealed class KoladaRequestException : KoladaException
{
    public KoladaRequestException(string url, int statusCode)
        : base(Describe(statusCode), url, statusCode, null)
    {
    }

    private static string Describe(int statusCode) => statusCode switch
    {
        404 => "Kolada känner inte till adressen som frågades efter (HTTP 404). Kontrollera Kolada-adressen i inställningarna.",
        400 => "Kolada tog inte emot frågan (HTTP 400). Kontrollera nyckeltal, kommuner, enheter och år.",
        _ => $"Kolada tog inte emot frågan (HTTP {statusCode}).",
    };
}

/// <summary>Kolada answered, but with something that is not its documented JSON.</summary>
public sealed class KoladaResponseException : KoladaException
{
    public KoladaResponseException(string url, string problem, Exception? inner = null)
        : base($"Kolada skickade ett svar som inte går att läsa: {problem}.", url, null, inner)
    {
    }
}
