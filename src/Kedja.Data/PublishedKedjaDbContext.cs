using System.Linq.Expressions;
using Kedja.Domain.Activities;
using Kedja.Domain.Assignments;
using Kedja.Domain.Budget;
using Kedja.Domain.Documents;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Goals;
using Kedja.Domain.Indicators;
using Kedja.Domain.InternalControl;
using Kedja.Domain.Model;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kedja.Data;

/// <summary>
/// A tenant as the public may see it (ADR 17): entered by slug without a user, read-only, and with query filters of its
/// own, so that every query made through it, however carelessly written, sees only what publishing made public:
/// results of published periods, the plans up to the last published year, and nothing about people or access.
/// A tenant that has published nothing cannot be opened, so it answers exactly as an unknown one.
/// </summary>
public sealed class PublishedKedjaDbContext : KedjaDbContext
{
    private PublishedKedjaDbContext(DbContextOptions<KedjaDbContext> options, TimeProvider? clock, IReadOnlyList<Guid> periodIds, IReadOnlyList<string> resultKeys, int lastYear,
        bool publishAssignments, bool publishControlPlans, IReadOnlyDictionary<Guid, string> calendar)
        : base(options, new TenantScope(), new FixedActor("allmänheten"), clock)
    {
        PublishedPeriodIds = periodIds;
        PublishedResultKeys = resultKeys;
        LastPublishedYear = lastYear;
        PublishAssignments = publishAssignments;
        PublishControlPlans = publishControlPlans;
        Calendar = calendar;
    }

    /// <summary>Whether the municipality publishes the council's assignments (issue 15), as read when the view opened.</summary>
    public bool PublishAssignments { get; }

    /// <summary>Whether the municipality publishes its committees' decided internal control plans, as read when the view opened.</summary>
    public bool PublishControlPlans { get; }

    /// <summary>
    /// The key of every follow-up period the tenant has, published or not ("2026-T3"): a decided control action is checked
    /// in a period, and an assignment is due by the end of one, that are often not yet published. A key says no more than
    /// the tenant's calendar does (its name and dates follow from it); the period's row, its state and its results stay hidden.
    /// </summary>
    public IReadOnlyDictionary<Guid, string> Calendar { get; }

    /// <summary>The published follow-up periods of the tenant.</summary>
    public IReadOnlyList<Guid> PublishedPeriodIds { get; }

    /// <summary>
    /// The period keys of results that belong to a published period: every calendar period that ends within one, as the
    /// engine reads them for it (<see cref="PeriodRef.PeriodsEndingWithin"/>).
    /// </summary>
    public IReadOnlyList<string> PublishedResultKeys { get; }

    /// <summary>The year of the latest published period. Plans for later years are drafts and stay hidden.</summary>
    public int LastPublishedYear { get; }

    /// <summary>Keys of later years sort at or after this one (every key begins with its four-digit year).</summary>
    private string FirstHiddenKey => (LastPublishedYear + 1).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    private DateOnly FirstHiddenDate => new(LastPublishedYear + 1, 1, 1);

    private Guid EnteredTenantId => Scope.TenantId ?? Guid.Empty;

