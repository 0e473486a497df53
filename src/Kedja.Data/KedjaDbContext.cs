using System.Linq.Expressions;
using System.Text.Json;
using Kedja.Domain;
using Kedja.Domain.Activities;
using Kedja.Domain.Assignments;
using Kedja.Domain.InternalControl;
using Kedja.Domain.Auditing;
using Kedja.Domain.Budget;
using Kedja.Domain.Documents;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Goals;
using Kedja.Domain.Indicators;
using Kedja.Domain.Model;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Kedja.Data;

/// <summary>
/// The one schema, on SQLite and PostgreSQL alike. Tenant rows have the key (tenant_id, id) and reference each other
/// by composite foreign keys, so a row can never point into another municipality; a query filter scopes every read
/// to the current tenant, and <see cref="SaveChangesAsync(bool, CancellationToken)"/> refuses writes outside it.
/// </summary>
public class KedjaDbContext(DbContextOptions<KedjaDbContext> options, TenantScope scope, IAuditActor actor, TimeProvider? clock = null)
    : IdentityDbContext<KedjaUser>(options)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },

        // The audit trail and JSON columns are read by people; keep å, ä and ö as they are.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public TenantScope Scope { get; } = scope;

    /// <summary>When changes are recorded as made; tests move it through periods and deadlines.</summary>
    public TimeProvider Clock { get; } = clock ?? TimeProvider.System;

    /// <summary>Set by bulk operations (import, generate) that write one summary entry instead of one per row.</summary>
    public bool SuppressRowAudit { get; set; }

    public DbSet<Tenant> Tenants => Set<Tenant>();

    public DbSet<TenantMembership> Memberships => Set<TenantMembership>();

    public DbSet<PersonalAccessToken> AccessTokens => Set<PersonalAccessToken>();

    public DbSet<AccountLink> AccountLinks => Set<AccountLink>();

    public DbSet<SignInThrottle> SignInThrottles => Set<SignInThrottle>();

    public DbSet<RateLimitWindow> RateLimitWindows => Set<RateLimitWindow>();

    public DbSet<RequestSample> RequestSamples => Set<RequestSample>();

    public DbSet<UserSession> UserSessions => Set<UserSession>();

    public DbSet<SecurityKey> SecurityKeys => Set<SecurityKey>();

    public DbSet<SecurityKeyChallenge> SecurityKeyChallenges => Set<SecurityKeyChallenge>();

    public DbSet<RecoveryCode> RecoveryCodes => Set<RecoveryCode>();

    public DbSet<OutboxMail> Outbox => Set<OutboxMail>();

    public DbSet<TenantIdentityProvider> IdentityProviders => Set<TenantIdentityProvider>();

    public DbSet<TenantEmailDomain> EmailDomains => Set<TenantEmailDomain>();

    public DbSet<TenantGroupMapping> GroupMappings => Set<TenantGroupMapping>();

    public DbSet<PeriodDeadline> PeriodDeadlines => Set<PeriodDeadline>();

    public DbSet<OrgUnit> Units => Set<OrgUnit>();

    public DbSet<UnitService> UnitServices => Set<UnitService>();

    public DbSet<GovernanceModel> Models => Set<GovernanceModel>();

    public DbSet<Dimension> Dimensions => Set<Dimension>();

    public DbSet<GoalLevel> GoalLevels => Set<GoalLevel>();

    public DbSet<ScaleLevel> ScaleLevels => Set<ScaleLevel>();

    public DbSet<Goal> Goals => Set<Goal>();

    public DbSet<GoalLink> GoalLinks => Set<GoalLink>();

    public DbSet<Strategy> Strategies => Set<Strategy>();

    public DbSet<Indicator> Indicators => Set<Indicator>();

    public DbSet<IndicatorTarget> Targets => Set<IndicatorTarget>();

    public DbSet<Outcome> Outcomes => Set<Outcome>();

    public DbSet<OutcomeRevision> OutcomeRevisions => Set<OutcomeRevision>();

    public DbSet<FollowUpPeriod> Periods => Set<FollowUpPeriod>();

    public DbSet<Assessment> Assessments => Set<Assessment>();

    public DbSet<UnitPeriodStatus> UnitPeriodStatuses => Set<UnitPeriodStatus>();

    public DbSet<Activity> Activities => Set<Activity>();

    public DbSet<ActivityComment> ActivityComments => Set<ActivityComment>();

    public DbSet<Domain.Activities.Program> Programs => Set<Domain.Activities.Program>();

    public DbSet<GoverningDocument> Documents => Set<GoverningDocument>();

    public DbSet<DocumentGoalLink> DocumentGoals => Set<DocumentGoalLink>();

    public DbSet<BudgetFrame> BudgetFrames => Set<BudgetFrame>();

    public DbSet<BudgetOutcome> BudgetOutcomes => Set<BudgetOutcome>();

    public DbSet<ReportSnapshot> ReportSnapshots => Set<ReportSnapshot>();

    public DbSet<Domain.Reports.TenantReportTemplate> ReportTemplates => Set<Domain.Reports.TenantReportTemplate>();

    public DbSet<Domain.Reports.ReportJob> ReportJobs => Set<Domain.Reports.ReportJob>();

    public DbSet<Domain.Imports.OutcomeImport> OutcomeImports => Set<Domain.Imports.OutcomeImport>();

    public DbSet<Domain.Kolada.KoladaLinkStatus> KoladaLinkStatuses => Set<Domain.Kolada.KoladaLinkStatus>();

    public DbSet<Domain.Kolada.KoladaSchedule> KoladaSchedules => Set<Domain.Kolada.KoladaSchedule>();

    // Finance import (issue 16, h147).
    public DbSet<Domain.Finance.FinanceMapping> FinanceMappings => Set<Domain.Finance.FinanceMapping>();

    public DbSet<Domain.Finance.BudgetLineMonth> BudgetLineMonths => Set<Domain.Finance.BudgetLineMonth>();

    public DbSet<RiskSettings> RiskSettings => Set<RiskSettings>();

    public DbSet<Risk> Risks => Set<Risk>();

    public DbSet<RiskAssessment> RiskAssessments => Set<RiskAssessment>();

    public DbSet<ControlPlan> ControlPlans => Set<ControlPlan>();

    public DbSet<ControlPlanRisk> ControlPlanRisks => Set<ControlPlanRisk>();

    public DbSet<ControlAction> ControlActions => Set<ControlAction>();

    public DbSet<ControlResult> ControlResults => Set<ControlResult>();

    public DbSet<ControlMeasure> ControlMeasures => Set<ControlMeasure>();

    public DbSet<Assignment> Assignments => Set<Assignment>();

    public DbSet<AssignmentReport> AssignmentReports => Set<AssignmentReport>();

    public DbSet<AssignmentGoalLink> AssignmentGoals => Set<AssignmentGoalLink>();

    // Full-year forecasts (issue 16, h143)
    public DbSet<IndicatorForecast> IndicatorForecasts => Set<IndicatorForecast>();
    // Closed years (issue 16, h145): scorecards as reported when locked, and corrections after closing.
    public DbSet<LockedScorecard> LockedScorecards => Set<LockedScorecard>();

    public DbSet<Correction> Corrections => Set<Correction>();

    /// <summary>Who the writes of this context are recorded as: a locked follow-up under correction takes changes only from them.</summary>
    public string ActorName => actor.Name;

    /// <summary>Who writes through this context, for a rule that must know the account and not only the name (a correction's administrator).</summary>
    public IAuditActor Actor => actor;

    // Reorganisations (issue 16, ADR 47 section 5).
    public DbSet<Reorganisation> Reorganisations => Set<Reorganisation>();

    public DbSet<ReorganisationStep> ReorganisationSteps => Set<ReorganisationStep>();

    public DbSet<ReorganisationMapping> ReorganisationMappings => Set<ReorganisationMapping>();

    public DbSet<OrgUnitVersion> OrgUnitVersions => Set<OrgUnitVersion>();

    public DbSet<OwnershipPeriod> Ownerships => Set<OwnershipPeriod>();

    // Planning year (issue 16, ADR 47 §3).
    public DbSet<Domain.Planning.PlanningYear> PlanningYears => Set<Domain.Planning.PlanningYear>();

    public DbSet<Domain.Planning.PlanningChoice> PlanningChoices => Set<Domain.Planning.PlanningChoice>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<StatusChange> StatusChanges => Set<StatusChange>();

    public DbSet<AuditChainHead> AuditChainHeads => Set<AuditChainHead>();

    /// <summary>Read by the query filters; Guid.Empty (matches nothing) when no tenant is entered.</summary>
    private Guid CurrentTenantId => Scope.TenantId ?? Guid.Empty;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(40);
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcConverter>();
        configurationBuilder.Properties<decimal>().HavePrecision(18, 4);
        configurationBuilder.Properties<string>().HaveMaxLength(TextLimits.Short);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<KedjaUser>().ToTable("users");
        builder.Entity<IdentityRole>().ToTable("roles");
        builder.Entity<IdentityUserRole<string>>().ToTable("user_roles");
        builder.Entity<IdentityUserClaim<string>>().ToTable("user_claims");
        builder.Entity<IdentityUserLogin<string>>().ToTable("user_logins");
        builder.Entity<IdentityUserToken<string>>().ToTable("user_tokens");
        builder.Entity<IdentityRoleClaim<string>>().ToTable("role_claims");

        builder.Entity<Tenant>(e =>
        {
            e.HasIndex(t => t.Slug).IsUnique();
            e.Property(t => t.Slug).HasMaxLength(TextLimits.Slug);
            e.Property(t => t.Kommunkod).HasMaxLength(4);
            e.Property(t => t.EmbedOrigins).HasConversion(JsonConverter<List<string>>(), JsonComparer<List<string>>()).HasMaxLength(TextLimits.Text);
            e.Property(t => t.AccessibilityStatement).HasMaxLength(TextLimits.Page);
            e.Property(t => t.ContactEmail).HasMaxLength(254);

            // Only the portal's settings are edited on the row (ADR 41): a stale version is a conflict, as for every edited row.
            e.Property(t => t.Version).IsConcurrencyToken();
        });

        builder.Entity<PersonalAccessToken>(e =>
        {
            e.HasIndex(t => t.TokenHash).IsUnique();
            e.HasOne<KedjaUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<AccountLink>(e =>
        {
            e.HasIndex(l => l.SecretHash).IsUnique();
            e.Property(l => l.SecretHash).HasMaxLength(64);
            e.HasOne<KedjaUser>().WithMany().HasForeignKey(l => l.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<KedjaUser>(e =>
        {
            e.Property(u => u.AuthenticatorKeyProtected).HasMaxLength(TextLimits.Text);
            e.Property(u => u.CalendarSecretHash).HasMaxLength(64);
            e.HasIndex(u => u.CalendarSecretHash).IsUnique();
        });

        builder.Entity<RecoveryCode>(e =>
        {
            e.Property(c => c.CodeHash).HasMaxLength(64);
            e.HasIndex(c => new { c.UserId, c.CodeHash }).IsUnique();
            e.HasOne<KedjaUser>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<OutboxMail>(e =>
        {
            e.ToTable("mail_outbox");
            e.HasIndex(m => m.Key).IsUnique();
            e.HasIndex(m => new { m.State, m.NextTryAt });
            e.HasIndex(m => new { m.TenantId, m.CreatedAt });
            e.Property(m => m.ToAddress).HasMaxLength(254);
            e.Property(m => m.Body).HasMaxLength(int.MaxValue);
            e.Property(m => m.LastError).HasMaxLength(TextLimits.Text);
            e.HasOne<Tenant>().WithMany().HasForeignKey(m => m.TenantId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<KedjaUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<TenantEmailDomain>(e =>
        {
            // Read before any tenant is known (home realm discovery), so no tenant query filter.
            e.ToTable("tenant_email_domains");
            e.HasKey(d => d.Domain);
            e.Property(d => d.Domain).HasMaxLength(253);
            e.HasIndex(d => d.TenantId);
            e.HasOne<Tenant>().WithMany().HasForeignKey(d => d.TenantId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<SignInThrottle>(e =>
        {
            e.HasKey(t => t.Subject);
            e.Property(t => t.Subject).HasMaxLength(200);
            e.HasIndex(t => t.LastFailureAt);
        });

        builder.Entity<StatusChange>(e =>
        {
            e.ToTable("status_changes");
            e.HasIndex(c => new { c.TenantId, c.Version });
            e.HasQueryFilter(c => c.TenantId == CurrentTenantId);
        });

        builder.Entity<AuditEntry>(e =>
        {
            e.ToTable("audit_entries");
            e.Property(a => a.Before).HasMaxLength(int.MaxValue);
            e.Property(a => a.After).HasMaxLength(int.MaxValue);
            e.HasIndex(a => new { a.TenantId, a.Entity, a.EntityId });
            e.HasIndex(a => new { a.TenantId, a.At });
            e.HasIndex(a => new { a.TenantId, a.Sequence }).IsUnique();
            e.Property(a => a.Hash).HasMaxLength(64);
            e.HasQueryFilter(a => a.TenantId == CurrentTenantId);
        });

        builder.Entity<AuditChainHead>(e =>
        {
            e.HasKey(h => h.Scope);
            e.Property(h => h.Scope).HasMaxLength(40);
            e.Property(h => h.LastHash).HasMaxLength(64);
        });

        Tenanted<TenantMembership>(builder, e =>
        {
            e.HasOne<KedjaUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(m => new { m.TenantId, m.UserId }).IsUnique();
            Ref<TenantMembership, OrgUnit>(e, m => new { m.TenantId, m.UnitId });
        });

        Tenanted<TenantIdentityProvider>(builder, e =>
        {
            e.ToTable("tenant_identity_providers");
            e.HasKey(p => p.TenantId);
            e.Property(p => p.ClientSecretProtected).HasMaxLength(TextLimits.Text);
            e.Property(p => p.Scopes).HasMaxLength(TextLimits.Text);
        });

        Tenanted<TenantGroupMapping>(builder, e =>
        {
            e.ToTable("tenant_group_mappings");
            e.HasIndex(m => new { m.TenantId, m.Group });
            Ref<TenantGroupMapping, OrgUnit>(e, m => new { m.TenantId, m.UnitId }, DeleteBehavior.Cascade);
        });

        Tenanted<PeriodDeadline>(builder, e =>
        {
            e.HasIndex(d => new { d.TenantId, d.PeriodId, d.UnitKind }).IsUnique();
            Ref<PeriodDeadline, FollowUpPeriod>(e, d => new { d.TenantId, d.PeriodId }, DeleteBehavior.Cascade);
        });

        Tenanted<OrgUnit>(builder, e =>
        {
            e.ToTable("org_units");
            Ref<OrgUnit, OrgUnit>(e, u => new { u.TenantId, u.ParentId });
        });

        Tenanted<UnitService>(builder, e =>
        {
            e.HasKey(s => new { s.TenantId, s.AdministrationId, s.CommitteeId });
            Ref<UnitService, OrgUnit>(e, s => new { s.TenantId, s.AdministrationId }, DeleteBehavior.Cascade);
            Ref<UnitService, OrgUnit>(e, s => new { s.TenantId, s.CommitteeId }, DeleteBehavior.Cascade);
        });

        Tenanted<GovernanceModel>(builder, e =>
        {
            e.ToTable("governance_models");
            e.Property(m => m.Vision).HasMaxLength(TextLimits.Text);
            e.Property(m => m.Description).HasMaxLength(TextLimits.Text);
            e.Property(m => m.CadenceOverrides).HasConversion(JsonConverter<List<CadenceOverride>>(), JsonComparer<List<CadenceOverride>>()).HasMaxLength(TextLimits.Text);
            e.Property(m => m.DefaultThresholds).HasConversion(JsonConverter<ThresholdRule>(), JsonComparer<ThresholdRule>()).HasMaxLength(TextLimits.Text);
            e.HasMany(m => m.Dimensions).WithOne().HasForeignKey(d => new { d.TenantId, d.ModelId }).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(m => m.Levels).WithOne().HasForeignKey(l => new { l.TenantId, l.ModelId }).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(m => m.Scale).WithOne().HasForeignKey(s => new { s.TenantId, s.ModelId }).OnDelete(DeleteBehavior.Cascade);
        });

        Tenanted<Dimension>(builder, e =>
        {
            e.Property(d => d.Description).HasMaxLength(TextLimits.Text);
            e.Property(d => d.AllowedUnitKinds).HasConversion(JsonConverter<List<UnitKind>>(), JsonComparer<List<UnitKind>>());
        });

        Tenanted<GoalLevel>(builder, e =>
        {
            e.Property(l => l.Description).HasMaxLength(TextLimits.Text);
            e.Property(l => l.UnitKinds).HasConversion(JsonConverter<List<UnitKind>>(), JsonComparer<List<UnitKind>>());
            e.Property(l => l.Rollup).HasConversion(JsonConverter<RollupRule>(), JsonComparer<RollupRule>()).HasMaxLength(TextLimits.Text);
        });

        Tenanted<ScaleLevel>(builder, e => e.HasIndex(s => new { s.TenantId, s.ModelId, s.Key }).IsUnique());

        Tenanted<Goal>(builder, e =>
        {
            e.Property(g => g.Description).HasMaxLength(TextLimits.Long);
            e.Property(g => g.Agenda2030).HasConversion(JsonConverter<List<int>>(), JsonComparer<List<int>>());
            Ref<Goal, GovernanceModel>(e, g => new { g.TenantId, g.ModelId });
            Ref<Goal, GoalLevel>(e, g => new { g.TenantId, g.LevelId });
            Ref<Goal, OrgUnit>(e, g => new { g.TenantId, g.OwnerUnitId });
            Ref<Goal, Dimension>(e, g => new { g.TenantId, g.DimensionId });
        });

        Tenanted<GoalLink>(builder, e =>
        {
            e.HasKey(l => new { l.TenantId, l.ParentGoalId, l.ChildGoalId });
            Ref<GoalLink, Goal>(e, l => new { l.TenantId, l.ParentGoalId }, DeleteBehavior.Cascade);
            Ref<GoalLink, Goal>(e, l => new { l.TenantId, l.ChildGoalId }, DeleteBehavior.Cascade);

            // Covers "the goals above these" (migration 0010).
            e.HasIndex(l => new { l.TenantId, l.ChildGoalId, l.ParentGoalId });
        });

        Tenanted<Strategy>(builder, e =>
        {
            e.Property(s => s.Description).HasMaxLength(TextLimits.Text);
            Ref<Strategy, Goal>(e, s => new { s.TenantId, s.GoalId }, DeleteBehavior.Cascade);
        });

        Tenanted<Indicator>(builder, e =>
        {
            e.Property(i => i.Description).HasMaxLength(TextLimits.Text);
            e.Property(i => i.Thresholds).HasConversion(NullableJsonConverter<ThresholdRule>(), JsonComparer<ThresholdRule?>()).HasMaxLength(TextLimits.Text);
            Ref<Indicator, OrgUnit>(e, i => new { i.TenantId, i.OwnerUnitId });
            Ref<Indicator, Goal>(e, i => new { i.TenantId, i.GoalId });
            Ref<Indicator, Domain.Activities.Program>(e, i => new { i.TenantId, i.ProgramId });
            e.HasMany(i => i.Targets).WithOne().HasForeignKey(t => new { t.TenantId, t.IndicatorId }).OnDelete(DeleteBehavior.Cascade);
        });

        Tenanted<IndicatorTarget>(builder, e =>
        {
            e.ToTable("indicator_targets");
            e.HasIndex(t => new { t.TenantId, t.IndicatorId, t.PeriodKey }).IsUnique();

            // The engine reads one period's targets for the whole tenant; covering, so no table lookups.
            e.HasIndex(t => new { t.TenantId, t.PeriodKey, t.IndicatorId, t.Value, t.Min, t.Max }).HasDatabaseName("ix_indicator_targets_period");
        });

        Tenanted<Outcome>(builder, e =>
        {
            e.Property(o => o.Comment).HasMaxLength(TextLimits.Text);
            e.HasIndex(o => new { o.TenantId, o.IndicatorId, o.PeriodKey }).IsUnique();

            // The engine reads one period's outcomes for the whole tenant; covering, so no table lookups.
            e.HasIndex(o => new { o.TenantId, o.PeriodKey, o.IndicatorId, o.Value }).HasDatabaseName("ix_outcomes_period");
            Ref<Outcome, Indicator>(e, o => new { o.TenantId, o.IndicatorId }, DeleteBehavior.Cascade);
            e.HasMany(o => o.Revisions).WithOne().HasForeignKey(r => new { r.TenantId, r.OutcomeId }).OnDelete(DeleteBehavior.Cascade);
        });

        Tenanted<OutcomeRevision>(builder, e => e.HasKey(r => new { r.TenantId, r.Id }));

        Tenanted<FollowUpPeriod>(builder, e =>
        {
            e.ToTable("follow_up_periods");
            e.HasIndex(p => new { p.TenantId, p.Key }).IsUnique();
            e.Ignore(p => p.Ref);
        });

        Tenanted<Assessment>(builder, e =>
        {
            e.Property(a => a.Motivation).HasMaxLength(TextLimits.Long);
            e.Property(a => a.Analysis).HasMaxLength(TextLimits.Long);
            e.Property(a => a.Actions).HasMaxLength(TextLimits.Long);
            e.HasIndex(a => new { a.TenantId, a.GoalId, a.PeriodId }).IsUnique();
            Ref<Assessment, Goal>(e, a => new { a.TenantId, a.GoalId }, DeleteBehavior.Cascade);
            Ref<Assessment, FollowUpPeriod>(e, a => new { a.TenantId, a.PeriodId });
        });

        Tenanted<UnitPeriodStatus>(builder, e =>
        {
            e.ToTable("unit_period_statuses");
            e.HasIndex(s => new { s.TenantId, s.UnitId, s.PeriodId }).IsUnique();
            Ref<UnitPeriodStatus, OrgUnit>(e, s => new { s.TenantId, s.UnitId }, DeleteBehavior.Cascade);
            Ref<UnitPeriodStatus, FollowUpPeriod>(e, s => new { s.TenantId, s.PeriodId }, DeleteBehavior.Cascade);
        });

        Tenanted<Activity>(builder, e =>
        {
            e.Property(a => a.Description).HasMaxLength(TextLimits.Text);
            Ref<Activity, Goal>(e, a => new { a.TenantId, a.GoalId });
            Ref<Activity, Domain.Activities.Program>(e, a => new { a.TenantId, a.ProgramId });
            Ref<Activity, OrgUnit>(e, a => new { a.TenantId, a.ResponsibleUnitId });
            e.HasMany(a => a.Comments).WithOne().HasForeignKey(c => new { c.TenantId, c.ActivityId }).OnDelete(DeleteBehavior.Cascade);
        });

        Tenanted<ActivityComment>(builder, e =>
        {
            e.Property(c => c.Text).HasMaxLength(TextLimits.Long);
            Ref<ActivityComment, FollowUpPeriod>(e, c => new { c.TenantId, c.PeriodId });
        });

        Tenanted<Domain.Activities.Program>(builder, e =>
        {
            e.Property(p => p.Description).HasMaxLength(TextLimits.Text);
            Ref<Domain.Activities.Program, OrgUnit>(e, p => new { p.TenantId, p.OwnerUnitId });
        });

        Tenanted<GoverningDocument>(builder, e =>
        {
            e.ToTable("governing_documents");
            e.Property(d => d.Description).HasMaxLength(TextLimits.Text);
            Ref<GoverningDocument, OrgUnit>(e, d => new { d.TenantId, d.DecidedByUnitId });
        });

        Tenanted<DocumentGoalLink>(builder, e =>
        {
            e.ToTable("document_goals");
            e.HasKey(l => new { l.TenantId, l.DocumentId, l.GoalId });
            Ref<DocumentGoalLink, GoverningDocument>(e, l => new { l.TenantId, l.DocumentId }, DeleteBehavior.Cascade);
            Ref<DocumentGoalLink, Goal>(e, l => new { l.TenantId, l.GoalId }, DeleteBehavior.Cascade);
        });

        Tenanted<BudgetFrame>(builder, e =>
        {
            e.HasIndex(f => new { f.TenantId, f.UnitId, f.Year }).IsUnique();
            Ref<BudgetFrame, OrgUnit>(e, f => new { f.TenantId, f.UnitId });
            e.HasMany(f => f.Outcomes).WithOne().HasForeignKey(o => new { o.TenantId, o.FrameId }).OnDelete(DeleteBehavior.Cascade);
        });

        Tenanted<BudgetOutcome>(builder, e =>
        {
            e.HasIndex(o => new { o.TenantId, o.FrameId, o.PeriodKey }).IsUnique();
            // Budget in follow-up (issue 16, h148, migration 0027): the forecast's comment and the deviation's explanation.
            e.Property(o => o.ForecastComment).HasMaxLength(TextLimits.Text);
            e.Property(o => o.DeviationExplanation).HasMaxLength(TextLimits.Text);
        });

        Tenanted<ReportSnapshot>(builder, e =>
        {
            e.HasKey(r => new { r.TenantId, r.Id });
            e.Property(r => r.Content).HasMaxLength(int.MaxValue);
            Ref<ReportSnapshot, FollowUpPeriod>(e, r => new { r.TenantId, r.PeriodId });
            Ref<ReportSnapshot, OrgUnit>(e, r => new { r.TenantId, r.UnitId });
            e.HasIndex(r => new { r.TenantId, r.JobId }).IsUnique();
        });

        Tenanted<Domain.Reports.ReportJob>(builder, e =>
        {
            e.Property(j => j.Content).HasMaxLength(int.MaxValue);
            e.Property(j => j.Failure).HasMaxLength(TextLimits.Text);
            e.HasIndex(j => new { j.State, j.RequestedAt });
            e.HasIndex(j => new { j.TenantId, j.RequestedById });
            e.HasIndex(j => new { j.TenantId, j.Slot }).IsUnique();
        });

        Tenanted<Domain.Imports.OutcomeImport>(builder, e =>
        {
            e.Property(j => j.Content).HasMaxLength(int.MaxValue);
            e.Property(j => j.Preview).HasMaxLength(int.MaxValue);
            e.Property(j => j.Failure).HasMaxLength(TextLimits.Text);
            e.Property(j => j.Kind).HasMaxLength(40);
            e.HasIndex(j => new { j.State, j.RequestedAt });
            e.HasIndex(j => new { j.TenantId, j.RequestedAt });
            e.HasIndex(j => new { j.TenantId, j.Slot }).IsUnique();
        });

        Tenanted<Domain.Kolada.KoladaLinkStatus>(builder, e =>
        {
            // No foreign key to the indicator: a status must not keep an indicator from being removed; fetching drops stale ones.
            e.HasKey(s => new { s.TenantId, s.IndicatorId });
            e.Property(s => s.LastError).HasMaxLength(TextLimits.Text);
            e.Property(s => s.Flags).HasMaxLength(int.MaxValue);
            e.Property(s => s.Reviewed).HasMaxLength(int.MaxValue);
        });

        Tenanted<Domain.Kolada.KoladaSchedule>(builder, e =>
        {
            e.HasKey(s => s.TenantId);
            e.HasIndex(s => s.NextRunAt);
        });

        Tenanted<Domain.Reports.TenantReportTemplate>(builder, e =>
        {
            e.ToTable("report_templates");
            e.Property(t => t.Sections).HasConversion(JsonConverter<List<Domain.Reports.ReportSectionTemplate>>(), JsonComparer<List<Domain.Reports.ReportSectionTemplate>>());
            e.HasIndex(t => new { t.TenantId, t.Key }).IsUnique();
        });

        ConfigureInternalControl(builder);
        ConfigureFinance(builder);
        ConfigureAssignments(builder);
        ConfigureForecasts(builder);
        ConfigureClosedYears(builder);
        ConfigureReorganisations(builder);
        ConfigurePlanningYears(builder);
        ConfigureRateLimitWindows(builder);
        ConfigureRequestSamples(builder);
        ConfigureUserSessions(builder);
        ConfigureSecurityKeys(builder);
        ApplySnakeCase(builder);
    }

    /// <summary>Shared rate-limit counters (issue 17, migration 0030): tenant-free, one row per limit and key.</summary>
    private static void ConfigureRateLimitWindows(ModelBuilder builder) =>
        builder.Entity<RateLimitWindow>(e =>
        {
            e.HasKey(w => new { w.Policy, w.PartitionKey });
            e.Property(w => w.Policy).HasMaxLength(50);
            e.Property(w => w.PartitionKey).HasMaxLength(200);
            e.HasIndex(w => w.ExpiresAt);
        });

    /// <summary>The slowest requests per node and window (issue 18, migration 0032): tenant-free, pruned after hours.</summary>
    private static void ConfigureRequestSamples(ModelBuilder builder) =>
        builder.Entity<RequestSample>(e =>
        {
            e.Property(r => r.Node).HasMaxLength(200);
            e.Property(r => r.Method).HasMaxLength(10);
            e.Property(r => r.Route).HasMaxLength(400);
            e.HasIndex(r => r.At);
        });

    /// <summary>Signed-in browser sessions (issue 18, ASVS 3.3.4, migration 0033): tenant-free, one account's own.</summary>
    private static void ConfigureUserSessions(ModelBuilder builder) =>
        builder.Entity<UserSession>(e =>
        {
            e.Property(u => u.Stamp).HasMaxLength(100);
            e.Property(u => u.UserAgent).HasMaxLength(300);
            e.HasIndex(u => u.UserId);
            e.HasOne<KedjaUser>().WithMany().HasForeignKey(u => u.UserId).OnDelete(DeleteBehavior.Cascade);
        });

    /// <summary>Security keys (WebAuthn) and their pending challenges (issue 18, ASVS 2.3.2, migration 0034): one account's own.</summary>
    private static void ConfigureSecurityKeys(ModelBuilder builder)
    {
        builder.Entity<SecurityKey>(e =>
        {
            e.Property(k => k.Name).HasMaxLength(100);
            e.HasIndex(k => k.CredentialId).IsUnique();
            e.HasIndex(k => k.UserId);
            e.HasOne<KedjaUser>().WithMany().HasForeignKey(k => k.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<SecurityKeyChallenge>(e =>
        {
            e.Property(c => c.Purpose).HasMaxLength(20);
            e.Property(c => c.Options).HasMaxLength(16000);
            e.HasIndex(c => c.UserId);
            e.HasOne<KedjaUser>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        });
    }

    /// <summary>Risk registers, control plans, their actions, results and measures (issue 15, ADR 46).</summary>
    // Finance import (issue 16, h147): the mapping to the finance system and the budget lines by month.
    private void ConfigureFinance(ModelBuilder builder)
    {
        Tenanted<Domain.Finance.FinanceMapping>(builder, e =>
        {
            e.ToTable("finance_mappings");
            e.HasKey(m => m.TenantId);
            e.Property(m => m.Units).HasConversion(JsonConverter<List<Domain.Finance.FinanceUnitRange>>(), JsonComparer<List<Domain.Finance.FinanceUnitRange>>())
                .HasMaxLength(int.MaxValue);
            e.Property(m => m.Accounts).HasConversion(JsonConverter<List<Domain.Finance.FinanceAccountRange>>(), JsonComparer<List<Domain.Finance.FinanceAccountRange>>())
                .HasMaxLength(TextLimits.Text);
        });

        Tenanted<Domain.Finance.BudgetLineMonth>(builder, e =>
        {
            e.ToTable("budget_line_months");
            e.Property(l => l.Line).HasMaxLength(TextLimits.Short);
            e.HasIndex(l => new { l.TenantId, l.UnitId, l.Year, l.Line, l.Month }).IsUnique();
            Ref<Domain.Finance.BudgetLineMonth, OrgUnit>(e, l => new { l.TenantId, l.UnitId });
        });
    }

    private void ConfigureInternalControl(ModelBuilder builder)
    {
        Tenanted<RiskSettings>(builder, e =>
        {
            e.ToTable("risk_settings");
            e.HasKey(s => s.TenantId);
            e.Property(s => s.LikelihoodLabels).HasConversion(JsonConverter<List<string>>(), JsonComparer<List<string>>()).HasMaxLength(TextLimits.Text);
            e.Property(s => s.ConsequenceLabels).HasConversion(JsonConverter<List<string>>(), JsonComparer<List<string>>()).HasMaxLength(TextLimits.Text);
            e.Property(s => s.Bands).HasConversion(JsonConverter<List<RiskBand>>(), JsonComparer<List<RiskBand>>()).HasMaxLength(TextLimits.Text);
            e.Property(s => s.Categories).HasConversion(JsonConverter<List<string>>(), JsonComparer<List<string>>()).HasMaxLength(TextLimits.Text);
        });

        Tenanted<Risk>(builder, e =>
        {
            e.Property(r => r.Description).HasMaxLength(TextLimits.Text);
            e.HasIndex(r => new { r.TenantId, r.Number }).IsUnique();
            e.HasIndex(r => new { r.TenantId, r.UnitId });
            Ref<Risk, OrgUnit>(e, r => new { r.TenantId, r.UnitId });
            e.HasMany(r => r.Assessments).WithOne().HasForeignKey(a => new { a.TenantId, a.RiskId }).OnDelete(DeleteBehavior.Cascade);
        });

        Tenanted<RiskAssessment>(builder, e =>
        {
            e.Property(a => a.ExistingControls).HasMaxLength(TextLimits.Text);
            e.Property(a => a.Reasoning).HasMaxLength(TextLimits.Text);
            e.HasIndex(a => new { a.TenantId, a.RiskId, a.Year }).IsUnique();
        });

        Tenanted<ControlPlan>(builder, e =>
        {
            e.Property(p => p.Description).HasMaxLength(TextLimits.Text);
            e.Property(p => p.ChangeReason).HasMaxLength(TextLimits.Text);
            e.HasIndex(p => new { p.TenantId, p.UnitId, p.Year }).IsUnique();
            Ref<ControlPlan, OrgUnit>(e, p => new { p.TenantId, p.UnitId });
            e.HasMany(p => p.Risks).WithOne().HasForeignKey(r => new { r.TenantId, r.PlanId }).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(p => p.Actions).WithOne().HasForeignKey(a => new { a.TenantId, a.PlanId }).OnDelete(DeleteBehavior.Cascade);
        });

        Tenanted<ControlPlanRisk>(builder, e =>
        {
            e.ToTable("control_plan_risks");
            e.HasKey(r => new { r.TenantId, r.PlanId, r.RiskId });
            Ref<ControlPlanRisk, Risk>(e, r => new { r.TenantId, r.RiskId });
        });

        Tenanted<ControlAction>(builder, e =>
        {
            e.HasIndex(a => new { a.TenantId, a.ResponsibleUnitId });
            Ref<ControlAction, Risk>(e, a => new { a.TenantId, a.RiskId });
            Ref<ControlAction, OrgUnit>(e, a => new { a.TenantId, a.ResponsibleUnitId });
            Ref<ControlAction, FollowUpPeriod>(e, a => new { a.TenantId, a.PeriodId });
            e.HasMany(a => a.Results).WithOne().HasForeignKey(r => new { r.TenantId, r.ActionId }).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(a => a.Measures).WithOne().HasForeignKey(m => new { m.TenantId, m.ActionId }).OnDelete(DeleteBehavior.Cascade);
        });

        Tenanted<ControlResult>(builder, e =>
        {
            e.Property(r => r.Findings).HasMaxLength(TextLimits.Long);
            e.Property(r => r.Reason).HasMaxLength(TextLimits.Text);
            e.HasIndex(r => new { r.TenantId, r.ActionId, r.PeriodId }).IsUnique();
            Ref<ControlResult, FollowUpPeriod>(e, r => new { r.TenantId, r.PeriodId });
        });

        Tenanted<ControlMeasure>(builder, e =>
        {
            e.Property(m => m.Text).HasMaxLength(TextLimits.Text);
            Ref<ControlMeasure, FollowUpPeriod>(e, m => new { m.TenantId, m.PeriodId });
        });
    }

    /// <summary>The council's and committees' assignments, their reports and goal links (issue 15, ADR 46).</summary>
    private void ConfigureAssignments(ModelBuilder builder)
    {
        Tenanted<Assignment>(builder, e =>
        {
            e.Property(a => a.Text).HasMaxLength(TextLimits.Text);
            e.Property(a => a.StatusReason).HasMaxLength(TextLimits.Text);
            e.HasIndex(a => new { a.TenantId, a.Number }).IsUnique();
            e.HasIndex(a => new { a.TenantId, a.ResponsibleUnitId });
            Ref<Assignment, OrgUnit>(e, a => new { a.TenantId, a.ResponsibleUnitId });
            e.HasOne<OrgUnit>().WithMany().HasForeignKey(a => new { a.TenantId, a.GiverUnitId }).OnDelete(DeleteBehavior.NoAction);
            Ref<Assignment, FollowUpPeriod>(e, a => new { a.TenantId, a.DuePeriodId });
            e.HasMany(a => a.Reports).WithOne().HasForeignKey(r => new { r.TenantId, r.AssignmentId }).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(a => a.Goals).WithOne().HasForeignKey(l => new { l.TenantId, l.AssignmentId }).OnDelete(DeleteBehavior.Cascade);
        });

        Tenanted<AssignmentReport>(builder, e =>
        {
            e.Property(r => r.Text).HasMaxLength(TextLimits.Long);
            e.HasIndex(r => new { r.TenantId, r.AssignmentId, r.PeriodId }).IsUnique();
            Ref<AssignmentReport, FollowUpPeriod>(e, r => new { r.TenantId, r.PeriodId });
        });

        Tenanted<AssignmentGoalLink>(builder, e =>
        {
            e.ToTable("assignment_goals");
            e.HasKey(l => new { l.TenantId, l.AssignmentId, l.GoalId });
            Ref<AssignmentGoalLink, Goal>(e, l => new { l.TenantId, l.GoalId }, DeleteBehavior.Cascade);
        });
    }

    /// <summary>Full-year forecasts of indicators, one per indicator and follow-up period (issue 16, ADR 47).</summary>
    private void ConfigureForecasts(ModelBuilder builder)
    {
        Tenanted<IndicatorForecast>(builder, e =>
        {
            e.Property(f => f.Comment).HasMaxLength(TextLimits.Text);
            e.HasIndex(f => new { f.TenantId, f.IndicatorId, f.PeriodId }).IsUnique();

            // A scorecard reads one period's forecasts of its indicators.
            e.HasIndex(f => new { f.TenantId, f.PeriodId });
            Ref<IndicatorForecast, Indicator>(e, f => new { f.TenantId, f.IndicatorId }, DeleteBehavior.Cascade);
            Ref<IndicatorForecast, FollowUpPeriod>(e, f => new { f.TenantId, f.PeriodId });
        });
    }

    /// <summary>Closed years (issue 16, h145): locked scorecards and corrections after closing.</summary>
    private void ConfigureClosedYears(ModelBuilder builder)
    {
        Tenanted<LockedScorecard>(builder, e =>
        {
            e.Property(s => s.Json).HasMaxLength(int.MaxValue);
            e.Property(s => s.Hash).HasMaxLength(64);
            e.Property(s => s.Budget).HasMaxLength(int.MaxValue);
            // Taken again at every lock and correction; the latest (ids are time-ordered) is what was reported.
            e.HasIndex(s => new { s.TenantId, s.PeriodId, s.UnitId });
            Ref<LockedScorecard, FollowUpPeriod>(e, s => new { s.TenantId, s.PeriodId }, DeleteBehavior.Cascade);
            Ref<LockedScorecard, OrgUnit>(e, s => new { s.TenantId, s.UnitId }, DeleteBehavior.Cascade);
        });

        Tenanted<Correction>(builder, e =>
        {
            e.Property(c => c.Reason).HasMaxLength(TextLimits.Text);
            e.Property(c => c.Changes).HasMaxLength(int.MaxValue);
            e.Property(c => c.AuditEntries).HasMaxLength(int.MaxValue);
            e.HasIndex(c => new { c.TenantId, c.PeriodId, c.UnitId, c.Number }).IsUnique();
            Ref<Correction, FollowUpPeriod>(e, c => new { c.TenantId, c.PeriodId }, DeleteBehavior.Cascade);
            Ref<Correction, OrgUnit>(e, c => new { c.TenantId, c.UnitId }, DeleteBehavior.Cascade);
        });
    }

    /// <summary>Reorganisations with their steps and mappings, the units' history and the owners' history (issue 16, ADR 47 section 5).</summary>
    private void ConfigureReorganisations(ModelBuilder builder)
    {
        Tenanted<Reorganisation>(builder, e =>
        {
            e.HasIndex(r => new { r.TenantId, r.EffectiveDate });
            e.HasMany(r => r.Steps).WithOne().HasForeignKey(s => new { s.TenantId, s.ReorganisationId }).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(r => r.Mappings).WithOne().HasForeignKey(m => new { m.TenantId, m.ReorganisationId }).OnDelete(DeleteBehavior.Cascade);
        });

        Tenanted<ReorganisationStep>(builder, e =>
        {
            e.Property(s => s.SourceUnitIds).HasConversion(JsonConverter<List<Guid>>(), JsonComparer<List<Guid>>()).HasMaxLength(TextLimits.Text);
            e.Property(s => s.TargetUnitIds).HasConversion(JsonConverter<List<Guid>>(), JsonComparer<List<Guid>>()).HasMaxLength(TextLimits.Text);
            e.Property(s => s.NewName).HasMaxLength(TextLimits.Short);
        });

        Tenanted<ReorganisationMapping>(builder, e =>
        {
            e.Property(m => m.Name).HasMaxLength(TextLimits.Text);
            e.HasIndex(m => new { m.TenantId, m.ReorganisationId, m.EntityKind, m.EntityId }).IsUnique();
        });

        Tenanted<OrgUnitVersion>(builder, e =>
        {
            e.Property(v => v.Name).HasMaxLength(TextLimits.Short);
            e.HasIndex(v => new { v.TenantId, v.UnitId });
            Ref<OrgUnitVersion, OrgUnit>(e, v => new { v.TenantId, v.UnitId }, DeleteBehavior.Cascade);
        });

        Tenanted<OwnershipPeriod>(builder, e =>
        {
            e.ToTable("ownerships");
            e.HasIndex(o => new { o.TenantId, o.EntityId });
            e.HasIndex(o => new { o.TenantId, o.UnitId });
            Ref<OwnershipPeriod, OrgUnit>(e, o => new { o.TenantId, o.UnitId });
        });
    }

    /// <summary>Next year's planning and what its activation wrote (issue 16, ADR 47 §3).</summary>
    private void ConfigurePlanningYears(ModelBuilder builder)
    {
        Tenanted<Domain.Planning.PlanningYear>(builder, e =>
        {
            e.HasIndex(y => new { y.TenantId, y.Year }).IsUnique();
            Ref<Domain.Planning.PlanningYear, GovernanceModel>(e, y => new { y.TenantId, y.ModelId });
            e.HasMany(y => y.Choices).WithOne().HasForeignKey(c => new { c.TenantId, c.PlanningYearId }).OnDelete(DeleteBehavior.Cascade);
        });

        Tenanted<Domain.Planning.PlanningChoice>(builder, e =>
        {
            e.Property(c => c.Previous).HasMaxLength(TextLimits.Text);
            e.HasIndex(c => new { c.TenantId, c.PlanningYearId, c.Kind, c.EntityId }).IsUnique();
        });
    }

    /// <summary>Tenant key, tenant foreign key, concurrency token and the tenant query filter, for every tenant-owned type.</summary>
    private void Tenanted<T>(ModelBuilder builder, Action<EntityTypeBuilder<T>> configure)
        where T : class, ITenantOwned
    {
        builder.Entity<T>(e =>
        {
            if (typeof(T).GetProperty("Id") is not null)
            {
                e.HasKey("TenantId", "Id");
            }

            e.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Cascade);
            e.HasQueryFilter(x => x.TenantId == CurrentTenantId);
            if (typeof(IVersioned).IsAssignableFrom(typeof(T)))
            {
                e.Property(nameof(IVersioned.Version)).IsConcurrencyToken();
            }

            configure(e);
        });
    }

    /// <summary>
    /// A reference within the tenant: (tenant_id, x_id) → (tenant_id, id). NO ACTION rather than RESTRICT so that deleting
    /// a whole tenant, which cascades to every table, is checked at the end of the statement.
    /// </summary>
    private static void Ref<TDependent, TPrincipal>(EntityTypeBuilder<TDependent> e, Expression<Func<TDependent, object?>> foreignKey, DeleteBehavior onDelete = DeleteBehavior.NoAction)
        where TDependent : class
        where TPrincipal : class =>
        e.HasOne<TPrincipal>().WithMany().HasForeignKey(foreignKey).OnDelete(onDelete);

    private static void ApplySnakeCase(ModelBuilder builder)
    {
        foreach (var entity in builder.Model.GetEntityTypes())
        {
            var table = entity.GetTableName();
            if (table is not null && table.Any(char.IsUpper))
            {
                // Names from a DbSet are already plural; names from the class are not.
                entity.SetTableName(table == entity.ClrType.Name ? Naming.Plural(Naming.Snake(table)) : Naming.Snake(table));
            }

            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(Naming.Snake(property.Name));
            }

            foreach (var key in entity.GetKeys())
            {
                key.SetName(Naming.Snake(key.GetName() ?? ""));
            }

            foreach (var fk in entity.GetForeignKeys())
            {
                fk.SetConstraintName(Naming.Snake(fk.GetConstraintName() ?? ""));
            }

            foreach (var index in entity.GetIndexes())
            {
                index.SetDatabaseName(Naming.Snake(index.GetDatabaseName() ?? ""));
            }
        }
    }

    private static ValueConverter<T, string> JsonConverter<T>() => new(
        v => JsonSerializer.Serialize(v, Json),
        v => JsonSerializer.Deserialize<T>(v, Json)!);

    private static ValueConverter<T?, string?> NullableJsonConverter<T>()
        where T : class => new(
        v => v == null ? null : JsonSerializer.Serialize(v, Json),
        v => v == null ? null : JsonSerializer.Deserialize<T>(v, Json));

    private static ValueComparer<T> JsonComparer<T>() => new(
        (a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json),
        v => JsonSerializer.Serialize(v, Json).GetHashCode(StringComparison.Ordinal),
        v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, Json), Json)!);

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var audit = ChangeTracking.Prepare(this, actor.Name);
        var explicitEntries = ChangeTracker.Entries<AuditEntry>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (audit.Entries.Count == 0 && explicitEntries.Count == 0 && !audit.TouchesEngineData && audit.ModifiedTenant is null)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        var ownTransaction = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            // Entries the caller added (an import's summary, a sign-in event) first, then one per changed row.
            var entries = explicitEntries.Concat(audit.Entries).ToList();
            if (entries.Count > 0)
            {
                await AuditChain.LinkAsync(this, entries, cancellationToken);
                AuditEntries.AddRange(audit.Entries);
            }

            var result = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            if (audit.TouchesEngineData && Scope.TenantId is { } tenantId)
            {
                await RecordStatusChangesAsync(tenantId, audit.StatusChanges, cancellationToken);
            }

            // A change to the tenant's own row changes no status but what the portal shows (its name, its statement):
            // the version is what tells every node's cache of public pages so.
            if (audit.ModifiedTenant is { } modified && !(audit.TouchesEngineData && Scope.TenantId == modified))
            {
                await RecordStatusChangesAsync(modified, [], cancellationToken);
            }

            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken);
            }

            return result;
        }
        catch
        {
            // The described rows are described again on the next try; the linked places were rolled back with the transaction.
            foreach (var entry in audit.Entries)
            {
                Entry(entry).State = EntityState.Detached;
            }

            throw;
        }
        finally
        {
            if (ownTransaction is not null)
            {
                await ownTransaction.DisposeAsync();
            }
        }
    }

    /// <summary>Status changes are kept for this many versions; a node whose results are older computes afresh.</summary>
    public const long StatusChangesKept = 4096;

    /// <summary>A write naming more items than this records that everything may have changed (<see cref="StatusChangeKind.All"/>).</summary>
    public const int StatusChangesNamedAtMost = 2000;

    /// <summary>
    /// Marks the tenant's computed statuses stale with a new data version, and records under it what the write may
    /// have changed (ADR 19), in the write's transaction. The version is raised on the server, so two writers never
    /// get the same one; the second waits for the first's row lock.
    /// </summary>
    public async Task<long> RecordStatusChangesAsync(Guid tenantId, IEnumerable<(StatusChangeKind Kind, Guid? Id)> changes, CancellationToken cancellationToken = default)
    {
        var version = await NextDataVersionAsync(tenantId, cancellationToken);
        var named = changes.Where(c => c.Kind != StatusChangeKind.None).Distinct().ToList();

        // A write that names thousands of items (a large import) changes most of a tenant anyway: one row saying so is
        // cheaper to write than thousands, and a node recomputes afresh about as fast as item by item.
        var rows = named.Count > StatusChangesNamedAtMost || named.Any(c => c.Kind == StatusChangeKind.All)
            ? [new StatusChange { TenantId = tenantId, Version = version, Kind = StatusChangeKind.All }]
            : named
                .Select(c => new StatusChange { TenantId = tenantId, Version = version, Kind = c.Kind, EntityId = c.Id }).ToList();
        if (rows.Count == 0)
        {
            rows.Add(new StatusChange { TenantId = tenantId, Version = version, Kind = StatusChangeKind.None });
        }

        StatusChanges.AddRange(rows);
        await base.SaveChangesAsync(acceptAllChangesOnSuccess: true, cancellationToken);
        if (version % 256 == 0)
        {
            await StatusChanges.IgnoreQueryFilters().Where(c => c.TenantId == tenantId && c.Version <= version - StatusChangesKept).ExecuteDeleteAsync(cancellationToken);
        }

        return version;
    }

    private async Task<long> NextDataVersionAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await Database.OpenConnectionAsync(cancellationToken);
        await using var command = Database.GetDbConnection().CreateCommand();
        command.Transaction = Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = "UPDATE tenants SET data_version = data_version + 1, data_changed_at = @at WHERE id = @id RETURNING data_version";
        var id = command.CreateParameter();
        id.ParameterName = "@id";
        id.Value = KedjaDatabase.ProviderOf(this) == DatabaseProvider.Sqlite ? tenantId.ToString().ToUpperInvariant() : tenantId;
        command.Parameters.Add(id);
        var at = command.CreateParameter();
        at.ParameterName = "@at";
        at.Value = Clock.GetUtcNow().UtcDateTime;
        command.Parameters.Add(at);
        var version = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        RaisedVersions.Add(tenantId);
        return version;
    }

    /// <summary>Tenants whose data version this context raised since its last commit; <see cref="DataVersionSignal"/> tells them on.</summary>
    internal HashSet<Guid> RaisedVersions { get; } = [];
}

internal sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

internal sealed class NullableUtcConverter() : ValueConverter<DateTime?, DateTime?>(
    v => v == null ? v : v.Value.Kind == DateTimeKind.Utc ? v : v.Value.ToUniversalTime(),
    v => v == null ? v : DateTime.SpecifyKind(v.Value, DateTimeKind.Utc));
