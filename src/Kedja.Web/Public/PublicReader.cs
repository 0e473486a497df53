using Kedja.Data;
using Kedja.Domain.Activities;
using Kedja.Domain.Indicators;
using Kedja.Domain.Organisation;
using Kedja.Domain.Tenancy;
using Kedja.Web.FollowUp;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Public;

/// <param name="Licence">What the municipality lets anyone do with its open data (issue 13).</param>
/// <param name="ContactEmail">Where residents may write about the published results; null for none.</param>
public sealed record PublicTenantDto(string Slug, string Name, string? Kommunkod, OpenDataLicence Licence, List<PublicModelDto> Models, string? ContactEmail = null);

public sealed record PublicModelDto(Guid Id, string Name, int FirstYear, int LastYear, string Vision, string? Description, string DimensionLabel,
    List<PublicDimensionDto> Dimensions, List<PublicLevelDto> Levels, List<StatusDto> Scale);

public sealed record PublicDimensionDto(Guid Id, string Name, string? Description, string? Colour);

public sealed record PublicLevelDto(Guid Id, string Name, string? Description, int Depth);

public sealed record PublicPeriodDto(string Key, string Name, DateOnly StartDate, DateOnly EndDate, DateTime? PublishedAt);

public sealed record PublicUnitDto(Guid Id, Guid? ParentId, string Name, UnitKind Kind, string KindName, bool IsActive);

public sealed record PublicStrategyDto(string Title, string? Description);

/// <summary>What the municipality decided about its portal (ADR 41): public anyway, since the portal shows or obeys each of them.</summary>
/// <param name="EmbedOrigins">The sites that may frame the embeds, as <c>frame-ancestors</c> names them (checked by <see cref="Tenants.PortalRules"/>).</param>
/// <param name="AccessibilityStatement">Markdown; null for Kedja's default (<see cref="Portal.AccessibilityStatement.Default"/>).</param>
public sealed record PublicPortalDto(string Slug, string Name, Domain.Tenancy.OpenDataLicence Licence, List<string> EmbedOrigins, string? AccessibilityStatement,
    string? ContactEmail);

/// <param name="ContributesTo">The goals above that this goal contributes to ("den röda tråden").</param>
public sealed record PublicGoalDto(Guid Id, string Title, string? Code, string? Description, Guid ModelId, Guid LevelId, Guid? DimensionId, Guid OwnerUnitId,
    int? ValidFromYear, int? ValidToYear, List<int> Agenda2030, List<Guid> ContributesTo, List<PublicStrategyDto> Strategies);

public sealed record PublicTargetDto(string PeriodKey, decimal? Value, decimal? Min, decimal? Max);

/// <param name="SourceReference">Which Kolada key figure and municipality a value fetched from Kolada came from; null for every
/// other value (an imported file's name is the administration's own business).</param>
public sealed record PublicOutcomeDto(string PeriodKey, decimal? Value, decimal? ValueWomen, decimal? ValueMen, string? Comment, ValueSource Source, string? SourceReference);

/// <summary>A goal's status in a published period, as the engine and the approved assessments give it.</summary>

/// <param name="Outcomes">Only those of published periods.</param>
/// <param name="Periodicity">How often it is measured: the kind of its outcomes' periods.</param>
public sealed record PublicIndicatorDto(Guid Id, string Name, string? Description, string UnitOfMeasure, int Decimals, Direction Direction, Guid OwnerUnitId,
    Guid? GoalId, Guid? ProgramId, bool IsBasicMission, bool SplitByGender, List<PublicTargetDto> Targets, List<PublicOutcomeDto> Outcomes,
    Domain.Periods.PeriodKind Periodicity);

/// <summary>A goal's assessment as the public sees it: what was decided and why, not who wrote it.</summary>
public sealed record PublicAssessmentDto(string Status, string? SuggestedStatus, bool DeviatesFromRule, string? Motivation, string? Analysis, string? Actions,
    DateTime? ActionsClosedAt);

/// <param name="Status">As the unit reported it for the period; null when it reported nothing then (an activity's current state is not published).</param>
public sealed record PublicActivityDto(Guid Id, string Title, Guid ResponsibleUnitId, string ResponsibleUnit, DateOnly? StartDate, DateOnly? EndDate,
    ActivityStatus? Status, string? StatusName, int? Progress, string? Comment);

