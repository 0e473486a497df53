using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Kedja.Domain.Tenancy;

namespace Kedja.Web.SingleSignOn;

/// <summary>
/// How a municipality's staff sign in (issue 14, ADR 45): its own OpenID Connect provider, the e-mail domains that lead
/// there, which provider groups give which role, and whether Kedja's own passwords and two-factor apply. The client
/// secret is never part of it: a document or an answer that could carry it would be a copy of it.
/// </summary>
/// <remarks>
/// Also what <c>GET /sign-in-settings</c> gives and <c>PUT /sign-in-settings</c> takes (<see cref="VersionedSignInSettings"/>)
/// and the tenant document's <c>signIn</c>.
/// </remarks>
public record SignInDoc
{
    /// <summary>The provider; null when the municipality has none (it cannot be removed once saved, only turned off).</summary>
    public IdentityProviderDoc? Provider { get; init; }

    /// <summary>Whether people may sign in with a Kedja password; off only with an enabled provider and at least one domain.</summary>
    public bool LocalPasswords { get; init; } = true;

    /// <summary>Whether everyone who signs in with a Kedja password must use two-factor.</summary>
    public bool RequireTwoFactor { get; init; }

    /// <summary>Domains (lower case, punycode) whose addresses are sent to the provider; each belongs to one municipality only.</summary>
    public List<string> EmailDomains { get; init; } = [];

    public List<GroupMappingDoc> GroupMappings { get; init; } = [];
}

/// <summary>The provider's settings without the secret.</summary>
public sealed record IdentityProviderDoc
{
    /// <summary>The issuer's address; its /.well-known/openid-configuration names the endpoints and keys.</summary>
    public required string Authority { get; init; }

    public required string ClientId { get; init; }

    /// <summary>Space-separated; must include openid.</summary>
    public string Scopes { get; init; } = "openid profile email";

    public string EmailClaim { get; init; } = "email";

    public string NameClaim { get; init; } = "name";

    public string GroupsClaim { get; init; } = "groups";

    /// <summary>The sign-in button's label; null for "Logga in med {kommunens namn}".</summary>
    public string? DisplayName { get; init; }

    public bool Enabled { get; init; }
}

/// <summary>A provider group that gives a role for a unit and its subtree, or for the whole municipality when <see cref="UnitId"/> is null.</summary>
public sealed record GroupMappingDoc(string Group, TenantRole Role, Guid? UnitId);

/// <summary>
/// The sign-in settings with their version: what GET gives and PUT takes back. The secret goes one way only: PUT takes a
/// new one in <see cref="ClientSecret"/> (left out or empty keeps the stored one; <see cref="RemoveClientSecret"/> removes
/// it); GET says only whether one is stored.
/// </summary>
public sealed record VersionedSignInSettings : SignInDoc
{
    public VersionedSignInSettings()
    {
    }

    [SetsRequiredMembers]
    public VersionedSignInSettings(SignInDoc settings)
        : base(settings)
    {
    }

    /// <summary>A new client secret (write-only); never given back.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ClientSecret { get; init; }

    /// <summary>Removes the stored secret (a public client, or one that leaked).</summary>
    public bool RemoveClientSecret { get; init; }

    /// <summary>Whether a secret is stored; ignored in PUT.</summary>
    public bool HasClientSecret { get; init; }

    public int? Version { get; init; }
}
