namespace Kedja.Domain.Tenancy;

/// <summary>A municipality. One installation serves many.</summary>
public class Tenant : IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>URL name, e.g. "exempelkommun".</summary>
    public required string Slug { get; set; }

    public required string Name { get; set; }

    /// <summary>Four-digit municipality code (kommunkod), e.g. "1780".</summary>
    public string? Kommunkod { get; set; }

    /// <summary>Set by whoever creates the tenant, from the app's clock (TimeProvider), so tests can move it.</summary>
    public required DateTime CreatedAt { get; set; }

    public int Version { get; set; }

    /// <summary>Bumped on every change to data the follow-up engine reads; computed statuses are cached per value.</summary>
    public long DataVersion { get; set; }
}
