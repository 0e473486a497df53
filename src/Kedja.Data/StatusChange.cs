using Kedja.Domain.Activities;
using Kedja.Domain.Budget;
using Kedja.Domain.Documents;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Goals;
using Kedja.Domain.Indicators;
using Kedja.Domain.Model;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Kedja.Data;

public enum StatusChangeKind
{
    /// <summary>The version changed, but no computed status can have (a membership, an activity, a document).</summary>
    None = 0,

    /// <summary>The goal's own facts changed: its status, and that of every goal it contributes to, may change.</summary>
    Goal = 1,

    /// <summary>The indicator's facts or results changed: it, its goal and everything above may change.</summary>
    Indicator = 2,

    /// <summary>
    /// Something every status may depend on changed (the model, its scale, a period, a unit's kind), or something the
    /// computed results are held with (the models' levels, scale and dimensions, which scorecards are drawn from).
    /// </summary>
    All = 3,
}

/// <summary>
/// What one write of a tenant's data may have changed in its computed statuses, under the data version the write
/// created. A node holding results of an earlier version recomputes only what these rows name (ADR 19); one row per
/// version at least, so that a gap (pruned rows) is seen and answered with a full computation.
/// </summary>
public sealed class StatusChange
{
    public long Id { get; set; }

    public Guid TenantId { get; set; }

    public long Version { get; set; }

    public StatusChangeKind Kind { get; set; }

    public Guid? EntityId { get; set; }

    /// <summary>
    /// What the tracked changes of one SaveChanges may change in computed statuses. Types not named here count as
    /// changing everything, so that a new engine input cannot be missed by forgetting it here.
    /// </summary>
    internal static IEnumerable<(StatusChangeKind Kind, Guid? Id)> Of(EntityEntry entry)
    {
        switch (entry.Entity)
        {
            case Outcome o:
                return [(StatusChangeKind.Indicator, o.IndicatorId)];
            case IndicatorTarget t:
                return [(StatusChangeKind.Indicator, t.IndicatorId)];
            case Indicator i:
                // Moved to another goal: both goals' statuses change.
                return [(StatusChangeKind.Indicator, i.Id), .. Goals(entry, nameof(Indicator.GoalId))];
            case Assessment:
                return Goals(entry, nameof(Assessment.GoalId));
            case GoalLink:
                return Goals(entry, nameof(GoalLink.ParentGoalId));
            case Goal g:
                // A removed goal's links go with it in the database, unseen here: the goals it contributed to cannot be
                // named, so everything is computed again (removing a goal is rare; it is refused once followed up). Its
                // years decide whether it and its indicators are public at all (the published view), which a goal's
                // name alone does not say to what is held of its indicators (the portal's search rows).
                return entry.State == EntityState.Deleted
                    || (entry.State == EntityState.Modified && (entry.Property(nameof(Goal.ModelId)).IsModified
                        || entry.Property(nameof(Goal.ValidFromYear)).IsModified || entry.Property(nameof(Goal.ValidToYear)).IsModified))
                    ? [(StatusChangeKind.All, null)]
                    : [(StatusChangeKind.Goal, g.Id)];
            case OrgUnit:
                // A unit's kind decides whether its goals are followed up in a period (cadence overrides).
                return entry.State == EntityState.Modified && entry.Property(nameof(OrgUnit.Kind)).IsModified
                    ? [(StatusChangeKind.All, null)] : [];
            case OwnershipPeriod p:
                // Reorganisations (ADR 47 section 5): who owns a goal at a period's end decides its unit's kind (cadence)
                // and what is held of it; an indicator's owner decides on which unit's card its own results stand.
                return [(p.EntityKind == OwnedKind.Goal ? StatusChangeKind.Goal : StatusChangeKind.Indicator, p.EntityId)];
            case Reorganisation or ReorganisationStep or ReorganisationMapping or OrgUnitVersion:
                // Plans, mappings and the units' names and parents of the past compute nothing: owners change only through ownership rows.
            case IndicatorForecast:
                // A forecast never changes a computed status: its own status is computed where it is read (ADR 47).
                return [];
            case GoverningDocument or DocumentGoalLink or Strategy or BudgetFrame or BudgetOutcome or Activity
                or ActivityComment or ReportSnapshot or Domain.Reports.TenantReportTemplate or OutcomeRevision or UnitService or TenantMembership or UnitPeriodStatus or Program
                or Domain.InternalControl.RiskSettings or Domain.InternalControl.Risk or Domain.InternalControl.RiskAssessment or Domain.InternalControl.ControlPlan
                or Domain.InternalControl.ControlPlanRisk or Domain.InternalControl.ControlAction or Domain.InternalControl.ControlResult
                or Domain.InternalControl.ControlMeasure or Domain.Assignments.Assignment or Domain.Assignments.AssignmentReport or Domain.Assignments.AssignmentGoalLink
                or Domain.Finance.FinanceMapping or Domain.Finance.BudgetLineMonth
                or Domain.Planning.PlanningYear or Domain.Planning.PlanningChoice:
                return [];
            case LockedScorecard or Correction:
                // Closed years (h145): what was reported is read beside the statuses, never an input to them.
                return [];
            default:
                return [(StatusChangeKind.All, null)];
        }
    }

    /// <summary>The goal a row names now and, when the write moved it, the goal it named before.</summary>
    private static IEnumerable<(StatusChangeKind, Guid?)> Goals(EntityEntry entry, string property)
    {
        var value = entry.Property(property);
        foreach (var id in new[] { value.CurrentValue as Guid?, entry.State == EntityState.Added ? null : value.OriginalValue as Guid? }.Distinct())
        {
            if (id is { } goal)
            {
                yield return (StatusChangeKind.Goal, goal);
            }
        }
    }
}
