using Kedja.Data;
using Kedja.Domain;
using Kedja.Domain.Finance;
using Kedja.Web.Imports.Finance;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Exchange;

/// <summary>The finance system in the tenant document (issue 16): its mapping, and the monthly budget lines the finance imports left.</summary>
public sealed record FinanceDoc
{
    /// <summary>The mapping of the finance system; none until an administrator saves one (the import then proposes Kommun-Bas).</summary>
    public FinanceMappingDoc? Mapping { get; init; }

    /// <summary>Each unit's budget and outcome per budget line and month, tkr (costs positive, revenues negative).</summary>
    public List<BudgetLineMonthDoc> Lines { get; init; } = [];
}

/// <summary>The SIE dimension of the cost centre, the result accounts, cost centre codes to units and account ranges to budget lines, as <c>GET /finance/mapping</c> gives them.</summary>
public sealed record FinanceMappingDoc(int Dimension, int ResultFrom, int ResultTo, List<FinanceUnitRange> Units, List<FinanceAccountRange> Accounts);

/// <summary>A unit's budget and outcome on one budget line in one month (1–12) of a year.</summary>
public sealed record BudgetLineMonthDoc(Guid UnitId, int Year, int Month, string Line, decimal Budget, decimal Actual);

/// <summary>
/// The finance mapping and budget lines in the tenant document (ADR 47 section 6): the mapping checked by the rules of
/// <see cref="FinanceMappings"/>, the lines as a finance import writes them (a unit of the document, a month, a named
/// line, once each). The import log the lines point at stays behind, so they come without it.
/// </summary>
public static class FinanceSection
{
    private const string Path = "$.finance";

    public static async Task<FinanceDoc> ExportAsync(KedjaDbContext db, CancellationToken cancellationToken)
    {
        var mapping = await db.FinanceMappings.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        var lines = await db.BudgetLineMonths.AsNoTracking().ToListAsync(cancellationToken);
        return new FinanceDoc
        {
            Mapping = mapping is null ? null : new FinanceMappingDoc(mapping.Dimension, mapping.ResultFrom, mapping.ResultTo, [.. mapping.Units], [.. mapping.Accounts]),
            Lines = [.. lines.OrderBy(l => TenantExporter.Key(l.UnitId)).ThenBy(l => l.Year).ThenBy(l => l.Line, StringComparer.Ordinal).ThenBy(l => l.Month)
                .Select(l => new BudgetLineMonthDoc(l.UnitId, l.Year, l.Month, l.Line, DocumentNumbers.Normal(l.Budget), DocumentNumbers.Normal(l.Actual)))],
        };
    }

    /// <summary>Every error of the section with its path; units are looked up in the document.</summary>
    public static void Validate(ValidationErrors e, FinanceDoc? doc, IReadOnlySet<Guid> units)
    {
        if (doc is null)
        {
            e.Add(Path, "Ekonomidelen saknas. Utelämna den hellre: då har kommunen ingen koppling till ekonomisystemet.");
            return;
        }

        if (doc.Mapping is { } m)
        {
            FinanceMappings.Check(e, $"{Path}.mapping", Dto(m), units.Contains);
        }

        var seen = new HashSet<(Guid, int, string, int)>();
        for (var i = 0; i < doc.Lines.Count; i++)
        {
            var l = doc.Lines[i];
            var at = $"{Path}.lines[{i}]";
            if (!units.Contains(l.UnitId))
            {
                e.Add($"{at}.unitId", $"Enheten {l.UnitId} finns inte.");
            }

            e.Year($"{at}.year", l.Year);
            if (l.Month is < 1 or > 12)
            {
                e.Add($"{at}.month", "Månaden anges med 1 (januari) till 12 (december).");
            }

            e.Required($"{at}.line", l.Line, "Budgetradens namn", 100);
            e.Value($"{at}.budget", l.Budget);
            e.Value($"{at}.actual", l.Actual);
            if (Years.Contains(l.Year) && l.Month is >= 1 and <= 12 && !string.IsNullOrWhiteSpace(l.Line) && !seen.Add((l.UnitId, l.Year, l.Line.Trim(), l.Month)))
            {
                e.Add($"{at}.line", $"Budgetraden '{l.Line.Trim()}' för månad {l.Month} {l.Year} finns redan för enheten.");
            }
        }
    }

    /// <summary>Adds the mapping as the rules store it and the lines as the document gives them.</summary>
    public static void Add(KedjaDbContext db, FinanceDoc doc)
    {
        if (doc.Mapping is { } m)
        {
            var (units, accounts) = FinanceMappings.Check(new(), "", Dto(m), _ => true);
            db.FinanceMappings.Add(new FinanceMapping { Dimension = m.Dimension, ResultFrom = m.ResultFrom, ResultTo = m.ResultTo, Units = units, Accounts = accounts });
        }

        db.BudgetLineMonths.AddRange(doc.Lines.Select(l => new BudgetLineMonth
        {
            UnitId = l.UnitId, Year = l.Year, Month = l.Month, Line = l.Line.Trim(), Budget = l.Budget, Actual = l.Actual,
        }));
    }

    private static FinanceMappingDto Dto(FinanceMappingDoc m) => new(m.Dimension, m.ResultFrom, m.ResultTo, m.Units ?? [], m.Accounts ?? [], null);
}
