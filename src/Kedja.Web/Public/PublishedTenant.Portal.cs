using Kedja.Data;
using Kedja.Domain.Activities;
using Kedja.Web.FollowUp;
using Kedja.Web.Goals;
using Kedja.Web.Infrastructure;
using Kedja.Web.Reports;
using Kedja.Web.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Public;

/// <param name="GoalId">The goal the activity serves; null for an activity within a programme.</param>
public sealed record PublicPlannedActivityDto(Guid? GoalId, Guid? ProgramId, PublicActivityDto Activity);

public sealed record PublicProgramDto(Guid Id, string Name, string? Description, Guid? OwnerUnitId);

/// <summary>The activities of published goals and programmes that run some time in a published period's year, with what was reported for that period.</summary>
public sealed record PublicActivitiesDto(PublicPeriodDto Period, List<PublicPlannedActivityDto> Activities, List<PublicProgramDto> Programs);

/// <summary>The 17 global goals with the municipality's goals under each and their status in a published period.</summary>
public sealed record PublicAgenda2030Dto(PublicPeriodDto Period, List<Agenda2030Line> Lines);

/// <summary>A frozen report of a published period, as the public sees it: no person named.</summary>
public sealed record PublicFrozenReportDto(Guid Id, string Title, string Format, string FileName, string PeriodKey, string PeriodName, Guid? UnitId, string? UnitName,
    long Size, DateTime CreatedAt);

public enum PublicSearchKind
{
    Goal,
    Indicator,
}

public sealed record PublicSearchHitDto(PublicSearchKind Kind, Guid Id, string Title, string? Code, string? UnitName, string? Description);

/// <param name="Total">How many matched; <paramref name="Hits"/> holds at most <see cref="PublishedTenant.MaxSearchHits"/> of them.</param>
public sealed record PublicSearchDto(string Query, int Total, List<PublicSearchHitDto> Hits);

/// <summary>A published goal or indicator as the search finds it, with its texts folded once (<see cref="Search.Fold"/>).</summary>
/// <param name="Text">Title, code and description folded, each on its own line: a word of a question holds no line break, so it never matches across two.</param>
public sealed record SearchRow(PublicSearchHitDto Hit, string Title, string Text)
{
    public static SearchRow Of(PublicSearchHitDto hit)
    {
        var title = Search.Fold(hit.Title);
        return new(hit, title, string.Join('\n', title, Search.Fold(hit.Code), Search.Fold(hit.Description)));
    }
}

/// <summary>What a portal search looks through: every published goal and indicator of a tenant.</summary>
public sealed record SearchRows(List<SearchRow> Rows)
{
    public long Characters { get; } = Rows.Sum(r => (long)r.Hit.Title.Length + (r.Hit.UnitName?.Length ?? 0) + (r.Hit.Description?.Length ?? 0) + r.Text.Length + r.Title.Length + 64);
}

/// <summary>
/// The rows a portal search looks through, per tenant under the published view's data version (ADR 41): anyone may
/// search, twenty times a second per address, and reading every goal and indicator of L for each question (75,000
/// rows, about 300 ms) would let anonymous visitors take the machine from the people working in Kedja. Held once per
/// version, a question costs only the matching. Bounded by characters held (<see cref="Portal.PortalOptions.SearchMegabytes"/>).
/// </summary>
public sealed class PortalSearchRows(IOptions<Portal.PortalOptions> options, ILogger<PortalSearchRows> log)
    : VersionedCache<SearchRows>(Characters(options.Value), rows => rows.Characters)
{
    private static long Characters(Portal.PortalOptions options) => options.SearchMegabytes * 1024L * 1024 / sizeof(char);

    /// <summary>Says so when a tenant's rows cannot be held: then every question reads them all again.</summary>
    public void Check(SearchRows rows, string tenant)
    {
        if (rows.Characters > Characters(options.Value))
        {
            log.LogWarning("The portal search rows of {Tenant} ({Megabytes} MB) exceed Kedja:Portal:SearchMegabytes ({Limit} MB): every question reads them all again",
                tenant, rows.Characters * sizeof(char) / (1024 * 1024), options.Value.SearchMegabytes);
        }
    }
}

