namespace Kedja.Domain;

/// <summary>Every row that belongs to a municipality carries its tenant; the key is (TenantId, Id).</summary>
public interface ITenantOwned
{
    Guid TenantId { get; set; }
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
