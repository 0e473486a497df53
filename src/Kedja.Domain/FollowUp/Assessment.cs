namespace Kedja.Domain.FollowUp;

/// <summary>A goal's assessment for a follow-up period: status, motivation, analysis and actions on deviations.</summary>
public class Assessment : TenantEntity
{
    public Guid GoalId { get; set; }

    public Guid PeriodId { get; set; }

    public required string StatusKey { get; set; }

    /// <summary>What the engine suggested when the assessment was saved.</summary>
    public string? SuggestedStatusKey { get; set; }

    /// <summary>True when the status differs from the suggestion: a deviation from the rule, which needs a motivation.</summary>
    public bool DeviatesFromRule { get; set; }

    public string? Motivation { get; set; }

    public string? Analysis { get; set; }

    /// <summary>Actions decided on deviations (åtgärder). They stay open, and are carried into the planning of later years, until closed.</summary>
    public string? Actions { get; set; }

    /// <summary>When the actions were closed; null while they are open.</summary>
    public DateTime? ActionsClosedAt { get; set; }

    public string? ActionsClosedBy { get; set; }

    /// <summary>The assessor says the assessment rests on the indicators' full-year forecasts (issue 16): said with it wherever it is shown.</summary>
    public bool BasedOnForecast { get; set; }

    public required string AssessedBy { get; set; }

    public DateTime AssessedAt { get; set; }
}
