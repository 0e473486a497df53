using Kedja.Data;
using Kedja.Domain.Model;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Periods;

/// <summary>A period to add to the follow-up calendar: a month or a forecast-only period (prognostillfälle).</summary>
/// <param name="Kind">"month" or "forecast".</param>
/// <param name="Month">1–12 for a month, 1–11 for a forecast (December's forecast is the annual report).</param>
/// <param name="Deadline">The last day to report; without it, the same distance after the period's end as the nearest period of the calendar.</param>
public sealed record NewPeriodInput(string? Kind, int? Year, int? Month, DateOnly? Deadline);

/// <summary>The month a model's delår ends with, and the model's version it changes.</summary>
public sealed record InterimMonthInput(int? InterimEndMonth, int? Version);

/// <summary>What choosing the delår's month did.</summary>
/// <param name="Moved">The delår periods that now end with the chosen month (they held nothing yet), by their new key.</param>
/// <param name="Kept">The delår periods that keep their month because something is already reported in them, with why.</param>
public sealed record InterimMonthResult(Guid ModelId, int InterimEndMonth, int Version, List<string> Moved, List<KeptPeriod> Kept);

public sealed record KeptPeriod(string PeriodKey, string PeriodName, string Reason);

/// <summary>
/// The follow-up calendar as a municipality has it (issue 16, ADR 47 section 1): months and forecast-only periods added
/// to a year and removed while they hold nothing, and the month each model's delår ends with. Administrators only; for
/// the API and the calendar page alike. Every change is audited by SaveChanges and made from the version read.
/// </summary>
/// <remarks>
/// Only periods added here (months, forecasts) can be removed: the others come from the model's cadence, and the annual
/// report and the delår are what the municipality's law-bound reporting rests on. A delår's month is changed by moving
/// the delår periods that hold nothing yet; one that holds something keeps its month, as it was reported.
/// </remarks>
public sealed class CalendarEditing(KedjaDbContext db, TenantContext tenant)
{
    public const string AdminsOnly = "Bara kommunens administratörer kan ändra uppföljningskalendern.";

    /// <summary>Days from a period's end to its deadline when the calendar has no other deadline to follow.</summary>
    public const int DefaultDeadlineDays = 20;

    public const string MonthKind = "month";

    public const string ForecastKind = "forecast";

    /// <summary>What a delår's month must be, for the calendar and the tenant document alike.</summary>
    public static readonly string InterimMonthRule =
        $"Ange månaden delåret slutar med: {PeriodRef.FirstInterimEndMonth} (mars) till {PeriodRef.LastInterimEndMonth} (november).";

