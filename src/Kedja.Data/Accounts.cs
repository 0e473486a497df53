namespace Kedja.Data;

public enum AccountLinkPurpose
{
    /// <summary>A new account's first password.</summary>
    Invitation = 0,

    /// <summary>A forgotten password.</summary>
    Reset = 1,
}

/// <summary>
/// A one-time link with which a person sets their own password. Only a SHA-256 hash of the secret is stored; a link
/// is used at most once and only before it expires.
/// </summary>
public class AccountLink
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public required string UserId { get; set; }

    public AccountLinkPurpose Purpose { get; set; }

    public required string SecretHash { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? UsedAt { get; set; }
}

/// <summary>
/// Failed sign-ins from one client (an address, or an address for one account), so that delays grow with each
/// failure and hold across app nodes. <see cref="Subject"/> never holds an e-mail address, only a hash of it.
/// </summary>
public class SignInThrottle
{
    public required string Subject { get; set; }

    public int Failures { get; set; }

    public DateTime LastFailureAt { get; set; }

    public DateTime? BlockedUntil { get; set; }
}
