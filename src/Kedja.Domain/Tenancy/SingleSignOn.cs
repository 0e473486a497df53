namespace Kedja.Domain.Tenancy;

/// <summary>
/// A municipality's own OpenID Connect provider (Entra ID, Keycloak, ADFS, a federation broker): one per tenant
/// (ADR 45). The client secret is stored only as Data Protection ciphertext and never shown again.
/// </summary>
public class TenantIdentityProvider : IOperationalRow, IVersioned
{
    public Guid TenantId { get; set; }

    /// <summary>The issuer's base address; its /.well-known/openid-configuration gives endpoints and signing keys.</summary>
    public required string Authority { get; set; }

    public required string ClientId { get; set; }

    /// <summary>The client secret, protected with Data Protection (purpose "Kedja.Sso.ClientSecret"); null for a public client.</summary>
    public string? ClientSecretProtected { get; set; }

    /// <summary>Space-separated scopes asked for besides "openid".</summary>
    public string Scopes { get; set; } = "openid profile email";

    public string EmailClaim { get; set; } = "email";

    public string NameClaim { get; set; } = "name";

    public string GroupsClaim { get; set; } = "groups";

    /// <summary>The label of the sign-in button, e.g. "Exempelkommuns konto".</summary>
    public string? DisplayName { get; set; }

    /// <summary>Sign-in through the provider is offered only while enabled; configured but off is a draft.</summary>
    public bool Enabled { get; set; }

    public DateTime UpdatedAt { get; set; }

    public int Version { get; set; }
}

/// <summary>
/// An e-mail domain whose people sign in through their tenant's provider (home realm discovery). Unique across
/// tenants: a domain names one municipality. Stored in lower case.
/// </summary>
public class TenantEmailDomain
{
    public required string Domain { get; set; }

    public Guid TenantId { get; set; }
}

/// <summary>A provider group that gives a role for a unit and its subtree (the whole municipality when UnitId is null).</summary>
public class TenantGroupMapping : IOperationalRow, IVersioned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The group's value as the provider sends it in the groups claim (an object id in Entra ID, a name in Keycloak).</summary>
    public required string Group { get; set; }

    public TenantRole Role { get; set; }

    public Guid? UnitId { get; set; }

    public int Version { get; set; }
}

/// <summary>Where a membership came from: given by a person, or computed from provider groups at each sign-in.</summary>
public enum MembershipSource
{
    Manual = 0,
    Sso = 1,
}
