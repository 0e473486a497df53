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
}
