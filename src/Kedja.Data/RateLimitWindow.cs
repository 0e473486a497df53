namespace Kedja.Data;

/// <summary>
/// Requests counted for one rate limit, one key (a client address, a hashed e-mail) and one fixed window, shared by
/// every app node (issue 17): a limit holds however many nodes the requests are spread over. Not a tenant's data; the
/// key never holds an e-mail address. One row per limit and key: a window starts at the first request after the last
/// one ended (as ASP.NET's in-process fixed window did). Rows of ended windows are deleted by housekeeping.
/// </summary>
public class RateLimitWindow
{
    /// <summary>The limit's name (e.g. "sign-in").</summary>
    public required string Policy { get; set; }

    public required string PartitionKey { get; set; }

    /// <summary>The current window's start in Unix milliseconds.</summary>
    public long WindowStart { get; set; }

    /// <summary>The current window's end in Unix milliseconds: the row may go after it.</summary>
    public long ExpiresAt { get; set; }

    public int Hits { get; set; }
}
