using Kedja.Domain.Assignments;

namespace Kedja.Web.Assignments;

/// <remarks>
/// An assignment (uppdrag) as the tenant document and the API describe it (issue 15, ADR 46), its reports by period.
/// <see cref="Number"/> 0 in a request gives the next free number.
/// </remarks>
public record AssignmentDoc
{
    public Guid Id { get; init; }

    public int Number { get; init; }

    public required string Title { get; init; }

    public required string Text { get; init; }

    public AssignmentGiver Giver { get; init; }

    public Guid? GiverUnitId { get; init; }

    public DateOnly DecidedOn { get; init; }

    public string? DecisionParagraph { get; init; }

    public Guid ResponsibleUnitId { get; init; }

    public DateOnly? DueDate { get; init; }

    /// <summary>Due by the end of this follow-up period ("2026-T3") when <see cref="DueDate"/> is not given.</summary>
    public string? DuePeriodKey { get; init; }

    public AssignmentStatus Status { get; init; }

    public string? StatusReason { get; init; }

    public DateOnly? ClosedOn { get; init; }

    public string? ClosedBy { get; init; }

    public List<Guid> GoalIds { get; init; } = [];

    public List<AssignmentReportDoc> Reports { get; init; } = [];
}

public sealed record AssignmentReportDoc(string PeriodKey, string Text, AssignmentStatus Status, string WrittenBy, DateTime WrittenAt);
