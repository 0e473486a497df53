using Kedja.Data;
using Kedja.Domain.Model;
using Kedja.Web.Goals;
using Kedja.Web.Organisation;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Exchange;

/// <summary>Reads the current tenant into a <see cref="TenantDocument"/>, in an order that depends only on the data.</summary>
public sealed class TenantExporter(KedjaDbContext db)
{
    public async Task<TenantDocument> ExportAsync(CancellationToken cancellationToken = default)
    {
        var tenantId = db.Scope.TenantId ?? throw new InvalidOperationException("Ingen kommun vald.");
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == tenantId, cancellationToken);
        var models = await ExportModelsAsync(cancellationToken);
        var periods = await db.Periods.AsNoTracking().ToListAsync(cancellationToken);
        var periodKeys = periods.ToDictionary(p => p.Id, p => p.Key);
        var units = await db.Units.AsNoTracking().ToListAsync(cancellationToken);
        var services = (await db.UnitServices.AsNoTracking().ToListAsync(cancellationToken)).ToLookup(s => s.AdministrationId, s => s.CommitteeId);
        var goals = await db.Goals.AsNoTracking().ToListAsync(cancellationToken);
        var links = (await db.GoalLinks.AsNoTracking().ToListAsync(cancellationToken)).ToLookup(l => l.ChildGoalId);
        var strategies = (await db.Strategies.AsNoTracking().ToListAsync(cancellationToken)).ToLookup(s => s.GoalId);
        var programs = await db.Programs.AsNoTracking().ToListAsync(cancellationToken);
        var indicators = await db.Indicators.AsNoTracking().Include(i => i.Targets).ToListAsync(cancellationToken);
        var outcomes = await db.Outcomes.AsNoTracking().Include(o => o.Revisions).ToListAsync(cancellationToken);
        var assessments = await db.Assessments.AsNoTracking().ToListAsync(cancellationToken);
        var activities = await db.Activities.AsNoTracking().Include(a => a.Comments).ToListAsync(cancellationToken);
        var documents = await db.Documents.AsNoTracking().ToListAsync(cancellationToken);
        var documentGoals = (await db.DocumentGoals.AsNoTracking().ToListAsync(cancellationToken)).ToLookup(d => d.DocumentId);
        // A draft frame belongs to an unactivated planning year, which the document does not carry (issue 16): exported, it
        // would come back as a real frame, or be refused when the year lies beyond the model's.
        var budget = await db.BudgetFrames.AsNoTracking().Include(b => b.Outcomes).ToListAsync(cancellationToken);
        var workflow = await db.UnitPeriodStatuses.AsNoTracking().ToListAsync(cancellationToken);
        var levelDeadlines = (await db.PeriodDeadlines.AsNoTracking().ToListAsync(cancellationToken)).ToLookup(d => d.PeriodId);

