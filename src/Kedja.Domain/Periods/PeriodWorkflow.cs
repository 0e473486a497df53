namespace Kedja.Domain.Periods;

public enum WorkflowAction
{
    /// <summary>The unit marks its follow-up ready (klarmarkerar) and sends it on.</summary>
    Submit,

    /// <summary>The level above, or the controller, approves what the unit sent.</summary>
    Approve,

    /// <summary>The controller locks the follow-up, typically when it has gone to the committee or council.</summary>
    Lock,

    /// <summary>Opens the follow-up for changes again; always needs a reason.</summary>
    Reopen,

    /// <summary>
    /// Starts a correction of a locked follow-up (issue 16): it stays locked and as reported for everyone else, while the
    /// administrator who started it changes what was wrong. Always needs a reason; shown as "Rättad" wherever it is read.
    /// </summary>
    Correct,

    /// <summary>Ends the correction: what was reported is taken again, with the correction's number.</summary>
    FinishCorrection,
}

/// <summary>Who may take a step for a unit.</summary>
public enum WorkflowAuthority
{
    /// <summary>Anyone who may edit the unit's results (the unit itself and everyone above it).</summary>
    Unit,

    /// <summary>Someone whose scope is above the unit, or an administrator: nobody approves their own follow-up.</summary>
    Above,

    /// <summary>Only an administrator of the municipality.</summary>
    Administrator,
}

/// <summary>A step allowed from a state: where it leads and who may take it.</summary>
public readonly record struct WorkflowStep(WorkflowState To, WorkflowAuthority Authority);

/// <summary>
/// The follow-up workflow of one unit in one period: öppen → inskickad → godkänd → låst. Only an open follow-up can be
/// changed; every way back to open needs a reason, so that a reopened report can always be explained.
/// </summary>
public static class PeriodWorkflow
{
    public const int MinimumReasonLength = 5;

    public const string ReasonMissing = "Ange varför uppföljningen öppnas igen.";

    public const string CorrectionReasonMissing = "Ange varför den låsta uppföljningen rättas (minst 5 tecken).";

    /// <summary>The step the action means from the state, or an explanation in Swedish of why it cannot be taken.</summary>
    public static (WorkflowStep? Step, string? Error) Plan(WorkflowState from, WorkflowAction action, string? reason)
    {
        WorkflowStep? step = (from, action) switch
        {
            (WorkflowState.Open, WorkflowAction.Submit) => new(WorkflowState.Submitted, WorkflowAuthority.Unit),
            (WorkflowState.Submitted, WorkflowAction.Approve) => new(WorkflowState.Approved, WorkflowAuthority.Above),
            (not WorkflowState.Locked, WorkflowAction.Lock) => new(WorkflowState.Locked, WorkflowAuthority.Administrator),
            (WorkflowState.Submitted or WorkflowState.Approved, WorkflowAction.Reopen) => new(WorkflowState.Open, WorkflowAuthority.Above),
            (WorkflowState.Locked, WorkflowAction.Reopen) => new(WorkflowState.Open, WorkflowAuthority.Administrator),
            (WorkflowState.Locked, WorkflowAction.Correct or WorkflowAction.FinishCorrection) => new(WorkflowState.Locked, WorkflowAuthority.Administrator),
            _ => null,
        };
        if (step is null)
        {
            return (null, $"Uppföljningen är {Name(from).ToLowerInvariant()} och kan inte {ActionVerb(action)}.");
        }

        if (action == WorkflowAction.Reopen && (reason?.Trim().Length ?? 0) < MinimumReasonLength)
        {
            return (null, ReasonMissing);
        }

        if (action == WorkflowAction.Correct && (reason?.Trim().Length ?? 0) < MinimumReasonLength)
        {
            return (null, CorrectionReasonMissing);
        }

        return (step, null);
    }

    /// <summary>
    /// Four eyes: whoever submitted a unit's follow-up may not approve it, nor lock it before someone else has approved
    /// it, whatever their role. Null when the step may go on, else why not.
    /// </summary>
    public static string? FourEyes(WorkflowState from, WorkflowAction action, bool actorSubmitted) =>
        actorSubmitted && from == WorkflowState.Submitted && action is WorkflowAction.Approve or WorkflowAction.Lock
            ? "Du skickade in uppföljningen och kan inte själv godkänna eller låsa den. Den godkänns av någon annan ovanför enheten."
            : null;

    /// <summary>Outcomes, assessments and activity reports of a unit can only be changed while its follow-up is open.</summary>
    public static bool AllowsChanges(WorkflowState state) => state == WorkflowState.Open;

    public static string Name(WorkflowState state) => state switch
    {
        WorkflowState.Open => "Öppen",
        WorkflowState.Submitted => "Inskickad",
        WorkflowState.Approved => "Godkänd",
        WorkflowState.Locked => "Låst",
        _ => state.ToString(),
    };

    private static string ActionVerb(WorkflowAction action) => action switch
    {
        WorkflowAction.Submit => "skickas in",
        WorkflowAction.Approve => "godkännas",
        WorkflowAction.Lock => "låsas",
        WorkflowAction.Reopen => "öppnas igen",
        WorkflowAction.Correct => "rättas; bara en låst uppföljning rättas",
        WorkflowAction.FinishCorrection => "få en rättelse avslutad; ingen rättelse pågår",
        _ => action.ToString(),
    };

    /// <summary>
    /// The follow-up period in which a result for the given period is reported: the period itself when the calendar has
    /// it, else the shortest one in which the result's period ends. A yearly value belongs to the tertial that closes the
    /// year; a monthly value to the tertial it falls in. Never a forecast period (issue 16): it asks for forecasts only.
    /// </summary>
    public static FollowUpPeriod? ReportedIn(PeriodRef result, IReadOnlyCollection<FollowUpPeriod> calendar) =>
        calendar.FirstOrDefault(p => p.Key == result.Key && p.Kind != PeriodKind.Forecast)
        ?? calendar.Where(p => p.Kind != PeriodKind.Forecast && p.StartDate <= result.End && p.EndDate >= result.End).OrderBy(p => p.EndDate).ThenBy(p => p.StartDate).FirstOrDefault();
}
