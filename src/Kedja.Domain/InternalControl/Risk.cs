namespace Kedja.Domain.InternalControl;

/// <summary>
/// How a municipality assesses risks (ADR 46): the steps of likelihood and consequence with their Swedish labels, the
/// colour bands of the risk value, its categories and the value from which a risk is proposed for the control plan.
/// One row per tenant; a tenant without one uses <see cref="RiskScale.Default"/>.
/// </summary>
public class RiskSettings : ITenantOwned, IVersioned
{
    public Guid TenantId { get; set; }

    /// <summary>Sannolikhet, lowest first: step n is value n (1-based).</summary>
    public List<string> LikelihoodLabels { get; set; } = [];

    /// <summary>Konsekvens, lowest first.</summary>
    public List<string> ConsequenceLabels { get; set; } = [];

    /// <summary>The colour bands, by the lowest risk value each starts at; the first starts at 1.</summary>
    public List<RiskBand> Bands { get; set; } = [];

    /// <summary>The categories a risk may have (omvärld, verksamhet, ...), in the order they are offered.</summary>
    public List<string> Categories { get; set; } = [];

    /// <summary>Risks whose value (after existing controls, when assessed) reaches this are proposed for the plan.</summary>
    public int PlanThreshold { get; set; }

    public int Version { get; set; }
}

/// <summary>A band of risk values from <paramref name="MinValue"/> up to the next band: its name and colour (#rrggbb).</summary>
public sealed record RiskBand(int MinValue, string Name, string Colour);

/// <summary>
/// A risk in a unit's register (committee, department or unit). It stays in the register from <see cref="FirstYear"/>
/// until <see cref="LastYear"/>; each year it is assessed again, and the earlier assessments are kept.
/// </summary>
public class Risk : TenantEntity
{
    /// <summary>The risk's number within the municipality, shown in the matrix cells ("7"); never reused.</summary>
    public int Number { get; set; }

    public Guid UnitId { get; set; }

    public required string Title { get; set; }

    public string? Description { get; set; }

    /// <summary>One of the tenant's categories when it was chosen (a renamed category keeps old risks' name).</summary>
    public string? Category { get; set; }

    /// <summary>The process the risk concerns ("Inköp", "Löneutbetalning").</summary>
    public string? Process { get; set; }

    /// <summary>Who owns the risk (a person or a role: "Ekonomichef").</summary>
    public string? Owner { get; set; }

    public int FirstYear { get; set; }

    /// <summary>The last year the risk is in the register; null while it still is.</summary>
    public int? LastYear { get; set; }

    public List<RiskAssessment> Assessments { get; set; } = [];
}

/// <summary>
/// A risk as assessed for one year: likelihood and consequence before existing controls (brutto), the controls that
/// exist, and likelihood and consequence after them (netto) when assessed.
/// </summary>
public class RiskAssessment : TenantEntity
{
    public Guid RiskId { get; set; }

    public int Year { get; set; }

    public int Likelihood { get; set; }

    public int Consequence { get; set; }

    /// <summary>The controls that already exist and lower the risk.</summary>
    public string? ExistingControls { get; set; }

    public int? LikelihoodAfter { get; set; }

    public int? ConsequenceAfter { get; set; }

    /// <summary>Why the risk was assessed so (motivering).</summary>
    public string? Reasoning { get; set; }

    public required string AssessedBy { get; set; }

    public DateTime AssessedAt { get; set; }

    /// <summary>The value before existing controls.</summary>
    public int ValueBefore => Likelihood * Consequence;

    /// <summary>The value after existing controls, or null when not assessed.</summary>
    public int? ValueAfter => LikelihoodAfter is { } l && ConsequenceAfter is { } c ? l * c : null;

    /// <summary>The value that counts for the matrix and the plan: after existing controls when assessed, else before.</summary>
    public int Value => ValueAfter ?? ValueBefore;
}