/// <summary>The published view's reads for the portal's pages (issue 13): activities, Agenda 2030, frozen reports and search.</summary>
public sealed partial class PublishedTenant
{
    /// <summary>Longer questions are refused rather than cut: a cut one would answer something nobody asked.</summary>
    public const int MaxSearchLength = 100;

    public const int MaxSearchHits = 50;

    public static readonly string SearchTooLong = $"Skriv högst {MaxSearchLength} tecken i sökfältet.";

    public async Task<ServiceResult<PublicActivitiesDto>> ActivitiesAsync(string periodKey, CancellationToken cancellationToken = default)
    {
        var found = await PublishedPeriodAsync(periodKey, cancellationToken);
        if (found.Value is not { } period)
        {
            return found.Error!;
        }

        // Hidden programmes (planned for a year not yet published) take their activities with them.
        var programs = await db.Programs.AsNoTracking().OrderBy(p => p.Name)
            .Select(p => new PublicProgramDto(p.Id, p.Name, p.Description, p.OwnerUnitId)).ToListAsync(cancellationToken);
        var programIds = programs.Select(p => p.Id).ToList();
        var yearStart = new DateOnly(period.EndDate.Year, 1, 1);
        // As the scorecard counts them (Scorecards.ActivitiesAsync): those that run some time in the period's year.
        var activities = (await db.Activities.AsNoTracking().Where(a => a.GoalId != null || (a.ProgramId != null && programIds.Contains(a.ProgramId.Value)))
                .ToListAsync(cancellationToken))
            .Where(a => (a.StartDate == null || a.StartDate <= period.EndDate) && (a.EndDate == null || a.EndDate >= yearStart))
            .OrderBy(a => a.StartDate).ThenBy(a => a.Title, StringComparer.Create(Domain.SwedishFormat.Culture, false)).ToList();
        var ids = activities.Select(a => a.Id).ToList();
        var comments = ids.Count == 0 ? [] : await db.ActivityComments.AsNoTracking().Where(c => c.PeriodId == period.Id && ids.Contains(c.ActivityId))
            .ToDictionaryAsync(c => c.ActivityId, cancellationToken);
        var units = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        return new PublicActivitiesDto(new PublicPeriodDto(period.Key, period.Name, period.StartDate, period.EndDate, period.PublishedAt),
            [.. activities.Select(a => new PublicPlannedActivityDto(a.GoalId, a.GoalId is null ? a.ProgramId : null,
                Reported(a, units.GetValueOrDefault(a.ResponsibleUnitId, ""), comments.GetValueOrDefault(a.Id))))],
            programs.Where(p => activities.Any(a => a.GoalId is null && a.ProgramId == p.Id)).ToList());
    }

    /// <summary>The signed-in Agenda 2030 view (<see cref="Agenda2030View"/>) run on the published view: only published goals and statuses.</summary>
    public async Task<ServiceResult<PublicAgenda2030Dto>> Agenda2030Async(string periodKey, CancellationToken cancellationToken = default)
    {
        var found = await PublishedPeriodAsync(periodKey, cancellationToken);
        if (found.Value is not { } period)
        {
            return found.Error!;
        }

        var statuses = ActivatorUtilities.CreateInstance<StatusService>(services, db);
        var view = ActivatorUtilities.CreateInstance<Agenda2030View>(services, db, statuses);
        var result = await view.ForAsync(period.Key, cancellationToken);
        return result.Error is { } error
            ? error
            : new PublicAgenda2030Dto(new PublicPeriodDto(period.Key, period.Name, period.StartDate, period.EndDate, period.PublishedAt), result.Value.Lines);
    }