    /// <summary>Adds a month or a forecast period to a year of a model; its deadline, and each level's, follow the nearest period's.</summary>
    public async Task<ServiceResult<PeriodDto>> AddAsync(NewPeriodInput input, CancellationToken cancellationToken = default)
    {
        if (!IsAdmin)
        {
            return ServiceError.Forbidden(AdminsOnly);
        }

        var errors = new ValidationErrors();
        var kind = (input.Kind ?? "").Trim().ToLowerInvariant() switch
        {
            MonthKind => PeriodKind.Month,
            ForecastKind => PeriodKind.Forecast,
            _ => (PeriodKind?)null,
        };
        if (kind is null)
        {
            errors.Add("kind", "Ange vilken sorts period du lägger till: month (en månad) eller forecast (ett prognostillfälle).");
        }

        var years = await db.Models.AsNoTracking().Select(m => new { m.FirstYear, m.LastYear }).ToListAsync(cancellationToken);
        if (input.Year is not { } year || !years.Any(m => m.FirstYear <= year && m.LastYear >= year))
        {
            var span = years.Count == 0 ? "Kommunen har ingen styrmodell ännu." : "Styrmodellerna gäller " + string.Join(", ", years.OrderBy(m => m.FirstYear).Select(m => $"{m.FirstYear}–{m.LastYear}")) + ".";
            errors.Add("year", $"Ange ett år som en styrmodell gäller. {span}");
        }

        var last = kind == PeriodKind.Forecast ? PeriodRef.LastForecastMonth : 12;
        if (input.Month is not { } month || month < 1 || month > last)
        {
            errors.Add("month", kind == PeriodKind.Forecast
                ? $"Ange månaden för prognosen: 1 (januari) till {PeriodRef.LastForecastMonth} (november). Decembers prognos är årsbokslutet."
                : "Ange månaden: 1 (januari) till 12 (december).");
        }

        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        var period = new PeriodRef(input.Year!.Value, kind!.Value, input.Month!.Value);
        if (PeriodPublishing.DeadlineError(period, input.Deadline) is { } wrongDeadline)
        {
            errors.Add("deadline", wrongDeadline);
        }

        var calendar = await db.Periods.AsNoTracking().ToListAsync(cancellationToken);
        if (calendar.Any(p => p.Key == period.Key))
        {
            errors.Add("month", $"{period.Label} finns redan i kalendern.");
        }

        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        // Deadlines follow the calendar: the nearest period of the same kind, else of any kind, gives the distance from
        // the period's end to its deadline, and each level's own day (ADR 45) at the same distance.
        var model = calendar.Where(p => p.Deadline is not null)
            .OrderBy(p => p.Kind == period.Kind ? 0 : 1).ThenBy(p => Math.Abs(p.EndDate.DayNumber - period.End.DayNumber)).ThenBy(p => p.Ref).FirstOrDefault();
        var shift = model is null ? 0 : period.End.DayNumber - model.EndDate.DayNumber;
        var added = new FollowUpPeriod
        {
            Key = period.Key,
            Year = period.Year,
            Kind = period.Kind,
            Name = period.Label,
            StartDate = period.Start,
            EndDate = period.End,
            Deadline = input.Deadline ?? (model?.Deadline is { } d ? d.AddDays(shift) : period.End.AddDays(DefaultDeadlineDays)),
        };
        db.Periods.Add(added);
        if (model is not null)
        {
            foreach (var row in await db.PeriodDeadlines.AsNoTracking().Where(r => r.PeriodId == model.Id).ToListAsync(cancellationToken))
            {
                var day = row.DueOn.AddDays(shift);
                if (DeadlineSettings.LevelError(period, row.UnitKind, day) is null)
                {
                    db.PeriodDeadlines.Add(new PeriodDeadline { PeriodId = added.Id, UnitKind = row.UnitKind, DueOn = day });
                }
            }
        }

        if (!await db.TrySaveAsync())
        {
            return ServiceError.Conflict($"{period.Label} har just lagts till av någon annan.");
        }

        return ToDto(added);
    }

    /// <summary>Removes a month or forecast period that holds nothing: no workflow, assessment, outcome, report or control result.</summary>
    public async Task<ServiceResult<Done>> RemoveAsync(string periodKey, int? version, CancellationToken cancellationToken = default)
    {
        if (!IsAdmin)
        {
            return ServiceError.Forbidden(AdminsOnly);
        }

        var found = await FollowUpCalendar.FindAsync(db.Periods, periodKey, cancellationToken);
        if (found.Value is not { } period)
        {
            return found.Error!;
        }

        if (version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToRemove);
        }

        if (period.Kind is not (PeriodKind.Month or PeriodKind.Forecast))
        {
            return ServiceError.Invalid(FollowUpCalendar.Field,
                $"{period.Name} följer styrmodellens kalender och kan inte tas bort. Bara månader och prognostillfällen som lagts till kan tas bort.");
        }

        if (await HoldsAsync(period, cancellationToken) is { Count: > 0 } held)
        {
            return ServiceError.Invalid(FollowUpCalendar.Field, $"{period.Name} kan inte tas bort eftersom den har {Join(held)}.");
        }