public sealed record PublicScorecardGoalDto(Guid Id, string Title, string? Code, Guid LevelId, Guid? DimensionId, StatusDto Status, StatusDto Suggested, bool IsManual,
    Domain.FollowUp.Explanation Explanation, List<TraceDto> Trace, List<ScorecardIndicatorDto> Indicators, List<PublicActivityDto> Activities, PublicAssessmentDto? Assessment,
    List<DeviationDto> Deviations);

public sealed record PublicScorecardGroupDto(Guid? DimensionId, string DimensionLabel, string Name, string? Colour, List<PublicScorecardGoalDto> Goals);

public sealed record PublicScorecardProgramDto(Guid Id, string Name, List<ScorecardIndicatorDto> Indicators, List<PublicActivityDto> Activities);

/// <summary>The scorecard (målkort) of a unit for a published period, in the shape of <see cref="ScorecardDto"/> without people.</summary>
/// <param name="Corrections">Closed years (h145): the corrections made after the unit's follow-up was locked, each "Rättad 2026-12-01: {reason}".</param>
public sealed record PublicScorecardDto(Guid UnitId, string UnitName, UnitKind UnitKind, string UnitKindName, string PeriodKey, string PeriodName, List<PublicScorecardGroupDto> Groups,
    List<ScorecardIndicatorDto> BasicMission, List<PublicScorecardProgramDto> Programs, List<PublicCorrectionDto>? Corrections = null);

/// <summary>A finished correction of a locked follow-up as the public reads it: no names of officials.</summary>
public sealed record PublicCorrectionDto(int Number, DateOnly CorrectedOn, string Reason, string Marker);

/// <summary>
/// The anonymous, read-only way into a tenant (ADR 17), for the public API now and the portal, open data and embeds
/// later. Every read goes through a <see cref="PublishedKedjaDbContext"/>, whose query filters let through only what
/// publishing made public, so a query written here cannot show an unpublished period; the answers leave out people.
/// </summary>
public sealed class PublicReader(PublishedDatabase database, IServiceProvider services, TimeProvider clock) : IAsyncDisposable
{
    public const string TenantMissing = "Kommunen finns inte eller har inte publicerat något.";

    private readonly List<PublishedKedjaDbContext> opened = [];

    /// <summary>The tenant's published view; the same error for an unknown tenant and one that has published nothing.</summary>
    public async Task<ServiceResult<PublishedTenant>> EnterAsync(string slug, CancellationToken cancellationToken = default)
    {
        var db = await database.OpenAsync(slug, clock, cancellationToken);
        if (db is null)
        {
            return ServiceError.NotFound(TenantMissing);
        }

        opened.Add(db);
        return new PublishedTenant(db, services);
    }

    /// <summary>
    /// What the tenant entered last in this request publishes beyond goals and results (issue 15), for the portal's layout
    /// to link to; nothing before a tenant is entered.
    /// </summary>
    public (bool Assignments, bool ControlPlans) Publishes => opened.Count == 0 ? default : (opened[^1].PublishAssignments, opened[^1].PublishControlPlans);

    /// <summary>Enters the tenant and reads from it: one call for an endpoint or a page.</summary>
    public async Task<ServiceResult<T>> ReadAsync<T>(string slug, Func<PublishedTenant, Task<ServiceResult<T>>> read, CancellationToken cancellationToken = default)
    {
        var tenant = await EnterAsync(slug, cancellationToken);
        return tenant.Error is { } error ? error : await read(tenant.Value!);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var db in opened)
        {
            await db.DisposeAsync();
        }
    }
}

/// <summary>One tenant's published view. <see cref="Data"/> is there for reads this class does not offer yet; its filters hold for them too.</summary>
public sealed partial class PublishedTenant(PublishedKedjaDbContext db, IServiceProvider services)
{
    public const string PeriodMissing = "Perioden finns inte eller är inte publicerad.";

    public PublishedKedjaDbContext Data => db;

    public async Task<ServiceResult<PublicTenantDto>> SummaryAsync(CancellationToken cancellationToken = default)
    {
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(cancellationToken);
        var models = await db.Models.AsNoTracking().Include(m => m.Dimensions).Include(m => m.Levels).Include(m => m.Scale)
            .OrderBy(m => m.FirstYear).ToListAsync(cancellationToken);
        return new PublicTenantDto(tenant.Slug, tenant.Name, tenant.Kommunkod, tenant.Licence, [.. models.Select(m => new PublicModelDto(m.Id, m.Name, m.FirstYear, m.LastYear, m.Vision, m.Description,
            m.DimensionLabel,
            [.. m.Dimensions.OrderBy(d => d.SortOrder).ThenBy(d => d.Name).Select(d => new PublicDimensionDto(d.Id, d.Name, d.Description, d.Colour))],
            [.. m.Levels.OrderBy(l => l.Depth).Select(l => new PublicLevelDto(l.Id, l.Name, l.Description, l.Depth))],
            [.. m.Scale.OrderBy(s => s.SortOrder).Select(s => new StatusDto(s.Key, s.Label, s.Colour, s.Symbol))]))], tenant.ContactEmail);
    }