    /// <summary>The frozen reports of the published periods (the view's filter hides the others), latest period first.</summary>
    public async Task<ServiceResult<List<PublicFrozenReportDto>>> FrozenReportsAsync(CancellationToken cancellationToken = default)
    {
        var rows = await db.ReportSnapshots.AsNoTracking()
            .Select(r => new { r.Id, r.Title, r.Format, r.FileName, r.PeriodId, r.UnitId, Size = (long)r.Content.Length, r.CreatedAt })
            .ToListAsync(cancellationToken);
        var periods = (await db.Periods.AsNoTracking().ToListAsync(cancellationToken)).ToDictionary(p => p.Id);
        var units = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        return rows.Where(r => r.PeriodId is { } p && periods.ContainsKey(p))
            .Select(r => (Row: r, Period: periods[r.PeriodId!.Value]))
            .OrderByDescending(x => x.Period.Ref).ThenBy(x => x.Row.Title, StringComparer.Create(Domain.SwedishFormat.Culture, false)).ThenBy(x => x.Row.Format)
            .Select(x => new PublicFrozenReportDto(x.Row.Id, x.Row.Title, x.Row.Format, x.Row.FileName ?? x.Row.Title, x.Period.Key, x.Period.Name, x.Row.UnitId,
                x.Row.UnitId is { } u ? units.GetValueOrDefault(u) : null, x.Row.Size, x.Row.CreatedAt))
            .ToList();
    }