        // Each level's own day is removed row by row, so that the audit trail names it; the database would cascade unseen.
        db.PeriodDeadlines.RemoveRange(await db.PeriodDeadlines.Where(r => r.PeriodId == period.Id).ToListAsync(cancellationToken));
        db.ExpectVersion(period, version.Value);
        db.Periods.Remove(period);
        try
        {
            return await db.TrySaveAsync() ? new Done() : ServiceError.Conflict();
        }
        catch (DbUpdateException e) when (!Failover.IsFailover(e))
        {
            // A row of a kind this check does not know yet (a later feature's) still names the period.
            db.ChangeTracker.Clear();
            return ServiceError.Invalid(FollowUpCalendar.Field, $"{period.Name} kan inte tas bort eftersom uppgifter redan hör till den.");
        }
    }

    /// <summary>
    /// Sets the month the model's delår ends with. The delår periods of the model's years that hold nothing yet move to
    /// the month, with their deadlines at the same distance from the new end; those that hold something keep their month.
    /// </summary>
    public async Task<ServiceResult<InterimMonthResult>> SetInterimMonthAsync(Guid modelId, InterimMonthInput input, CancellationToken cancellationToken = default)
    {
        if (!IsAdmin)
        {
            return ServiceError.Forbidden(AdminsOnly);
        }

        var model = await db.Models.SingleOrDefaultAsync(m => m.Id == modelId, cancellationToken);
        if (model is null)
        {
            return ServiceError.NotFound("Styrmodellen finns inte.");
        }

        var errors = new ValidationErrors();
        if (input.InterimEndMonth is not { } month || !PeriodRef.IsInterimEndMonth(month))
        {
            errors.Add("interimEndMonth", InterimMonthRule);
        }

        if (input.Version is null)
        {
            errors.Add("version", ServiceError.VersionToChange);
        }

        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        var chosen = input.InterimEndMonth!.Value;
        var calendar = await db.Periods.ToListAsync(cancellationToken);
        var keys = calendar.Select(p => p.Key).ToHashSet();
        var moved = new List<string>();
        var kept = new List<KeptPeriod>();
        foreach (var period in calendar.Where(p => p.Kind == PeriodKind.Interim && p.Year >= model.FirstYear && p.Year <= model.LastYear && p.Ref.Number != chosen)
                     .OrderBy(p => p.Ref))
        {
            var to = PeriodRef.Interim(period.Year, chosen);
            if (await HoldsAsync(period, cancellationToken) is { Count: > 0 } held)
            {
                kept.Add(new KeptPeriod(period.Key, period.Name, $"{period.Name} har {Join(held)} och behåller sin månad."));
                continue;
            }

            if (keys.Contains(to.Key))
            {
                kept.Add(new KeptPeriod(period.Key, period.Name, $"{to.Label} finns redan i kalendern."));
                continue;
            }

            var shift = to.End.DayNumber - period.EndDate.DayNumber;
            keys.Remove(period.Key);
            keys.Add(to.Key);
            period.Key = to.Key;
            period.Name = to.Label;
            period.EndDate = to.End;
            period.Deadline = period.Deadline?.AddDays(shift);
            foreach (var row in await db.PeriodDeadlines.Where(r => r.PeriodId == period.Id).ToListAsync(cancellationToken))
            {
                row.DueOn = row.DueOn.AddDays(shift);
            }

            moved.Add(to.Key);
        }

        db.ExpectVersion(model, input.Version!.Value);
        model.InterimEndMonth = chosen;
        if (!await db.TrySaveAsync())
        {
            return ServiceError.Conflict();
        }

        return new InterimMonthResult(model.Id, model.InterimEndMonth, model.Version, moved, kept);
    }

    /// <summary>The month the model's delår ends with; null when there is no such model.</summary>
    public async Task<int?> InterimEndMonthAsync(Guid modelId, CancellationToken cancellationToken = default) =>
        await db.Models.AsNoTracking().Where(m => m.Id == modelId).Select(m => (int?)m.InterimEndMonth).SingleOrDefaultAsync(cancellationToken);

    /// <summary>What the period holds, in Swedish, for the reason a change is refused; empty when it holds nothing.</summary>
    public Task<List<string>> HoldsAsync(FollowUpPeriod period, CancellationToken cancellationToken = default) => HoldsAsync(db, period, null, cancellationToken);

    /// <summary>
    /// What the period holds, for every feature that removes or moves a period (the calendar, planning's undo), so that
    /// each knows the same rows; <paramref name="own"/> names what the caller wrote itself and removes with the period.
    /// </summary>
    public static async Task<List<string>> HoldsAsync(KedjaDbContext db, FollowUpPeriod period, OwnRows? own, CancellationToken cancellationToken = default)
    {
        var (id, key) = (period.Id, period.Key);
        var ownActions = own?.ControlActions ?? [];
        var held = new List<string>();
        void Has(bool any, string what)
        {
            if (any)
            {
                held.Add(what);
            }
        }

        Has(period.IsPublished, "publicerats");
        Has(await db.UnitPeriodStatuses.AnyAsync(s => s.PeriodId == id, cancellationToken), "rapportering från enheter");
        Has(await db.Assessments.AnyAsync(a => a.PeriodId == id, cancellationToken), "bedömningar av mål");
        Has(await db.Outcomes.AnyAsync(o => o.PeriodKey == key, cancellationToken), "utfall");
        Has(own is not { IgnoreTargets: true } && await db.Targets.AnyAsync(t => t.PeriodKey == key, cancellationToken), "målvärden");
        Has(await db.IndicatorForecasts.AnyAsync(f => f.PeriodId == id, cancellationToken), "prognoser för mått");
        Has(await db.LockedScorecards.AnyAsync(s => s.PeriodId == id, cancellationToken)
            || await db.Corrections.AnyAsync(c => c.PeriodId == id, cancellationToken), "låsta styrkort");
        Has(await db.BudgetOutcomes.AnyAsync(b => b.PeriodKey == key, cancellationToken), "budgetutfall eller budgetprognoser");
        Has(await db.ActivityComments.AnyAsync(c => c.PeriodId == id, cancellationToken), "rapporter om aktiviteter");
        Has(await db.ReportSnapshots.AnyAsync(r => r.PeriodId == id, cancellationToken)
            || await db.ReportJobs.AnyAsync(j => j.PeriodKey == key, cancellationToken), "rapporter");
        Has(await db.ControlActions.AnyAsync(a => a.PeriodId == id && !ownActions.Contains(a.Id), cancellationToken)
            || await db.ControlResults.AnyAsync(r => r.PeriodId == id, cancellationToken)
            || await db.ControlMeasures.AnyAsync(m => m.PeriodId == id, cancellationToken), "intern kontroll");
        Has(await db.Assignments.AnyAsync(a => a.DuePeriodId == id, cancellationToken)
            || await db.AssignmentReports.AnyAsync(r => r.PeriodId == id, cancellationToken), "uppdrag");
        return held;
    }

    /// <summary>Rows the caller wrote in the period itself and removes with it: its control actions, and whether targets are its concern (keyed by text, they outlive the period).</summary>
    public sealed record OwnRows(IReadOnlyCollection<Guid> ControlActions, bool IgnoreTargets);

    internal static string Join(List<string> parts) => parts.Count == 1 ? parts[0] : string.Join(", ", parts[..^1]) + " och " + parts[^1];

    private bool IsAdmin => tenant.IsSystemAdmin || tenant.Role == TenantRole.Admin;

    internal static PeriodDto ToDto(FollowUpPeriod p) =>
        new(p.Id, p.Key, p.Name, p.StartDate, p.EndDate, p.Deadline, p.IsPublished, p.PublishedAt, p.PublishedBy, p.Version);
}