    /// <summary>
    /// The published view of the tenant with this slug, or null for a tenant that does not exist and for one that has
    /// published nothing alike. What is published is read once, here, so a request sees one state throughout.
    /// </summary>
    /// <param name="options">Built with <see cref="ReadOnlyConnectionString"/>, so that the database refuses writes too.</param>
    public static async Task<PublishedKedjaDbContext?> OpenAsync(DbContextOptions<KedjaDbContext> options, string slug, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        // Found through the ordinary model, so that the published one never needs to ignore its filters.
        (Guid Id, string Slug, long Version, bool Assignments, bool ControlPlans, List<(Guid Id, PeriodRef Ref)> Periods, Dictionary<Guid, string> Calendar)? found;
        (List<Guid> Outcomes, List<Guid> Assessments) underCorrection;
        await using (var lookup = new KedjaDbContext(options, new TenantScope(), new FixedActor("allmänheten"), clock))
        {
            // The data version before what is published: results computed for this view are held under it, and a
            // publishing that commits after it raises the version, so they are never held under a newer one.
            var tenant = await lookup.Tenants.AsNoTracking().Where(t => t.Slug == slug)
                .Select(t => new { t.Id, t.Slug, t.DataVersion, t.PublishAssignments, t.PublishControlPlans }).SingleOrDefaultAsync(cancellationToken);
            if (tenant is null)
            {
                return null;
            }

            lookup.Scope.Enter(tenant.Id, tenant.Slug);
            // Every period's key in the same read (a tenant has a few dozen): the calendar, for naming a period that is not published.
            var all = await lookup.Periods.AsNoTracking().Select(p => new { p.Id, p.Key, p.IsPublished }).ToListAsync(cancellationToken);
            var keyed = all.Where(p => PeriodRef.TryParse(p.Key, out _)).ToList();
            found = (tenant.Id, tenant.Slug, tenant.DataVersion, tenant.PublishAssignments, tenant.PublishControlPlans,
                [.. keyed.Where(p => p.IsPublished).Select(p => (p.Id, PeriodRef.Parse(p.Key)))], keyed.ToDictionary(p => p.Id, p => p.Key));
            underCorrection = await UnderCorrectionAsync(lookup, found.Value.Calendar, cancellationToken);
        }

        var periods = found.Value.Periods;
        if (periods.Count == 0)
        {
            return null;
        }

        var db = new PublishedKedjaDbContext(options, clock, [.. periods.Select(p => p.Id)],
            [.. periods.SelectMany(p => p.Ref.PeriodsEndingWithin()).Select(r => r.Key).Distinct().Order(StringComparer.Ordinal)],
            periods.Max(p => p.Ref.Year), found.Value.Assignments, found.Value.ControlPlans, found.Value.Calendar);
        db.Scope.Enter(found.Value.Id, found.Value.Slug);
        db.DataVersion = found.Value.Version;
        (db.HiddenOutcomeIds, db.HiddenAssessmentIds) = underCorrection;
        return db;
    }

    /// <summary>
    /// Outcomes and assessments changed in a correction that is still open (review 16, finding 7): the public sees the
    /// locked follow-up as it was reported until the correction is finished, on every page and file, not only the
    /// scorecard (which serves the card as locked). They are hidden meanwhile; the finished correction shows them, marked.
    /// </summary>
    public IReadOnlyList<Guid> HiddenOutcomeIds { get; private set; } = [];

    /// <inheritdoc cref="HiddenOutcomeIds"/>
    public IReadOnlyList<Guid> HiddenAssessmentIds { get; private set; } = [];

    /// <summary>What the open corrections of the tenant changed so far, read from the audit trail since each opened.</summary>
    private static async Task<(List<Guid> Outcomes, List<Guid> Assessments)> UnderCorrectionAsync(KedjaDbContext lookup, Dictionary<Guid, string> calendar,
        CancellationToken cancellationToken)
    {
        var (outcomes, assessments) = (new List<Guid>(), new List<Guid>());
        foreach (var open in await lookup.Corrections.AsNoTracking().Where(c => c.ClosedAt == null).ToListAsync(cancellationToken))
        {
            if (!calendar.TryGetValue(open.PeriodId, out var key) || !PeriodRef.TryParse(key, out var period))
            {
                continue;
            }

            var changed = (await lookup.AuditEntries.AsNoTracking().Where(a => a.Sequence > open.AuditFrom && (a.Entity == nameof(Outcome) || a.Entity == nameof(Assessment)))
                    .Select(a => a.EntityId).Distinct().ToListAsync(cancellationToken))
                .Select(id => Guid.TryParse(id, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).ToList();
            if (changed.Count == 0)
            {
                continue;
            }

            var results = period.PeriodsEndingWithin().Select(r => r.Key).Append(key).ToList();
            outcomes.AddRange(await lookup.Outcomes.AsNoTracking().Where(o => changed.Contains(o.Id) && results.Contains(o.PeriodKey)
                && lookup.Indicators.Any(i => i.Id == o.IndicatorId && i.OwnerUnitId == open.UnitId)).Select(o => o.Id).ToListAsync(cancellationToken));
            assessments.AddRange(await lookup.Assessments.AsNoTracking().Where(a => changed.Contains(a.Id) && a.PeriodId == open.PeriodId
                && lookup.Goals.Any(g => g.Id == a.GoalId && g.OwnerUnitId == open.UnitId)).Select(a => a.Id).ToListAsync(cancellationToken));
        }

        return (outcomes, assessments);
    }

    /// <summary>The tenant's data version as it was read before the published periods this view shows.</summary>
    public long DataVersion { get; private set; }

    /// <summary>
    /// The connection the published view uses: the same database, opened so that it refuses every write. On PostgreSQL
    /// the string stays as it is (a pooler refuses startup options): <see cref="ReadOnlyTransactions"/>, which the
    /// view's options carry, makes each of its connections read-only.
    /// </summary>
    public static string ReadOnlyConnectionString(DatabaseProvider provider, string connectionString)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            return connectionString;
        }