    /// <summary>A frozen report's bytes exactly as frozen; one of an unpublished period is as missing as one that never was.</summary>
    public async Task<ServiceResult<ReportFile>> FrozenReportFileAsync(Guid id, CancellationToken cancellationToken = default) =>
        await db.ReportSnapshots.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken) is { } r
            ? ReportOrdering.File(r.FileName ?? r.Title, r.Format, r.Content, r.ContentHash)
            : ServiceError.NotFound(ReportOrdering.FrozenMissing);

    /// <summary>
    /// Published goals (title, code, description) and indicators (name, description) that hold every word of the query,
    /// by the signed-in search's rule (<see cref="Search.Matches"/>: case as a Swedish reader expects, å is not a). Those
    /// with every word in the title come first, goals before indicators.
    /// </summary>
    /// <returns>No hits for a query under two letters; an error for one over <see cref="MaxSearchLength"/>.</returns>
    public async Task<ServiceResult<PublicSearchDto>> SearchAsync(string? query, CancellationToken cancellationToken = default)
    {
        var text = (query ?? "").Trim();
        if (text.Length > MaxSearchLength)
        {
            return ServiceError.Invalid("q", SearchTooLong);
        }

        var words = Search.Words(text);
        if (words.Count == 0)
        {
            return new PublicSearchDto(text, 0, []);
        }

        var cache = services.GetRequiredService<PortalSearchRows>();
        var held = await cache.GetAsync(db.Scope.TenantId!.Value, db.DataVersion, async (previous, from) =>
        {
            var rows = await SearchRowsAsync(previous, from, cancellationToken);
            cache.Check(rows, db.Scope.Slug ?? db.Scope.TenantId!.Value.ToString());
            return rows;
        }, cancellationToken);
        var folded = words.Select(Search.Fold).ToList();
        bool Holds(string text) => Search.Holds(folded, text);
        var swedish = StringComparer.Create(Domain.SwedishFormat.Culture, true);
        var hits = held.Rows.Where(r => Holds(r.Text))
            .OrderByDescending(r => Holds(r.Title)).ThenBy(r => r.Hit.Kind).ThenBy(r => r.Hit.Title, swedish).ThenBy(r => r.Hit.Id)
            .Select(r => r.Hit).ToList();
        return new PublicSearchDto(text, hits.Count, [.. hits.Take(MaxSearchHits)]);
    }

    /// <summary>
    /// Every published goal and indicator as the search reads them (<see cref="PortalSearchRows"/>). After writes that
    /// named only goals and indicators (outcomes, targets, assessments: the administration's daily work) only those are
    /// read again; anything else since (a period published or withdrawn, a unit renamed, a gap in the record) reads all.
    /// </summary>
    private async Task<SearchRows> SearchRowsAsync(SearchRows? previous, long from, CancellationToken cancellationToken)
    {
        if (previous is not null)
        {
            // Past as many as one write may name, reading everything again is as cheap and keeps the lists short.
            var changes = await db.StatusChanges.AsNoTracking().Where(c => c.Version > from && c.Version <= db.DataVersion)
                .Select(c => new { c.Version, c.Kind, c.EntityId }).Take(KedjaDbContext.StatusChangesNamedAtMost + 1).ToListAsync(cancellationToken);
            if (changes.Count <= KedjaDbContext.StatusChangesNamedAtMost && changes.Select(c => c.Version).Distinct().LongCount() == db.DataVersion - from
                && changes.All(c => c.Kind is StatusChangeKind.Goal or StatusChangeKind.Indicator && c.EntityId is not null))
            {
                var named = changes.Select(c => c.EntityId!.Value).ToHashSet();
                var again = await ReadSearchRowsAsync([.. changes.Where(c => c.Kind == StatusChangeKind.Goal).Select(c => c.EntityId!.Value).Distinct()],
                    [.. changes.Where(c => c.Kind == StatusChangeKind.Indicator).Select(c => c.EntityId!.Value).Distinct()], cancellationToken);
                return new SearchRows([.. previous.Rows.Where(r => !named.Contains(r.Hit.Id)), .. again]);
            }
        }

        return new SearchRows(await ReadSearchRowsAsync(null, null, cancellationToken));
    }

    /// <param name="goalIds">The goals to read; null for all, like <paramref name="indicatorIds"/>.</param>
    private async Task<List<SearchRow>> ReadSearchRowsAsync(List<Guid>? goalIds, List<Guid>? indicatorIds, CancellationToken cancellationToken)
    {
        var goalQuery = db.Goals.AsNoTracking();
        var indicatorQuery = db.Indicators.AsNoTracking();
        if (goalIds is not null && indicatorIds is not null)
        {
            goalQuery = goalQuery.Where(g => goalIds.Contains(g.Id));
            indicatorQuery = indicatorQuery.Where(i => indicatorIds.Contains(i.Id));
        }

        var goals = goalIds is { Count: 0 } ? [] : await goalQuery.Select(g => new { g.Id, g.Title, g.Code, g.Description, g.OwnerUnitId }).ToListAsync(cancellationToken);
        var indicators = indicatorIds is { Count: 0 } ? [] : await indicatorQuery.Select(i => new { i.Id, i.Name, i.Description, i.OwnerUnitId }).ToListAsync(cancellationToken);
        var unitIds = goals.Select(g => g.OwnerUnitId).Concat(indicators.Select(i => i.OwnerUnitId)).ToHashSet();
        var units = unitIds.Count == 0 ? [] : goalIds is null
            ? await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken)
            : await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        return [.. goals.Select(g => new PublicSearchHitDto(PublicSearchKind.Goal, g.Id, g.Title, g.Code, units.GetValueOrDefault(g.OwnerUnitId), g.Description))
            .Concat(indicators.Select(i => new PublicSearchHitDto(PublicSearchKind.Indicator, i.Id, i.Name, null, units.GetValueOrDefault(i.OwnerUnitId), i.Description)))
            .Select(SearchRow.Of)];
    }

    private async Task<ServiceResult<Domain.Periods.FollowUpPeriod>> PublishedPeriodAsync(string periodKey, CancellationToken cancellationToken)
    {
        var found = await Periods.FollowUpCalendar.FindAsync(db.Periods.AsNoTracking(), periodKey, cancellationToken);
        return found.Error is { Kind: ServiceErrorKind.NotFound } ? ServiceError.NotFound(PeriodMissing) : found;
    }

    /// <summary>What the unit reported on the activity for the period, or only its plan: its current state may belong to a period not yet published.</summary>
    private static PublicActivityDto Reported(Activity a, string unit, ActivityComment? c) => c is null
        ? new(a.Id, a.Title, a.ResponsibleUnitId, unit, a.StartDate, a.EndDate, null, null, null, null)
        : new(a.Id, a.Title, a.ResponsibleUnitId, unit, a.StartDate, a.EndDate, c.Status, ActivityStatusNames.Swedish(c.Status), c.Progress, c.Text);
}
