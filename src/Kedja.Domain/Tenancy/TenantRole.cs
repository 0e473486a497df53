namespace Kedja.Domain.Tenancy;

/// <summary>What a user may do within one municipality; ordered from least to most.</summary>
public enum TenantRole
{
    /// <summary>Reads everything in the tenant, including drafts.</summary>
    Reader = 0,

    /// <summary>Enters outcomes, assessments and activities, limited to a unit subtree when the membership names one.</summary>
    Editor = 1,

    /// <summary>Configures the governance model, organisation and goals (controller, strategist).</summary>
    Admin = 2,
}

/// <summary>Gives a user a role in a tenant, optionally scoped to a unit and everything below it.</summary>
public class TenantMembership : ITenantOwned, IVersioned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; } = Guid.CreateVersion7();

    public required string UserId { get; set; }

    /// <summary>
    /// The name this municipality gives the person. Kept on the membership, not the account, so that a municipality
    /// never sees what another one called the person (nor learns that the account existed).
    /// </summary>
    public string? DisplayName { get; set; }

    public TenantRole Role { get; set; }

    /// <summary>When set, editing is limited to this unit and its descendants.</summary>
    public Guid? UnitId { get; set; }

    /// <summary>Sso memberships are replaced at every sign-in by what the provider's groups give; Manual ones never.</summary>
    public MembershipSource Source { get; set; }

    public int Version { get; set; }
}
