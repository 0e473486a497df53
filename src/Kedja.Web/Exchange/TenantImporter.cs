using System.Text.Json;
using Kedja.Data;
using Kedja.Domain.Activities;
using Kedja.Domain.Auditing;
using Kedja.Domain.Budget;
using Kedja.Domain.Documents;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Goals;
using Kedja.Domain.Indicators;
using Kedja.Web.Goals;
using Kedja.Web.Indicators;
using Kedja.Web.Model;
using Kedja.Web.Organisation;
using Kedja.Domain.Model;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Exchange;

public sealed record ImportResult(Tenant? Tenant, Dictionary<string, string[]> Errors)
{
    public bool Succeeded => Tenant is not null;
}

/// <summary>
/// Creates a new tenant from a <see cref="TenantDocument"/>. All or nothing: the document is validated in full first,
/// and everything is written in one transaction. One audit entry records the import (not one per row).
/// </summary>
public sealed class TenantImporter(KedjaDbContext db, IAuditActor actor, TimeProvider clock)
{
    public async Task<ImportResult> ImportAsync(TenantDocument doc, string slug, string? name = null, CancellationToken cancellationToken = default)
    {
        var errors = await CheckAsync(doc, slug, cancellationToken);
        if (errors.Count > 0)
        {
            return new ImportResult(null, errors);
        }

        var tenant = new Tenant
        {
            Slug = slug!, Name = string.IsNullOrWhiteSpace(name) ? doc.Tenant.Name : name.Trim(), Kommunkod = doc.Tenant.Kommunkod,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            Licence = doc.Portal.Licence,
            PublishAssignments = doc.Portal.PublishAssignments,
            PublishControlPlans = doc.Portal.PublishControlPlans,
            ReminderDaysBefore = doc.ReminderDaysBefore,
        };
        // As the rules store them (origins normalised, each once); the validator refused what they do not take.
        (tenant.EmbedOrigins, tenant.ContactEmail) = Tenants.PortalRules.Check(new(), "", doc.Portal);
        tenant.AccessibilityStatement = Tenants.PortalRules.Statement(doc.Portal.AccessibilityStatement, tenant.Name);
        tenant.LocalPasswords = doc.SignIn.LocalPasswords;
        tenant.RequireTwoFactor = doc.SignIn.RequireTwoFactor;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Tenants.Add(tenant);
        db.Scope.Enter(tenant.Id, tenant.Slug);
        db.SuppressRowAudit = true;
        try
        {
            Add(doc);
            AddSignIn(doc, tenant.Id);
            await ClosedYearSection.AddAsync(db, doc.ClosedYears, cancellationToken);
            db.AuditEntries.Add(new AuditEntry
            {
                TenantId = tenant.Id,
                UserName = actor.Name,
                At = clock.GetUtcNow().UtcDateTime,
                Entity = nameof(Tenant),
                EntityId = tenant.Id.ToString(),
                Action = "Imported",
                After = JsonSerializer.Serialize(new
                {
                    tenant.Slug,
                    tenant.Name,
                    Models = doc.Models.Count,
                    Units = doc.Units.Count,
                    Goals = doc.Goals.Count,
                    Indicators = doc.Indicators.Count,
                    Outcomes = doc.Outcomes.Count,
                    Assessments = doc.Assessments.Count,
                    Activities = doc.Activities.Count,
                    Risks = doc.InternalControl.Risks.Count,
                    ControlPlans = doc.InternalControl.Plans.Count,
                    Assignments = doc.Assignments.Count,
                    Reorganisations = doc.OrganisationHistory.Reorganisations.Count,
                    UnitVersions = doc.OrganisationHistory.UnitVersions.Count,
                    Ownerships = doc.OrganisationHistory.Ownerships.Count,
                    LockedScorecards = doc.ClosedYears.LockedScorecards.Count,
                    Corrections = doc.ClosedYears.Corrections.Count,
                    PlanningYears = doc.PlanningYears.Count,
                    Forecasts = doc.Forecasts.Count,
                }),
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            db.SuppressRowAudit = false;
            db.ChangeTracker.Clear();
        }

        return new ImportResult(tenant, errors);
    }

    /// <summary>Every error of the document and the address, without writing anything.</summary>
    public async Task<Dictionary<string, string[]>> CheckAsync(TenantDocument doc, string slug, CancellationToken cancellationToken = default)
    {
        var errors = TenantDocumentValidator.Validate(doc);
        if (!TenantDocumentValidator.SlugPattern().IsMatch(slug ?? ""))
        {
            errors["slug"] = ["Kortnamnet får bara innehålla a-z, 0-9 och bindestreck (2-60 tecken)."];
        }
        else if (await db.Tenants.AnyAsync(t => t.Slug == slug, cancellationToken))
        {
            errors["slug"] = [$"Det finns redan en kommun med kortnamnet '{slug}'."];
        }

        // A domain names one municipality in the whole installation (home realm discovery): a copy of a tenant cannot take
        // its original's. Said without naming who has it.
        var domains = (doc.SignIn?.EmailDomains ?? []).Select(d => SingleSignOn.SsoRules.Domain(d ?? "").Domain).OfType<string>().Distinct().ToList();
        if (domains.Count > 0)
        {
            var taken = await db.EmailDomains.AsNoTracking().Where(d => domains.Contains(d.Domain)).Select(d => d.Domain).ToListAsync(cancellationToken);
            if (taken.Count > 0)
            {
                errors["$.signIn.emailDomains"] = [.. taken.Order(StringComparer.Ordinal).Select(d =>
                    $"E-postdomänen {d} hör redan till en annan kommun i Kedja. Ta bort den ur dokumentet; en domän kan bara höra till en kommun.")];
            }
        }

        return errors;
    }

    /// <summary>The sign-in settings as the rules store them; the provider comes without a secret, which an administrator saves after the import.</summary>
    private void AddSignIn(TenantDocument doc, Guid tenantId)
    {
        var signIn = SingleSignOn.SsoRules.Check(new(), "", doc.SignIn, doc.Units.Select(u => u.Id).ToHashSet());
        if (signIn.Provider is { } p)
        {
            db.IdentityProviders.Add(new TenantIdentityProvider
            {
                TenantId = tenantId, Authority = p.Authority, ClientId = p.ClientId, Scopes = p.Scopes, EmailClaim = p.EmailClaim, NameClaim = p.NameClaim,
                GroupsClaim = p.GroupsClaim, DisplayName = p.DisplayName, Enabled = p.Enabled, UpdatedAt = clock.GetUtcNow().UtcDateTime,
            });
        }

        db.EmailDomains.AddRange(signIn.Domains.Select(d => new TenantEmailDomain { Domain = d, TenantId = tenantId }));
        db.GroupMappings.AddRange(signIn.Mappings.Select(m => new TenantGroupMapping { TenantId = tenantId, Group = m.Group, Role = m.Role, UnitId = m.UnitId }));
    }

    private void Add(TenantDocument doc)
    {
        foreach (var m in doc.Models)
        {
            var model = new GovernanceModel { Id = m.Id, Name = m.Name };
            m.CopyTo(model);
            model.InterimEndMonth = m.InterimEndMonth ?? PeriodRef.DefaultInterimEndMonth;
            db.Models.Add(model);
        }

        var periods = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var p in doc.Periods)
        {
            var period = PeriodRef.Parse(p.Key);
            var entity = new FollowUpPeriod
            {
                Key = p.Key, Year = period.Year, Kind = period.Kind, Name = p.Name, StartDate = period.Start, EndDate = period.End,
                Deadline = p.Deadline, IsPublished = p.IsPublished, PublishedAt = p.PublishedAt, PublishedBy = p.PublishedBy,
            };
            periods[p.Key] = entity.Id;
            db.Periods.Add(entity);
            foreach (var d in p.Deadlines ?? [])
            {
                db.PeriodDeadlines.Add(new PeriodDeadline { PeriodId = entity.Id, UnitKind = d.UnitKind, DueOn = d.DueOn });
            }
        }

        foreach (var u in doc.Units)
        {
            var unit = new OrgUnit { Id = u.Id, Name = u.Name };
            db.Units.Add(unit);
            u.CopyTo(unit, db, []);
        }

        foreach (var g in doc.Goals)
        {
            var goal = new Goal { Id = g.Id, Title = g.Title };
            db.Goals.Add(goal);
            g.CopyTo(goal, db, [], []);
        }

        db.Programs.AddRange(doc.Programs.Select(p => new Domain.Activities.Program
        {
            Id = p.Id, Name = p.Name, Description = p.Description, OwnerUnitId = p.OwnerUnitId, ValidFromYear = p.ValidFromYear, ValidToYear = p.ValidToYear,
        }));

        foreach (var x in doc.Indicators)
        {
            var indicator = new Indicator { Id = x.Id, Name = x.Name };
            x.CopyTo(indicator);
            db.Indicators.Add(indicator);
        }

        db.Outcomes.AddRange(doc.Outcomes.Select(o =>
        {
            var outcome = new Outcome
            {
                IndicatorId = o.IndicatorId, PeriodKey = o.PeriodKey, Value = o.Value, ValueWomen = o.ValueWomen, ValueMen = o.ValueMen, Comment = o.Comment,
                Source = o.Source, SourceReference = o.SourceReference, FetchedAt = o.FetchedAt, IsRevised = o.IsRevised, RecordedBy = o.RecordedBy, RecordedAt = o.RecordedAt,
            };
            outcome.Revisions = [.. o.Revisions.Select(r => new OutcomeRevision
            {
                OutcomeId = outcome.Id, Value = r.Value, ValueWomen = r.ValueWomen, ValueMen = r.ValueMen, Source = r.Source,
                SourceReference = r.SourceReference, RecordedBy = r.RecordedBy, RecordedAt = r.RecordedAt, ReplacedAt = r.ReplacedAt,
            })];
            return outcome;
        }));

        db.Assessments.AddRange(doc.Assessments.Select(a => new Assessment
        {
            GoalId = a.GoalId, PeriodId = periods[a.PeriodKey], StatusKey = a.Status, SuggestedStatusKey = a.SuggestedStatus, DeviatesFromRule = a.DeviatesFromRule,
            Motivation = a.Motivation, Analysis = a.Analysis, Actions = a.Actions, AssessedBy = a.AssessedBy, AssessedAt = a.AssessedAt,
            ActionsClosedAt = a.ActionsClosedAt, ActionsClosedBy = a.ActionsClosedBy, BasedOnForecast = a.BasedOnForecast,
        }));

        db.Activities.AddRange(doc.Activities.Select(a => new Activity
        {
            Id = a.Id, Title = a.Title, Description = a.Description, GoalId = a.GoalId, ProgramId = a.ProgramId, ResponsibleUnitId = a.ResponsibleUnitId,
            StartDate = a.StartDate, EndDate = a.EndDate, Status = a.Status, Progress = a.Progress,
            Comments = [.. a.Comments.Select(c => new ActivityComment { ActivityId = a.Id, PeriodId = periods[c.PeriodKey], Text = c.Text, Status = c.Status, Progress = c.Progress, WrittenBy = c.WrittenBy, WrittenAt = c.WrittenAt })],
        }));

        foreach (var d in doc.Documents)
        {
            db.Documents.Add(new GoverningDocument
            {
                Id = d.Id, Kind = d.Kind, Title = d.Title, Description = d.Description, DecidedByUnitId = d.DecidedByUnitId, DecidedOn = d.DecidedOn,
                ValidFrom = d.ValidFrom, ValidTo = d.ValidTo, Url = d.Url,
            });
            db.DocumentGoals.AddRange(d.GoalIds.Select(g => new DocumentGoalLink { DocumentId = d.Id, GoalId = g }));
        }

        foreach (var b in doc.Budget)
        {
            var frame = new BudgetFrame { UnitId = b.UnitId, Year = b.Year, Amount = b.Amount, Note = b.Note, IsDraft = b.IsDraft };
            frame.Outcomes = [.. (b.Outcomes ?? []).Select(o => new BudgetOutcome
            {
                FrameId = frame.Id, PeriodKey = o.PeriodKey, Actual = o.Actual, Forecast = o.Forecast, ForecastComment = Budget.BudgetRules.Text(o.ForecastComment),
                DeviationExplanation = Budget.BudgetRules.Text(o.DeviationExplanation), ExplainedBy = o.ExplainedBy, ExplainedAt = o.ExplainedAt,
            })];
            db.BudgetFrames.Add(frame);
        }

        db.UnitPeriodStatuses.AddRange(doc.Workflow.Select(w => new UnitPeriodStatus
        {
            UnitId = w.UnitId, PeriodId = periods[w.PeriodKey], State = w.State, ChangedBy = w.ChangedBy, ChangedAt = w.ChangedAt, ReopenReason = w.ReopenReason,
        }));

        InternalControlSection.Add(db, doc.InternalControl, periods);
        AssignmentSection.Add(db, doc.Assignments, periods);
        ReorganisationSection.Add(db, doc.OrganisationHistory);
        PlanningSection.Add(db, doc.PlanningYears, periods);
        ForecastSection.Add(db, doc.Forecasts, periods);
        FinanceSection.Add(db, doc.Finance);
    }
}
