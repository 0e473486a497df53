using Kedja.Domain.InternalControl;

namespace Kedja.Web.InternalControl;

/// <summary>
/// A municipality's internal control in the tenant document (issue 15, ADR 46): its risk scale, every unit's risk
/// register with the yearly assessments, and the committees' plans with their control actions, results and measures.
/// The same records are what the API gives and takes, so the document and the API say the same.
/// </summary>
public sealed record InternalControlDoc
{
    /// <summary>The risk scale, bands, categories and plan threshold; null for Kedja's default 4 × 4 scale.</summary>
    public RiskSettingsDoc? Settings { get; init; }

    public List<RiskDoc> Risks { get; init; } = [];

    public List<ControlPlanDoc> Plans { get; init; } = [];
}

/// <param name="Likelihood">The likelihood steps' labels, lowest first (2–10 steps).</param>
/// <param name="Consequence">The consequence steps' labels, lowest first (2–10 steps).</param>
/// <param name="Bands">Colour bands by the lowest risk value each starts at; the first starts at 1.</param>
/// <param name="PlanThreshold">Risks whose value reaches this are proposed for the plan.</param>
public record RiskSettingsDoc(List<string> Likelihood, List<string> Consequence, List<RiskBand> Bands, List<string> Categories, int PlanThreshold)
{
    public static RiskSettingsDoc From(RiskSettings s) => new([.. s.LikelihoodLabels], [.. s.ConsequenceLabels], [.. s.Bands], [.. s.Categories], s.PlanThreshold);

    public void ApplyTo(RiskSettings s)
    {
        s.LikelihoodLabels = [.. Likelihood.Select(l => l.Trim())];
        s.ConsequenceLabels = [.. Consequence.Select(c => c.Trim())];
        s.Bands = [.. Bands.OrderBy(b => b.MinValue).Select(b => b with { Name = b.Name.Trim(), Colour = b.Colour.ToLowerInvariant() })];
        s.Categories = [.. Categories.Select(c => c.Trim())];
        s.PlanThreshold = PlanThreshold;
    }
}

/// <remarks>A risk in a unit's register, with its assessment per year. <see cref="Number"/> 0 in a request gives the next free number.</remarks>
public record RiskDoc
{
    public Guid Id { get; init; }

    public int Number { get; init; }

    public Guid UnitId { get; init; }

    public required string Title { get; init; }

    public string? Description { get; init; }

    public string? Category { get; init; }

    public string? Process { get; init; }

    public string? Owner { get; init; }

    public int FirstYear { get; init; }

    public int? LastYear { get; init; }

    public List<RiskAssessmentDoc> Assessments { get; init; } = [];
}

/// <param name="LikelihoodAfter">After existing controls; given together with <paramref name="ConsequenceAfter"/> or not at all.</param>
public sealed record RiskAssessmentDoc(int Year, int Likelihood, int Consequence, string? ExistingControls, int? LikelihoodAfter, int? ConsequenceAfter,
    string? Reasoning, string AssessedBy, DateTime AssessedAt);

/// <remarks>A committee's plan for a year; its risks by id and its control actions with their results and measures.</remarks>
public record ControlPlanDoc
{
    public Guid Id { get; init; }

    public Guid UnitId { get; init; }

    public int Year { get; init; }

    public ControlPlanStatus Status { get; init; }

    public DateOnly? DecidedOn { get; init; }

    public string? DecisionParagraph { get; init; }

    public string? ChangeReason { get; init; }

    public string? Description { get; init; }

    public List<Guid> RiskIds { get; init; } = [];

    public List<ControlActionDoc> Actions { get; init; } = [];
}

public record ControlActionDoc
{
    public Guid Id { get; init; }

    public Guid? RiskId { get; init; }

    public required string Title { get; init; }

    public required string Method { get; init; }

    public string? Scope { get; init; }

    public Guid ResponsibleUnitId { get; init; }

    public string? ResponsiblePerson { get; init; }

    /// <summary>The follow-up period ("2026-T2") in which it is checked and reported.</summary>
    public required string PeriodKey { get; init; }

    public string? ReportTo { get; init; }

    public int SortOrder { get; init; }

    public List<ControlResultDoc> Results { get; init; } = [];

    public List<ControlMeasureDoc> Measures { get; init; } = [];
}

public record ControlResultDoc(string PeriodKey, ControlOutcome Outcome, string? Findings, string? Reason, string WrittenBy, DateTime WrittenAt);

public record ControlMeasureDoc(Guid Id, string? PeriodKey, string Text, string? Owner, DateOnly? Deadline, MeasureStatus Status, DateOnly? DoneOn);
