namespace Kedja.Domain.Documents;

public enum DocumentKind
{
    Policy,
    Plan,
    Guideline,
    Program,
    Budget,
}

/// <summary>A policy, plan, riktlinje, program or budget KF steers with (Heby), linked to the goals it bears on.</summary>
public class GoverningDocument : TenantEntity
{
    public DocumentKind Kind { get; set; }

    public required string Title { get; set; }

    public string? Description { get; set; }

    public Guid? DecidedByUnitId { get; set; }

    public DateOnly? DecidedOn { get; set; }

    public DateOnly? ValidFrom { get; set; }

    public DateOnly? ValidTo { get; set; }

    public string? Url { get; set; }
}

/// <summary>The document bears on the goal.</summary>
public class DocumentGoalLink : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid DocumentId { get; set; }

    public Guid GoalId { get; set; }
}

public static class DocumentKindNames
{
    public static string Swedish(DocumentKind kind) => kind switch
    {
        DocumentKind.Policy => "Policy",
        DocumentKind.Plan => "Plan",
        DocumentKind.Guideline => "Riktlinje",
        DocumentKind.Program => "Program",
        DocumentKind.Budget => "Budget",
        _ => kind.ToString(),
    };
}
