namespace Kedja.Domain.Finance;

/// <summary>
/// How a tenant's finance system maps onto Kedja (issue 16, ADR 47 section 6): which SIE dimension holds the cost
/// centre (ansvar), which codes of it belong to which unit, and which account ranges make which budget line. One row
/// per tenant; the lists are small and always read and written whole, so they are kept as JSON.
/// </summary>
public class FinanceMapping : ITenantOwned, IVersioned
{
    public Guid TenantId { get; set; }

    /// <summary>The SIE dimension number whose objects are the cost centres (1 = kostnadsställe/resultatenhet in the SIE standard).</summary>
    public int Dimension { get; set; } = 1;

    /// <summary>The result accounts: a row on another account (a balance account) is not budget or outcome and is passed over.</summary>
    public int ResultFrom { get; set; } = 3000;

    public int ResultTo { get; set; } = 8999;

    public List<FinanceUnitRange> Units { get; set; } = [];

    /// <summary>Budget lines by account range, in the order they are shown.</summary>
    public List<FinanceAccountRange> Accounts { get; set; } = [];

    public int Version { get; set; }
}

/// <summary>A cost centre code, or a range of codes from <paramref name="From"/> to <paramref name="To"/>, that belongs to a unit.</summary>
public sealed record FinanceUnitRange(string From, string? To, Guid UnitId);

/// <summary>Accounts <paramref name="From"/>–<paramref name="To"/> (inclusive) make the budget line <paramref name="Line"/>.</summary>
public sealed record FinanceAccountRange(int From, int To, string Line);

/// <summary>
/// A unit's budget and outcome on one budget line in one month of a year, as the last finance import left it, in tkr
/// with the finance system's sign: costs positive, revenues negative, so the lines sum to the net cost.
/// </summary>
public class BudgetLineMonth : TenantEntity
{
    public Guid UnitId { get; set; }

    public int Year { get; set; }

    /// <summary>1–12.</summary>
    public int Month { get; set; }

    public required string Line { get; set; }

    public decimal Budget { get; set; }

    public decimal Actual { get; set; }

    /// <summary>The import that last wrote the row.</summary>
    public Guid? ImportId { get; set; }
}