    /// <summary>The portal's settings: licence, embedding sites and accessibility statement.</summary>
    public async Task<ServiceResult<PublicPortalDto>> PortalAsync(CancellationToken cancellationToken = default)
    {
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(cancellationToken);
        return new PublicPortalDto(tenant.Slug, tenant.Name, tenant.Licence, [.. tenant.EmbedOrigins], tenant.AccessibilityStatement, tenant.ContactEmail);
    }

    public async Task<ServiceResult<List<PublicPeriodDto>>> PeriodsAsync(CancellationToken cancellationToken = default) =>
        (await db.Periods.AsNoTracking().ToListAsync(cancellationToken)).OrderBy(p => p.Ref)
            .Select(p => new PublicPeriodDto(p.Key, p.Name, p.StartDate, p.EndDate, p.PublishedAt)).ToList();

    public async Task<ServiceResult<List<PublicUnitDto>>> UnitsAsync(CancellationToken cancellationToken = default) =>
        (await db.Units.AsNoTracking().OrderBy(u => u.SortOrder).ThenBy(u => u.Name).ToListAsync(cancellationToken))
            .Select(u => new PublicUnitDto(u.Id, u.ParentId, u.Name, u.Kind, UnitKindNames.Swedish(u.Kind), u.IsActive)).ToList();

    public async Task<ServiceResult<List<PublicGoalDto>>> GoalsAsync(Guid? unitId, CancellationToken cancellationToken = default) =>
        await GoalsOfAsync(db.Goals.AsNoTracking().Where(g => unitId == null || g.OwnerUnitId == unitId), cancellationToken);

    private async Task<List<PublicGoalDto>> GoalsOfAsync(IQueryable<Domain.Goals.Goal> query, CancellationToken cancellationToken)
    {
        var goals = await query.OrderBy(g => g.SortOrder).ThenBy(g => g.Title).ToListAsync(cancellationToken);
        var ids = query.Select(g => g.Id);
        var parents = (await db.GoalLinks.AsNoTracking().Where(l => ids.Contains(l.ChildGoalId)).ToListAsync(cancellationToken)).ToLookup(l => l.ChildGoalId, l => l.ParentGoalId);
        var strategies = (await db.Strategies.AsNoTracking().Where(s => ids.Contains(s.GoalId)).OrderBy(s => s.SortOrder).ThenBy(s => s.Title).ToListAsync(cancellationToken))
            .ToLookup(s => s.GoalId);
        return goals.Select(g => new PublicGoalDto(g.Id, g.Title, g.Code, g.Description, g.ModelId, g.LevelId, g.DimensionId, g.OwnerUnitId, g.ValidFromYear,
            g.ValidToYear, g.Agenda2030, [.. parents[g.Id]], [.. strategies[g.Id].Select(s => new PublicStrategyDto(s.Title, s.Description))])).ToList();
    }

    public async Task<ServiceResult<List<PublicIndicatorDto>>> IndicatorsAsync(Guid? goalId, Guid? unitId, CancellationToken cancellationToken = default) =>
        await IndicatorsOfAsync(db.Indicators.AsNoTracking().Where(i => (goalId == null || i.GoalId == goalId) && (unitId == null || i.OwnerUnitId == unitId)), cancellationToken);

