using Kedja.Data;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Periods;

/// <summary>One level's deadline in a period.</summary>
/// <param name="DueOn">The level's own day; null when it has the period's deadline.</param>
/// <param name="UnitKindName">Read only: the level in Swedish.</param>
/// <param name="Effective">Read only: the day the level is due, its own or the period's.</param>
public sealed record LevelDeadline(UnitKind? UnitKind, DateOnly? DueOn, string? UnitKindName = null, DateOnly? Effective = null);

/// <summary>
/// A period's deadlines per level: what <c>GET /periods/{key}/deadlines</c> gives and <c>PUT</c> takes back. On PUT the
/// period's key, name and dates are read from the address, and the listed levels replace the levels' own days.
/// </summary>
/// <param name="Deadline">The period's deadline: the day of every level without one of its own.</param>
/// <param name="Version">The period's version; every saved change of its deadlines raises it.</param>
public sealed record PeriodDeadlines(string? PeriodKey, string? PeriodName, DateOnly? StartDate, DateOnly? EndDate, DateOnly? Deadline, List<LevelDeadline>? Levels, int? Version);

/// <summary>Deadlines proposed from the same period the year before, at the same distance from the period's end; nothing is saved.</summary>
public sealed record DeadlineProposal(string FromPeriodKey, string FromPeriodName, DateOnly? Deadline, List<LevelDeadline> Levels);

/// <summary>How many days before a deadline the reminder goes out (0 for on the day); with the tenant's version.</summary>
public sealed record ReminderDaysSetting(int? ReminderDaysBefore, int? Version);

/// <summary>
/// Setting a period's deadlines per level and the municipality's reminder day (ADR 45), for the API, the page and the
/// tenant document alike. Administrators only; changed from the version read; every change is in the audit trail (the
/// rows and the period's version).
/// </summary>
public sealed class DeadlineSettings(KedjaDbContext db, TenantContext tenant)
{
    public const string AdminsOnly = "Bara kommunens administratörer kan ändra sista dagarna och påminnelserna.";

    public const int MaxReminderDays = 30;

    /// <summary>
    /// A level's own day lies on or after the period's start (a level may be asked to report before the period ends, as
    /// for a forecast) and within a year after its end, so that a mistyped year is caught; null when it is right.
    /// </summary>
    public static string? LevelError(PeriodRef period, UnitKind kind, DateOnly day) =>
        day < period.Start ? $"{UnitKindNames.Swedish(kind)}: sista dagen kan inte vara före periodens början ({period.Start:yyyy-MM-dd})."
        : day > period.End.AddYears(1) ? $"{UnitKindNames.Swedish(kind)}: sista dagen ska ligga inom ett år efter periodens slut ({period.End:yyyy-MM-dd})."
        : null;

    public async Task<ServiceResult<PeriodDeadlines>> GetAsync(string periodKey, CancellationToken cancellationToken = default)
    {
        var found = await FollowUpCalendar.FindAsync(db.Periods.AsNoTracking(), periodKey, cancellationToken);
        return found.Value is { } period ? await ReadAsync(period, cancellationToken) : found.Error!;
    }

    public async Task<ServiceResult<PeriodDeadlines>> SaveAsync(string periodKey, PeriodDeadlines input, CancellationToken cancellationToken = default)
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

        var errors = new ValidationErrors();
        if (!NullElements.Check(errors, "", input))
        {
            return ServiceError.Invalid(errors);
        }

        if (PeriodPublishing.DeadlineError(period.Ref, input.Deadline) is { } wrong)
        {
            errors.Add("deadline", wrong);
        }

        var wanted = new Dictionary<UnitKind, DateOnly>();
        var seen = new HashSet<UnitKind>();
        var levels = input.Levels ?? [];
        for (var i = 0; i < levels.Count; i++)
        {
            var level = levels[i];
            if (level.UnitKind is not { } kind || !Enum.IsDefined(kind))
            {
                errors.Add($"levels[{i}].unitKind", "Ange vilken nivå sista dagen gäller, till exempel unit, administration eller committee.");
                continue;
            }

            if (!seen.Add(kind))
            {
                errors.Add($"levels[{i}].unitKind", $"{UnitKindNames.Swedish(kind)} förekommer flera gånger.");
                continue;
            }

            if (level.DueOn is { } day)
            {
                if (LevelError(period.Ref, kind, day) is { } bad)
                {
                    errors.Add($"levels[{i}].dueOn", bad);
                }
                else
                {
                    wanted[kind] = day;
                }
            }
        }

        if (input.Version is null)
        {
            errors.Add("version", ServiceError.VersionToChange);
        }

        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        var rows = await db.PeriodDeadlines.Where(d => d.PeriodId == period.Id).ToListAsync(cancellationToken);
        foreach (var row in rows.Where(r => !wanted.ContainsKey(r.UnitKind)))
        {
            db.PeriodDeadlines.Remove(row);
        }

        foreach (var (kind, day) in wanted)
        {
            if (rows.FirstOrDefault(r => r.UnitKind == kind) is { } row)
            {
                row.DueOn = day;
            }
            else
            {
                db.PeriodDeadlines.Add(new PeriodDeadline { PeriodId = period.Id, UnitKind = kind, DueOn = day });
            }
        }