        return new TenantDocument
        {
            Tenant = new TenantInfo(tenant.Slug, tenant.Name, tenant.Kommunkod),
            Models = models,
            Periods = [.. periods.OrderBy(p => p.Ref).Select(p => new PeriodDoc(p.Key, p.Name, p.Deadline, p.IsPublished, p.PublishedAt, p.PublishedBy,
                levelDeadlines[p.Id].Any() ? [.. levelDeadlines[p.Id].OrderBy(d => d.UnitKind).Select(d => new LevelDeadlineDoc(d.UnitKind, d.DueOn))] : null))],
            Units = [.. units.OrderBy(u => Key(u.Id)).Select(u => UnitMapping.ToDoc(u, services[u.Id]))],
            Goals = [.. goals.OrderBy(g => Key(g.Id)).Select(g => GoalMapping.ToDoc(g, links[g.Id], strategies[g.Id]))],
            Programs = [.. programs.OrderBy(p => Key(p.Id)).Select(p => new ProgramDoc(p.Id, p.Name, p.Description, p.OwnerUnitId, p.ValidFromYear, p.ValidToYear))],
            Indicators = [.. indicators.OrderBy(i => Key(i.Id)).Select(Indicators.IndicatorMapping.ToDoc)],
            Outcomes = [.. outcomes.OrderBy(o => Key(o.IndicatorId)).ThenBy(o => o.PeriodKey, StringComparer.Ordinal).Select(Indicators.IndicatorMapping.ToDoc)],
            Assessments = [.. assessments.Select(a => FollowUp.AssessmentMapping.ToDoc(a, periodKeys[a.PeriodId]))
                .OrderBy(a => Key(a.GoalId)).ThenBy(a => a.PeriodKey, StringComparer.Ordinal)],
            Activities = [.. activities.OrderBy(a => Key(a.Id)).Select(a => Activities.ActivityMapping.ToDoc(a, periodKeys))],
            Documents = [.. documents.OrderBy(d => Key(d.Id)).Select(d => new GoverningDocumentDoc(d.Id, d.Kind, d.Title, d.Description, d.DecidedByUnitId, d.DecidedOn, d.ValidFrom, d.ValidTo, d.Url,
                [.. documentGoals[d.Id].Select(l => l.GoalId).OrderBy(Key)]))],
            Budget = [.. budget.OrderBy(b => Key(b.UnitId)).ThenBy(b => b.Year).Select(b => new BudgetDoc(b.UnitId, b.Year, N(b.Amount), b.Note,
                [.. b.Outcomes.OrderBy(o => o.PeriodKey, StringComparer.Ordinal).Select(o => new BudgetOutcomeDoc(o.PeriodKey, N(o.Actual), N(o.Forecast))
                {
                    ForecastComment = o.ForecastComment, DeviationExplanation = o.DeviationExplanation, ExplainedBy = o.ExplainedBy, ExplainedAt = o.ExplainedAt,
                })], b.IsDraft))],
            Workflow = [.. workflow.Select(w => new WorkflowDoc(w.UnitId, periodKeys[w.PeriodId], w.State, w.ChangedBy, w.ChangedAt, w.ReopenReason))
                .OrderBy(w => Key(w.UnitId)).ThenBy(w => w.PeriodKey, StringComparer.Ordinal)],
            Portal = new PortalDoc { Licence = tenant.Licence, EmbedOrigins = [.. tenant.EmbedOrigins], AccessibilityStatement = tenant.AccessibilityStatement,
                ContactEmail = tenant.ContactEmail, PublishAssignments = tenant.PublishAssignments, PublishControlPlans = tenant.PublishControlPlans },
            ReminderDaysBefore = tenant.ReminderDaysBefore,
            SignIn = await SignInAsync(tenant, cancellationToken),
            InternalControl = await InternalControlSection.ExportAsync(db, periodKeys, cancellationToken),
            Assignments = await AssignmentSection.ExportAsync(db, periodKeys, cancellationToken),
            OrganisationHistory = await ReorganisationSection.ExportAsync(db, cancellationToken),
            ClosedYears = await ClosedYearSection.ExportAsync(db, periodKeys, cancellationToken),
            PlanningYears = await PlanningSection.ExportAsync(db, periodKeys, cancellationToken),
            Forecasts = await ForecastSection.ExportAsync(db, periodKeys, cancellationToken),
            Finance = await FinanceSection.ExportAsync(db, cancellationToken),
        };
    }

    /// <summary>The sign-in settings without the client secret, which never leaves the database but encrypted.</summary>
    private async Task<SingleSignOn.SignInDoc> SignInAsync(Domain.Tenancy.Tenant tenant, CancellationToken cancellationToken)
    {
        var provider = await db.IdentityProviders.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        var domains = await db.EmailDomains.AsNoTracking().Where(d => d.TenantId == tenant.Id).Select(d => d.Domain).ToListAsync(cancellationToken);
        var mappings = await db.GroupMappings.AsNoTracking().ToListAsync(cancellationToken);
        return new SingleSignOn.SignInDoc
        {
            Provider = provider is null ? null : new SingleSignOn.IdentityProviderDoc
            {
                Authority = provider.Authority, ClientId = provider.ClientId, Scopes = provider.Scopes, EmailClaim = provider.EmailClaim, NameClaim = provider.NameClaim,
                GroupsClaim = provider.GroupsClaim, DisplayName = provider.DisplayName, Enabled = provider.Enabled,
            },
            LocalPasswords = tenant.LocalPasswords,
            RequireTwoFactor = tenant.RequireTwoFactor,
            EmailDomains = [.. domains.Order(StringComparer.Ordinal)],
            GroupMappings = [.. mappings.Select(m => new SingleSignOn.GroupMappingDoc(m.Group, m.Role, m.UnitId))
                .OrderBy(m => m.Group, StringComparer.Ordinal).ThenBy(m => m.UnitId).ThenBy(m => m.Role)],
        };
    }

    /// <summary>The tenant's governance models only, as the document describes them.</summary>
    public async Task<List<ModelDoc>> ExportModelsAsync(CancellationToken cancellationToken = default) =>
        ToDocs(await db.Models.AsNoTracking().Include(m => m.Dimensions).Include(m => m.Levels).Include(m => m.Scale).ToListAsync(cancellationToken));

    private static List<ModelDoc> ToDocs(List<GovernanceModel> models) =>
        [.. models.OrderBy(m => Key(m.Id)).Select(m => new ModelDoc
            {
                Id = m.Id, Name = m.Name, TemplateKey = m.TemplateKey, Status = m.Status, FirstYear = m.FirstYear, LastYear = m.LastYear,
                Vision = m.Vision, Description = m.Description, DimensionLabel = m.DimensionLabel, Cadence = m.Cadence,
                CadenceOverrides = m.CadenceOverrides, DefaultThresholds = m.DefaultThresholds,
                InterimEndMonth = m.InterimEndMonth, AllowsIndicatorForecasts = m.AllowsIndicatorForecasts,
                Dimensions = [.. m.Dimensions.OrderBy(d => d.SortOrder).ThenBy(d => Key(d.Id)).Select(d => new DimensionDoc(d.Id, d.Name, d.Description, d.SortOrder, d.Colour, d.AllowedUnitKinds))],
                Levels = [.. m.Levels.OrderBy(l => l.Depth).ThenBy(l => Key(l.Id)).Select(l => new LevelDoc(l.Id, l.Name, l.Description, l.Depth, l.UnitKinds, l.HorizonMinYears, l.HorizonMaxYears, l.RequiresParent, l.HasStrategies, l.Rollup))],
                Scale = [.. m.Scale.OrderBy(s => s.SortOrder).ThenBy(s => s.Key, StringComparer.Ordinal).Select(s => new ScaleDoc(s.Key, s.Label, s.Plural, s.Description, s.Colour, s.Symbol, N(s.Score), s.SortOrder, s.IsNotAssessed, s.SingularCommon, s.SingularNeuter, s.ForecastPhrase))],
            })];

    /// <summary>Guids sort differently in SQLite (text) and PostgreSQL (uuid); sort by their text everywhere.</summary>
    internal static string Key(Guid id) => id.ToString();

    internal static decimal N(decimal value) => DocumentNumbers.Normal(value);

    private static decimal? N(decimal? value) => DocumentNumbers.Normal(value);
}