    private async Task<List<PublicIndicatorDto>> IndicatorsOfAsync(IQueryable<Indicator> query, CancellationToken cancellationToken)
    {
        var indicators = await query.Include(i => i.Targets).OrderBy(i => i.SortOrder).ThenBy(i => i.Name).ToListAsync(cancellationToken);
        var ids = query.Select(i => i.Id);
        var outcomes = (await db.Outcomes.AsNoTracking().Where(o => ids.Contains(o.IndicatorId)).ToListAsync(cancellationToken)).ToLookup(o => o.IndicatorId);
        return indicators.Select(i => new PublicIndicatorDto(i.Id, i.Name, i.Description, i.UnitOfMeasure, i.Decimals, i.Direction, i.OwnerUnitId, i.GoalId, i.ProgramId,
            i.IsBasicMission, i.SplitByGender,
            [.. i.Targets.OrderBy(t => t.PeriodKey, StringComparer.Ordinal).Select(t => new PublicTargetDto(t.PeriodKey, t.Value, t.Min, t.Max))],
            [.. outcomes[i.Id].OrderBy(o => o.PeriodKey, StringComparer.Ordinal).Select(o => new PublicOutcomeDto(o.PeriodKey, o.Value, o.ValueWomen, o.ValueMen, o.Comment, o.Source,
                o.Source == ValueSource.Kolada ? o.SourceReference : null))],
            i.Periodicity))
            .ToList();
    }

    /// <summary>
    /// The unit's scorecard for a published period, computed by <see cref="Scorecards"/> on this view: the engine reads
    /// only published rows. An unpublished period is not found, exactly like one that does not exist.
    /// </summary>
    public async Task<ServiceResult<PublicScorecardDto>> ScorecardAsync(string periodKey, Guid unitId, CancellationToken cancellationToken = default)
    {
        // The published calendar: an unpublished period is as unknown as one that does not exist.
        var found = await Periods.FollowUpCalendar.FindAsync(db.Periods, periodKey, cancellationToken);
        if (found.Error is { } missing)
        {
            return missing.Kind == ServiceErrorKind.NotFound ? ServiceError.NotFound(PeriodMissing) : missing;
        }

        var statuses = ActivatorUtilities.CreateInstance<StatusService>(services, db);
        var scorecards = ActivatorUtilities.CreateInstance<Scorecards>(services, db, statuses);
        var result = await scorecards.ForUnitAsync(unitId, found.Value!, cancellationToken);
        if (result.Error is { } error)
        {
            return error;
        }

        // Closed years (h145): the published view lets through only finished corrections of published periods.
        var corrections = await Periods.PeriodCorrections.OfAsync(db, [unitId], found.Value!.Id, cancellationToken);
        return ToPublic(result.Value!) with
        {
            Corrections = [.. corrections.Where(c => c.ClosedAt is not null)
                .Select(c => new PublicCorrectionDto(c.Number, DateOnly.FromDateTime(Ui.Language.InSweden(c.ClosedAt!.Value)), c.Reason, c.Marker))],
        };
    }

    /// <summary>
    /// Computes the statuses of the latest published period into this node's cache, as the portal's start page reads
    /// them: after a publication every status of the published view is computed afresh (what is public changed), and a
    /// resident should not be the one who waits for it.
    /// </summary>
    public async Task<ServiceResult<string>> PrepareLatestAsync(CancellationToken cancellationToken = default)
    {
        var latest = (await db.Periods.AsNoTracking().ToListAsync(cancellationToken)).OrderBy(p => p.Ref).LastOrDefault();
        if (latest is null)
        {
            return ServiceError.NotFound(PeriodMissing);
        }

        await ActivatorUtilities.CreateInstance<StatusService>(services, db).ForPeriodAsync(latest, cancellationToken);
        return latest.Key;
    }

    /// <summary>
    /// The status of every goal the engine follows up in a published period (the period's models), computed on this view
    /// as <see cref="ScorecardAsync"/> does. An unpublished period is not found, exactly like one that does not exist.
    /// </summary>
    public async Task<ServiceResult<List<PublicGoalStatusDto>>> GoalStatusesAsync(string periodKey, CancellationToken cancellationToken = default)
    {
        var period = await db.Periods.AsNoTracking().SingleOrDefaultAsync(p => p.Key == periodKey, cancellationToken);
        if (period is null)
        {
            return ServiceError.NotFound(PeriodMissing);
        }

        var statuses = await ActivatorUtilities.CreateInstance<StatusService>(services, db).ForPeriodAsync(period, cancellationToken);
        return statuses.Goals.Values.Select(r => StatusOf(statuses, r)).ToList();
    }

    private static PublicScorecardDto ToPublic(ScorecardDto s) => new(s.UnitId, s.UnitName, s.UnitKind, s.UnitKindName, s.PeriodKey, s.PeriodName,
        [.. s.Groups.Select(g => new PublicScorecardGroupDto(g.DimensionId, g.DimensionLabel, g.Name, g.Colour, [.. g.Goals.Select(ToPublic)]))],
        s.BasicMission,
        [.. s.Programs.Select(p => new PublicScorecardProgramDto(p.Id, p.Name, p.Indicators, [.. p.Activities.Select(ToPublic)]))]);

