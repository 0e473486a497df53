namespace Kedja.Domain.Budget;

/// <summary>A nämnd's budget frame for a year, in thousands of kronor (tkr), with outcome per period.</summary>
public class BudgetFrame : TenantEntity
{
    public Guid UnitId { get; set; }

    public int Year { get; set; }

    public decimal Amount { get; set; }

    public string? Note { get; set; }

    /// <summary>A frame proposed in next year's planning (issue 16): read by no budget page, report or portal until the year is activated.</summary>
    public bool IsDraft { get; set; }

    public List<BudgetOutcome> Outcomes { get; set; } = [];
}

public class BudgetOutcome : TenantEntity
{
    public Guid FrameId { get; set; }

    public required string PeriodKey { get; set; }

    /// <summary>Net cost so far this year, tkr.</summary>
    public decimal Actual { get; set; }

    /// <summary>Forecast for the full year, tkr.</summary>
    public decimal? Forecast { get; set; }

    // Budget in follow-up (issue 16, ADR 47 section 7): the forecast's comment and the deviation's explanation with who gave it and when.

    /// <summary>What the full-year forecast rests on, in the unit's words.</summary>
    public string? ForecastComment { get; set; }

    /// <summary>Why the forecast deviates from the frame (and what is done about it).</summary>
    public string? DeviationExplanation { get; set; }

    /// <summary>Who gave <see cref="DeviationExplanation"/> (the audit actor's name).</summary>
    public string? ExplainedBy { get; set; }

    /// <summary>When <see cref="DeviationExplanation"/> was given, UTC.</summary>
    public DateTime? ExplainedAt { get; set; }
}
