namespace Kedja.Data;

/// <summary>
/// One signed-in browser session (issue 18, ASVS 3.3.4, migration 0033): the sign-in cookie names it, every request
/// checks it is not ended, and the person sees and ends their own on the profile page. Not a tenant's data. The
/// account's security stamp at sign-in is kept so that sessions a new password (or a sign-out) ended are not listed.
/// </summary>
public class UserSession
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public required string UserId { get; set; }

    /// <summary>The account's security stamp when the session started; a session under an older stamp is over.</summary>
    public required string Stamp { get; set; }

    public DateTime StartedAt { get; set; }

    /// <summary>The last request, written at most once a minute (not a write per request).</summary>
    public DateTime LastSeenAt { get; set; }

    /// <summary>The browser's User-Agent header as sent, cut to 300 characters; only shown to the person.</summary>
    public string? UserAgent { get; set; }

    public DateTime? EndedAt { get; set; }
}