        return new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadOnly }.ConnectionString;
    }

    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) => optionsBuilder.AddInterceptors(FiltersStay.Instance);

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default) =>
        Task.FromException<int>(ReadOnly());

    public override int SaveChanges(bool acceptAllChangesOnSuccess) => throw ReadOnly();

    private static InvalidOperationException ReadOnly() => new("Den publicerade vyn av en kommun är skrivskyddad.");

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        // Plans: public as the tenant holds them, except drafts: a model not yet adopted, and what is planned for a year
        // after the last published one (and what hangs on such a goal).
        builder.Entity<Tenant>().HasQueryFilter(t => t.Id == EnteredTenantId);
        builder.Entity<GovernanceModel>().HasQueryFilter(m => m.TenantId == EnteredTenantId && m.Status != ModelStatus.Draft && m.FirstYear <= LastPublishedYear);
        builder.Entity<Dimension>().HasQueryFilter(d => d.TenantId == EnteredTenantId && Set<GovernanceModel>().Any(m => m.Id == d.ModelId));
        builder.Entity<GoalLevel>().HasQueryFilter(l => l.TenantId == EnteredTenantId && Set<GovernanceModel>().Any(m => m.Id == l.ModelId));
        builder.Entity<ScaleLevel>().HasQueryFilter(s => s.TenantId == EnteredTenantId && Set<GovernanceModel>().Any(m => m.Id == s.ModelId));
        builder.Entity<Goal>().HasQueryFilter(g => g.TenantId == EnteredTenantId && (g.ValidFromYear == null || g.ValidFromYear <= LastPublishedYear)
            && Set<GovernanceModel>().Any(m => m.Id == g.ModelId));
        builder.Entity<GoalLink>().HasQueryFilter(l => l.TenantId == EnteredTenantId && Set<Goal>().Any(g => g.Id == l.ChildGoalId) && Set<Goal>().Any(g => g.Id == l.ParentGoalId));
        builder.Entity<Strategy>().HasQueryFilter(s => s.TenantId == EnteredTenantId && Set<Goal>().Any(g => g.Id == s.GoalId));
        builder.Entity<Indicator>().HasQueryFilter(i => i.TenantId == EnteredTenantId && (i.GoalId == null || Set<Goal>().Any(g => g.Id == i.GoalId)));
        builder.Entity<IndicatorTarget>().HasQueryFilter(t => t.TenantId == EnteredTenantId && string.Compare(t.PeriodKey, FirstHiddenKey) < 0);
        builder.Entity<Activity>().HasQueryFilter(a => a.TenantId == EnteredTenantId && (a.GoalId == null || Set<Goal>().Any(g => g.Id == a.GoalId))
            && (a.StartDate == null || a.StartDate < FirstHiddenDate));
        builder.Entity<Domain.Activities.Program>().HasQueryFilter(p => p.TenantId == EnteredTenantId && (p.ValidFromYear == null || p.ValidFromYear <= LastPublishedYear));
        builder.Entity<DocumentGoalLink>().HasQueryFilter(l => l.TenantId == EnteredTenantId && Set<Goal>().Any(g => g.Id == l.GoalId));
        builder.Entity<BudgetFrame>().HasQueryFilter(f => f.TenantId == EnteredTenantId && f.Year <= LastPublishedYear && !f.IsDraft);

        // Results: only of published periods.
        builder.Entity<FollowUpPeriod>().HasQueryFilter(p => p.TenantId == EnteredTenantId && p.IsPublished && PublishedPeriodIds.Contains(p.Id));
        builder.Entity<Outcome>().HasQueryFilter(o => o.TenantId == EnteredTenantId && PublishedResultKeys.Contains(o.PeriodKey) && !HiddenOutcomeIds.Contains(o.Id));
        builder.Entity<BudgetOutcome>().HasQueryFilter(o => o.TenantId == EnteredTenantId && PublishedResultKeys.Contains(o.PeriodKey));
        // An assessment or an activity report is a draft until its unit has marked the period's follow-up ready: in a
        // published period, what a unit still works on stays inside (the engine's suggestion stands in for the status).
        builder.Entity<Assessment>().HasQueryFilter(a => a.TenantId == EnteredTenantId && PublishedPeriodIds.Contains(a.PeriodId) && !HiddenAssessmentIds.Contains(a.Id)
            && Set<Goal>().Any(g => g.Id == a.GoalId && Set<UnitPeriodStatus>().Any(s => s.UnitId == g.OwnerUnitId && s.PeriodId == a.PeriodId && s.State != WorkflowState.Open)));
        builder.Entity<ActivityComment>().HasQueryFilter(c => c.TenantId == EnteredTenantId && PublishedPeriodIds.Contains(c.PeriodId)
            && Set<Activity>().Any(x => x.Id == c.ActivityId
                && Set<UnitPeriodStatus>().Any(s => s.UnitId == x.ResponsibleUnitId && s.PeriodId == c.PeriodId && s.State != WorkflowState.Open)));
        builder.Entity<UnitPeriodStatus>().HasQueryFilter(s => s.TenantId == EnteredTenantId && PublishedPeriodIds.Contains(s.PeriodId));
        builder.Entity<ReportSnapshot>().HasQueryFilter(r => r.TenantId == EnteredTenantId && r.PeriodId != null && PublishedPeriodIds.Contains(r.PeriodId.Value));

        // Issue 15, only when the municipality chose to publish them, and only what was decided (ADR 46): the assignments
        // the council gave (not the executive board's or a committee's, which steer their own organisation) decided by the
        // end of the last published year, the goals they bear on, and what the responsible unit reported on them in a
        // published period once it marked that follow-up ready (a report decides the status shown, so a draft one must not).
        builder.Entity<Assignment>().HasQueryFilter(a => a.TenantId == EnteredTenantId && PublishAssignments && a.Giver == AssignmentGiver.Council
            && a.DecidedOn < FirstHiddenDate);
        builder.Entity<AssignmentGoalLink>().HasQueryFilter(l => l.TenantId == EnteredTenantId && Set<Assignment>().Any(a => a.Id == l.AssignmentId)
            && Set<Goal>().Any(g => g.Id == l.GoalId));
        builder.Entity<AssignmentReport>().HasQueryFilter(r => r.TenantId == EnteredTenantId && PublishedPeriodIds.Contains(r.PeriodId)
            && Set<Assignment>().Any(a => a.Id == r.AssignmentId
                && Set<UnitPeriodStatus>().Any(s => s.UnitId == a.ResponsibleUnitId && s.PeriodId == r.PeriodId && s.State != WorkflowState.Open)));
        // A committee's internal control plan once decided, up to the last published year, and its control actions: what is
        // checked, how and by whom. Never the risk register (risks, assessments, settings, the plan's chosen risks: values a
        // committee weighs internally), nor the results, findings and measures of the controls.
        builder.Entity<ControlPlan>().HasQueryFilter(p => p.TenantId == EnteredTenantId && PublishControlPlans && p.Status == ControlPlanStatus.Decided
            && p.Year <= LastPublishedYear);
        builder.Entity<ControlAction>().HasQueryFilter(a => a.TenantId == EnteredTenantId && Set<ControlPlan>().Any(p => p.Id == a.PlanId));

        // Reorganisation history (issue 16, review 16 finding 3): the units' names and parents by date and who owned a goal
        // or indicator when, so that the portal reads a period with the organisation of its end date as the inside does.
        // They hold no people; an ownership is public with its goal or indicator.
        builder.Entity<OrgUnitVersion>().HasQueryFilter(v => v.TenantId == EnteredTenantId);
        builder.Entity<OwnershipPeriod>().HasQueryFilter(o => o.TenantId == EnteredTenantId
            && ((o.EntityKind == OwnedKind.Goal && Set<Goal>().Any(g => g.Id == o.EntityId)) || (o.EntityKind == OwnedKind.Indicator && Set<Indicator>().Any(i => i.Id == o.EntityId))));

        // Which goals and indicators a write touched, for bringing cached statuses up to date; never answered to anyone.
        builder.Entity<StatusChange>().HasQueryFilter(c => c.TenantId == EnteredTenantId);

        // Closed years (h145): a published period's cards as reported, and its finished corrections (their reason is public).
        builder.Entity<LockedScorecard>().HasQueryFilter(s => s.TenantId == EnteredTenantId && PublishedPeriodIds.Contains(s.PeriodId));
        builder.Entity<Correction>().HasQueryFilter(c => c.TenantId == EnteredTenantId && c.ClosedAt != null && PublishedPeriodIds.Contains(c.PeriodId));

        // Every other table is never public: people, memberships, tokens, sign-in state, the audit trail, earlier values of
        // outcomes, and any table added later (with its DbSet) until it is named above.
        var tables = typeof(PublishedKedjaDbContext).GetProperties()
            .Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(DbSet<>))
            .Select(p => p.PropertyType.GetGenericArguments()[0]);
        foreach (var table in tables.Where(t => !Public.Contains(t) && builder.Model.FindEntityType(t) is not null).Distinct())
        {
            builder.Entity(table).HasQueryFilter(Expression.Lambda(Expression.Constant(false), Expression.Parameter(table, "row")));
        }
    }

    /// <summary>The tables whose filters above decide what is public; every other table shows no rows.</summary>
    private static readonly HashSet<Type> Public =
    [
        typeof(Tenant), typeof(OrgUnit), typeof(UnitService), typeof(GovernanceModel), typeof(Dimension), typeof(GoalLevel), typeof(ScaleLevel),
        typeof(Goal), typeof(GoalLink), typeof(Strategy), typeof(Indicator), typeof(IndicatorTarget), typeof(Activity), typeof(Domain.Activities.Program),
        typeof(GoverningDocument), typeof(DocumentGoalLink), typeof(BudgetFrame),
        typeof(FollowUpPeriod), typeof(Outcome), typeof(BudgetOutcome), typeof(Assessment), typeof(ActivityComment), typeof(UnitPeriodStatus), typeof(ReportSnapshot),
        typeof(StatusChange), typeof(LockedScorecard), typeof(Correction),
        typeof(Assignment), typeof(AssignmentGoalLink), typeof(AssignmentReport), typeof(ControlPlan), typeof(ControlAction),
        typeof(OrgUnitVersion), typeof(OwnershipPeriod),
    ];
}

/// <summary>Refuses <c>IgnoreQueryFilters</c> in the published view: its filters are what makes it public.</summary>
internal sealed class FiltersStay : IQueryExpressionInterceptor
{
    public static readonly FiltersStay Instance = new();

    public Expression QueryCompilationStarting(Expression queryExpression, QueryExpressionEventData eventData)
    {
        new Finder().Visit(queryExpression);
        return queryExpression;
    }

    private sealed class Finder : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node) =>
            node.Method.DeclaringType == typeof(EntityFrameworkQueryableExtensions) && node.Method.Name == nameof(EntityFrameworkQueryableExtensions.IgnoreQueryFilters)
                ? throw new InvalidOperationException("Den publicerade vyn av en kommun kan inte läsa förbi sina filter (IgnoreQueryFilters).")
                : base.VisitMethodCall(node);
    }
}
