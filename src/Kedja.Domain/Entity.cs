namespace Kedja.Domain;

/// <summary>Every row that belongs to a municipality carries its tenant; the key is (TenantId, Id).</summary>
public interface ITenantOwned
{
    Guid TenantId { get; set; }
}

/// <summary>
/// A row a tenant owns that is not part of its data (a report job): kept to the tenant like any other, but writing it
/// raises no data version, so held scorecards and results stay valid while reports are ordered and run.
/// </summary>
public interface IOperationalRow : ITenantOwned
{
}

/// <summary>Rows users edit carry a version that is checked and bumped on every update (optimistic concurrency).</summary>
public interface IVersioned
{
    int Version { get; set; }
}

public abstract class TenantEntity : ITenantOwned, IVersioned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; } = Guid.CreateVersion7();

    public int Version { get; set; }
}
