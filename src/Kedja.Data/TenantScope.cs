namespace Kedja.Data;

/// <summary>
/// The tenant the current request or command works in. Set once, from the route's slug after the user's membership
/// is checked, or explicitly by a command. Every query on tenant data is filtered by it and every write is checked against it.
/// </summary>
public sealed class TenantScope
{
    public Guid? TenantId { get; private set; }

    public string? Slug { get; private set; }

    public void Enter(Guid tenantId, string slug)
    {
        if (TenantId is { } current && current != tenantId)
        {
            throw new InvalidOperationException("The tenant scope is already set to another tenant.");
        }

        TenantId = tenantId;
        Slug = slug;
    }
}

/// <summary>Who is making the change, for the audit trail.</summary>
public interface IAuditActor
{
    string Name { get; }
}

public sealed class FixedActor(string name) : IAuditActor
{
    public string Name { get; } = name;
}
