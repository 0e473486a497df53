using Kedja.Data;
using Kedja.Domain.Periods;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Imports;

/// <summary>A downloadable template: its file name and the .xlsx bytes.</summary>
public sealed record ImportTemplateFile(string FileName, byte[] Content);

/// <summary>
/// The Excel template a person fills in: one row per indicator of the unit and the units below it that they may edit,
/// and per period of the year the indicator is measured in, with the values already recorded, so that the file they
/// send back changes only what they typed.
/// </summary>
public sealed class ImportTemplates(KedjaDbContext db, TenantContext tenant, TimeProvider clock)
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public async Task<ServiceResult<ImportTemplateFile>> BuildAsync(Guid? unitId, int? year, CancellationToken cancellationToken = default)
    {
        var units = await db.Units.AsNoTracking().Select(u => new { u.Id, u.ParentId, u.Name, u.SortOrder }).ToListAsync(cancellationToken);
        var root = unitId ?? tenant.UnitScope ?? units.FirstOrDefault(u => u.ParentId == null)?.Id;
        if (root is not { } top || units.All(u => u.Id != top))
        {
            return ServiceError.NotFound("Enheten finns inte.");
        }

        var allowed = await UnitScope.AllowsManyAsync(tenant, db, cancellationToken);
        if (!allowed(top))
        {
            return ServiceError.Forbidden("Du får bara hämta mallen för din egen enhet och enheterna under den.");
        }

        var calendarYears = (await db.Periods.AsNoTracking().Select(p => p.Key).ToListAsync(cancellationToken))
            .Select(k => PeriodRef.TryParse(k, out var p) ? p.Year : 0).Where(y => y > 0).Distinct().Order().ToList();
        var chosen = year ?? (calendarYears.Contains(clock.GetLocalNow().Year) ? clock.GetLocalNow().Year : calendarYears.LastOrDefault());
        if (!calendarYears.Contains(chosen))
        {
            return ServiceError.Invalid("year", calendarYears.Count == 0
                ? "Kommunen har ingen uppföljningskalender ännu."
                : $"Året {chosen} finns inte i uppföljningskalendern, som omfattar {calendarYears.First()}–{calendarYears.Last()}.");
        }

        // The unit and every unit below it, in the organisation's order, that the person may edit.
        var children = units.ToLookup(u => u.ParentId);
        var order = new List<Guid>();
        void Walk(Guid id)
        {
            order.Add(id);
            foreach (var child in children[id].OrderBy(u => u.SortOrder).ThenBy(u => u.Name, StringComparer.CurrentCulture))
            {
                Walk(child.Id);
            }
        }

        Walk(top);
        var editable = order.Where(allowed).ToList();
        var names = units.ToDictionary(u => u.Id, u => u.Name);
        var position = editable.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var indicators = (await db.Indicators.AsNoTracking().Where(i => editable.Contains(i.OwnerUnitId)).ToListAsync(cancellationToken))
            .OrderBy(i => position[i.OwnerUnitId]).ThenBy(i => i.SortOrder).ThenBy(i => i.Name, StringComparer.CurrentCulture).ToList();
        var ids = indicators.Select(i => i.Id).ToList();
        var prefix = $"{chosen:D4}";
        var outcomes = (await db.Outcomes.AsNoTracking().Where(o => ids.Contains(o.IndicatorId) && o.PeriodKey.StartsWith(prefix)).ToListAsync(cancellationToken))
            .ToDictionary(o => (o.IndicatorId, o.PeriodKey));
        var targets = (await db.Targets.AsNoTracking().Where(t => ids.Contains(t.IndicatorId) && t.PeriodKey.StartsWith(prefix)).ToListAsync(cancellationToken))
            .ToDictionary(t => (t.IndicatorId, t.PeriodKey));
        var states = await WorkflowGuard.LoadAsync(db, editable, cancellationToken);
        var interimEndMonth = await db.Models.AsNoTracking().Where(m => m.FirstYear <= chosen && m.LastYear >= chosen)
            .Select(m => (int?)m.InterimEndMonth).FirstOrDefaultAsync(cancellationToken) ?? PeriodRef.DefaultInterimEndMonth;
        var rows = new List<TemplateRow>();
        foreach (var indicator in indicators)
        {
            foreach (var period in PeriodsOf(indicator.Periodicity, chosen, interimEndMonth))
            {
                var outcome = outcomes.GetValueOrDefault((indicator.Id, period.Key));
                var target = targets.GetValueOrDefault((indicator.Id, period.Key));
                rows.Add(new TemplateRow(names[indicator.OwnerUnitId], indicator.Name, indicator.Id, period.Key, indicator.UnitOfMeasure, indicator.Decimals,
                    outcome?.Value, outcome?.ValueWomen, outcome?.ValueMen, target?.Value, outcome?.Comment,
                    PeriodWorkflow.Name(states.StateOfResult(indicator.OwnerUnitId, period))));
            }
        }

        using var stream = new MemoryStream();
        ImportTemplate.Write(stream, $"Utfall {chosen} – {names[top]}", rows);
        return new ImportTemplateFile($"Kedja-mall {Safe(names[top])} {chosen}.xlsx", stream.ToArray());
    }

    private static IEnumerable<PeriodRef> PeriodsOf(PeriodKind kind, int year, int interimEndMonth) => kind switch
    {
        PeriodKind.Month => Enumerable.Range(1, 12).Select(m => new PeriodRef(year, kind, m)),
        PeriodKind.Quarter => Enumerable.Range(1, 4).Select(q => new PeriodRef(year, kind, q)),
        PeriodKind.Tertial => Enumerable.Range(1, 3).Select(t => new PeriodRef(year, kind, t)),
        PeriodKind.HalfYear => Enumerable.Range(1, 2).Select(h => new PeriodRef(year, kind, h)),
        PeriodKind.Interim => [PeriodRef.Interim(year, interimEndMonth)],
        _ => [PeriodRef.ForYear(year)],
    };

    private static string Safe(string name) => string.Concat(name.Select(c => Path.GetInvalidFileNameChars().Contains(c) || c is '"' or ';' ? '-' : c));
}
