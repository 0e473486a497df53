using Microsoft.AspNetCore.Identity;

namespace Kedja.Data;

public class KedjaUser : IdentityUser
{
    public string? DisplayName { get; set; }

    /// <summary>Installation-wide administrator: creates tenants and manages every tenant.</summary>
    public bool IsSystemAdmin { get; set; }

    /// <summary>The authenticator app's shared key, protected with Data Protection; null until two-factor is set up.</summary>
    public string? AuthenticatorKeyProtected { get; set; }

    /// <summary>The last TOTP time step accepted, so that a code is never accepted twice.</summary>
    public long? LastTotpStep { get; set; }

    /// <summary>The person has turned reminder mails off (notices about their own follow-ups still come).</summary>
    public bool RemindersOff { get; set; }

    /// <summary>SHA-256 of the secret in the person's calendar feed address; null when they have none.</summary>
    public string? CalendarSecretHash { get; set; }
}

/// <summary>A two-factor recovery code: only its SHA-256 hash is stored, and it is used at most once.</summary>
public class RecoveryCode
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public required string UserId { get; set; }

    public required string CodeHash { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? UsedAt { get; set; }
}

/// <summary>A personal access token. Only a SHA-256 hash of the secret is stored.</summary>
public class PersonalAccessToken
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public required string UserId { get; set; }

    public required string Name { get; set; }

    public required string TokenHash { get; set; }

    /// <summary>The first characters of the token, so a user can tell tokens apart.</summary>
    public required string Prefix { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? ExpiresAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    public DateTime? LastUsedAt { get; set; }

    /// <summary>
    /// How the token was made: "password" (the token endpoint, or a password session), "oidc:{slug}" (a session through
    /// that tenant's provider) or "operator" (the create-token verb). A tenant without local passwords admits only
    /// tokens made through its own provider or by the operator (ADR 45). Null for tokens made before it was recorded.
    /// </summary>
    public string? CreatedVia { get; set; }
}
