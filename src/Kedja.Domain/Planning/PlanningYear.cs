namespace Kedja.Domain.Planning;

public enum PlanningYearState
{
    /// <summary>Being planned: nothing of it is followed up, public or in the reports of the year before.</summary>
    Draft,

    /// <summary>Activated: its follow-up periods and chosen changes are written.</summary>
    Active,

    /// <summary>Thrown away before activation.</summary>
    Discarded,
}

/// <summary>
/// The planning of next year beside the year followed up (issue 16, ADR 47 §3): one per tenant and year, opened by an
/// administrator, holding the choices made (<see cref="PlanningChoice"/>) until activation writes them.
/// </summary>
public class PlanningYear : TenantEntity
{
    public int Year { get; set; }

    public PlanningYearState State { get; set; }

    /// <summary>The model the year is planned in: the one that governs the year before.</summary>
    public Guid ModelId { get; set; }

    public required string OpenedBy { get; set; }

    public DateTime OpenedAt { get; set; }

    public string? ActivatedBy { get; set; }

    public DateTime? ActivatedAt { get; set; }

    public string? UndoneBy { get; set; }

    public DateTime? UndoneAt { get; set; }

    public List<PlanningChoice> Choices { get; set; } = [];
}

public enum PlanningChoiceKind
{
    /// <summary>The model's last year moved to the planned year.</summary>
    ModelExtend,

    /// <summary>A goal that ends in the year before made valid in the planned year.</summary>
    GoalExtend,

    /// <summary>An indicator's target for the planned year, as accepted.</summary>
    Target,

    /// <summary>An unfinished activity carried: its end moved to the planned year's end.</summary>
    Activity,

    /// <summary>A control action of the year before, copied into the unit's proposed control plan for the planned year.</summary>
    ControlAction,

    /// <summary>A unit's budget frame for the planned year: a draft frame until activation.</summary>
    BudgetFrame,

    /// <summary>Written by activation only: a follow-up period of the planned year it created.</summary>
    Period,

    /// <summary>Written by activation only: a control plan (status förslag) it created for the planned year.</summary>
    ControlPlan,
}

/// <summary>
/// One thing a person chose for the planned year, and once activated what activation wrote for it: the row it created
/// (<see cref="CreatedId"/>) or the values it replaced (<see cref="Previous"/>), so that undo reverses exactly that.
/// </summary>
public class PlanningChoice : TenantEntity
{
    public Guid PlanningYearId { get; set; }

    public PlanningChoiceKind Kind { get; set; }

    /// <summary>What the choice is about: the model, goal, indicator, activity, control action, or the unit of a budget frame.</summary>
    public Guid EntityId { get; set; }

    public decimal? Value { get; set; }

    public decimal? Min { get; set; }

    public decimal? Max { get; set; }

    /// <summary>Where an accepted target came from ("LastTarget", "Trend", "Manual"), or a note on a budget frame.</summary>
    public string? Note { get; set; }

    public Guid? CreatedId { get; set; }

    /// <summary>The values activation replaced, as JSON; null when it created a row instead.</summary>
    public string? Previous { get; set; }

    public bool Applied { get; set; }
}
