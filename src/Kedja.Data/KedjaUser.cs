using Microsoft.AspNetCore.Identity;

namespace Kedja.Data;

public class KedjaUser : IdentityUser
{
    public string? DisplayName { get; set; }

    /// <summary>Installation-wide administrator: creates tenants and manages every tenant.</summary>
    public bool IsSystemAdmin { get; set; }
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
}