    private static PublicScorecardGoalDto ToPublic(ScorecardGoalDto g) => new(g.Id, g.Title, g.Code, g.LevelId, g.DimensionId, g.Status, g.Suggested, g.IsManual,
        g.Explanation, g.Trace, g.Indicators, [.. g.Activities.Select(ToPublic)],
        g.Assessment is { } a ? new PublicAssessmentDto(a.Status, a.SuggestedStatus, a.DeviatesFromRule, a.Motivation, a.Analysis, a.Actions, a.ActionsClosedAt) : null,
        g.Deviations);

    /// <remarks>An activity's own status is whatever the unit last reported, perhaps for a period not yet published; only the period's report is shown.</remarks>
    private static PublicActivityDto ToPublic(ScorecardActivityDto a) => a.Comment is null
        ? new(a.Id, a.Title, a.ResponsibleUnitId, a.ResponsibleUnit, a.StartDate, a.EndDate, null, null, null, null)
        : new(a.Id, a.Title, a.ResponsibleUnitId, a.ResponsibleUnit, a.StartDate, a.EndDate, a.Status, a.StatusName, a.Progress, a.Comment);
}

/// <summary>How the published view reaches the database: the app's database, opened read-only (ADR 17).</summary>
public sealed class PublishedDatabase(DbContextOptions<KedjaDbContext> options, DatabaseProvider provider, string readOnlyConnectionString)
{
    public static PublishedDatabase For(DatabaseProvider provider, string connectionString, ILoggerFactory? logging = null)
    {
        var readOnly = PublishedKedjaDbContext.ReadOnlyConnectionString(provider, connectionString);
        var builder = new DbContextOptionsBuilder<KedjaDbContext>();
        if (logging is not null)
        {
            // Its statements are logged like every other context's (Microsoft.EntityFrameworkCore.Database.Command).
            builder.UseLoggerFactory(logging);
        }

        KedjaDatabase.Configure(builder, provider, readOnly).AddInterceptors(ReadOnlyTransactions.Instance);
        return new PublishedDatabase(builder.Options, provider, readOnly);
    }

    public Task<PublishedKedjaDbContext?> OpenAsync(string slug, TimeProvider clock, CancellationToken cancellationToken = default) =>
        PublishedKedjaDbContext.OpenAsync(options, slug, clock, cancellationToken);

    /// <summary>
    /// The tenant's data version and when it was raised, or null for an unknown slug: one indexed read of one row,
    /// without a context, because the portal asks it before every answer it has cached.
    /// </summary>
    public async Task<TenantStamp?> StampAsync(string slug, CancellationToken cancellationToken = default)
    {
        await using var connection = provider == DatabaseProvider.Postgres
            ? new Npgsql.NpgsqlConnection(readOnlyConnectionString)
            : (System.Data.Common.DbConnection)new Microsoft.Data.Sqlite.SqliteConnection(readOnlyConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // What is published, and the tenant's own row (its portal settings), as one fingerprint: a change to either must
        // never be answered from a page made before it.
        command.CommandText = """
            SELECT t.id, t.data_version, t.data_changed_at, t.created_at, t.version,
                (SELECT count(*) FROM follow_up_periods p WHERE p.tenant_id = t.id AND p.is_published),
                (SELECT max(p.published_at) FROM follow_up_periods p WHERE p.tenant_id = t.id AND p.is_published)
            FROM tenants t WHERE t.slug = @slug
            """;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@slug";
        parameter.Value = slug;
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var changed = reader.IsDBNull(2) ? reader.GetDateTime(3) : reader.GetDateTime(2);
        var publication = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{Convert.ToInt64(reader.GetValue(4), System.Globalization.CultureInfo.InvariantCulture)}|{Convert.ToInt64(reader.GetValue(5), System.Globalization.CultureInfo.InvariantCulture)}|{(reader.IsDBNull(6) ? "" : reader.GetDateTime(6).Ticks)}");
        return new TenantStamp(reader.GetGuid(0), reader.GetInt64(1), DateTime.SpecifyKind(changed, DateTimeKind.Utc), publication);
    }
}

/// <summary>A tenant's data version and when it was raised (its creation, before the first raise).</summary>
/// <param name="Publication">Which periods are published and the tenant row's version: what a page must never be older than.</param>
public sealed record TenantStamp(Guid TenantId, long Version, DateTime ChangedAt, string Publication);