        // The period's version is the version of all its deadlines: written also when only a level's day changed.
        db.ExpectVersion(period, input.Version!.Value);
        period.Deadline = input.Deadline;
        if (!await db.TrySaveAsync())
        {
            return ServiceError.Conflict();
        }

        return await ReadAsync(period, cancellationToken);
    }

    /// <summary>
    /// The deadlines of the same period the year before (T1 2025 for T1 2026), each moved to the same number of days from
    /// this period's end; not found when that period is not in the calendar or had no deadline at all.
    /// </summary>
    public async Task<ServiceResult<DeadlineProposal>> ProposalAsync(string periodKey, CancellationToken cancellationToken = default)
    {
        var found = await FollowUpCalendar.FindAsync(db.Periods.AsNoTracking(), periodKey, cancellationToken);
        if (found.Value is not { } period)
        {
            return found.Error!;
        }

        var before = period.Ref with { Year = period.Ref.Year - 1 };
        var previous = PeriodRef.TryParse(before.Key, out _)
            ? await db.Periods.AsNoTracking().SingleOrDefaultAsync(p => p.Key == before.Key, cancellationToken)
            : null;
        var rows = previous is null ? [] : await db.PeriodDeadlines.AsNoTracking().Where(d => d.PeriodId == previous.Id).OrderBy(d => d.UnitKind).ToListAsync(cancellationToken);
        if (previous is null || (previous.Deadline is null && rows.Count == 0))
        {
            return ServiceError.NotFound($"Det finns inga sista dagar för {before.Label} att utgå från.");
        }

        DateOnly Moved(DateOnly day) => period.EndDate.AddDays(day.DayNumber - previous.EndDate.DayNumber);
        var deadline = previous.Deadline is { } d ? Moved(d) : (DateOnly?)null;
        return new DeadlineProposal(previous.Key, previous.Name, deadline,
            [.. rows.Select(r => new LevelDeadline(r.UnitKind, Moved(r.DueOn), UnitKindNames.Swedish(r.UnitKind), Moved(r.DueOn)))]);
    }

    public async Task<ServiceResult<ReminderDaysSetting>> GetRemindersAsync(CancellationToken cancellationToken = default)
    {
        var row = await db.Tenants.AsNoTracking().Where(t => t.Id == tenant.TenantId).Select(t => new { t.ReminderDaysBefore, t.Version }).SingleOrDefaultAsync(cancellationToken);
        return row is null ? ServiceError.NotFound(TenantAccess.NotFoundMessage) : new ReminderDaysSetting(row.ReminderDaysBefore, row.Version);
    }

    public async Task<ServiceResult<ReminderDaysSetting>> SaveRemindersAsync(ReminderDaysSetting input, CancellationToken cancellationToken = default)
    {
        if (!IsAdmin)
        {
            return ServiceError.Forbidden(AdminsOnly);
        }

        var errors = new ValidationErrors();
        if (input.ReminderDaysBefore is not (>= 0 and <= MaxReminderDays))
        {
            errors.Add("reminderDaysBefore", $"Ange hur många dagar före sista dagen påminnelsen ska skickas: ett heltal från 0 (samma dag) till {MaxReminderDays}.");
        }

        if (input.Version is null)
        {
            errors.Add("version", ServiceError.VersionToChange);
        }

        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        var row = await db.Tenants.SingleOrDefaultAsync(t => t.Id == tenant.TenantId, cancellationToken);
        if (row is null)
        {
            return ServiceError.NotFound(TenantAccess.NotFoundMessage);
        }

        db.ExpectVersion(row, input.Version!.Value);
        row.ReminderDaysBefore = input.ReminderDaysBefore!.Value;
        return await db.TrySaveAsync() ? new ReminderDaysSetting(row.ReminderDaysBefore, row.Version) : ServiceError.Conflict();
    }

    private bool IsAdmin => tenant.IsSystemAdmin || tenant.Role == TenantRole.Admin;

    /// <summary>The levels the organisation has (active units), and any other level that has a day of its own.</summary>
    private async Task<PeriodDeadlines> ReadAsync(FollowUpPeriod period, CancellationToken cancellationToken)
    {
        var rows = await db.PeriodDeadlines.AsNoTracking().Where(d => d.PeriodId == period.Id).ToListAsync(cancellationToken);
        var kinds = (await db.Units.AsNoTracking().Where(u => u.IsActive).Select(u => u.Kind).Distinct().ToListAsync(cancellationToken))
            .Concat(rows.Select(r => r.UnitKind)).Distinct().Order().ToList();
        var levels = kinds.Select(k => new LevelDeadline(k, rows.FirstOrDefault(r => r.UnitKind == k)?.DueOn, UnitKindNames.Swedish(k), Deadlines.Effective(period, rows, k))).ToList();
        return new PeriodDeadlines(period.Key, period.Name, period.StartDate, period.EndDate, period.Deadline, levels, period.Version);
    }
}
