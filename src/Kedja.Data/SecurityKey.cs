namespace Kedja.Data;

/// <summary>
/// A security key or passkey (WebAuthn) a person registered as a second factor (issue 18, ASVS 2.3.2, migration 0034,
/// ADR 56). Not a tenant's data. Only the public key is kept: the private key never leaves the authenticator.
/// </summary>
public class SecurityKey
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public required string UserId { get; set; }

    /// <summary>The authenticator's credential id, unique across all accounts (WebAuthn §7.1 step 22).</summary>
    public required byte[] CredentialId { get; set; }

    /// <summary>The COSE public key the assertions are verified with.</summary>
    public required byte[] PublicKey { get; set; }

    /// <summary>The authenticator's signature counter last seen; a lower or equal one (when not zero) is a cloned key.</summary>
    public long SignCount { get; set; }

    public required string Name { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? LastUsedAt { get; set; }
}

/// <summary>
/// The options (with their challenge) between a WebAuthn begin and finish: a row, not memory or session state, so that
/// the finish may land on any node; single use (the finish deletes it) and short-lived.
/// </summary>
public class SecurityKeyChallenge
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public required string UserId { get; set; }

    /// <summary>"register" or "sign-in": a challenge made for one is never accepted for the other.</summary>
    public required string Purpose { get; set; }

    /// <summary>The options as the library wrote them (JSON), challenge included.</summary>
    public required string Options { get; set; }

    public DateTime ExpiresAt { get; set; }
}
