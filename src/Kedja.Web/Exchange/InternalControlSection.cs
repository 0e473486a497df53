using Kedja.Data;
using Kedja.Domain.InternalControl;
using Kedja.Domain.Periods;
using Kedja.Web.Infrastructure;
using Kedja.Web.InternalControl;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Exchange;

/// <summary>
/// Internal control in the tenant document (issue 15, ADR 46): read in an order that depends only on the data, checked
/// row by row with <see cref="InternalControlRules"/> against the document itself, and written with the ids it gives.
/// </summary>
public static class InternalControlSection
{
    private const string Path = "$.internalControl";

    public static async Task<InternalControlDoc> ExportAsync(KedjaDbContext db, IReadOnlyDictionary<Guid, string> periodKeys, CancellationToken cancellationToken)
    {
        var settings = await db.RiskSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        var risks = await db.Risks.AsNoTracking().Include(r => r.Assessments).ToListAsync(cancellationToken);
        var plans = await db.ControlPlans.AsNoTracking().Include(p => p.Risks).ToListAsync(cancellationToken);
        var actions = (await db.ControlActions.AsNoTracking().Include(a => a.Results).Include(a => a.Measures).ToListAsync(cancellationToken)).ToLookup(a => a.PlanId);
        var numbers = risks.ToDictionary(r => r.Id, r => r.Number);

        return new InternalControlDoc
        {
            Settings = settings is null ? null : RiskSettingsDoc.From(settings),
            Risks = [.. risks.OrderBy(r => r.Number).Select(RiskRegister.ToDoc)],
            // The API's shapes (ControlMapping), in the document's order: by keys that depend only on the data.
            Plans = [.. plans.OrderBy(p => TenantExporter.Key(p.UnitId)).ThenBy(p => p.Year).Select(p => ControlMapping.ToDoc(p, periodKeys) with
            {
                RiskIds = [.. p.Risks.Select(r => r.RiskId).OrderBy(r => numbers.GetValueOrDefault(r)).ThenBy(TenantExporter.Key)],
                Actions = [.. actions[p.Id].OrderBy(a => a.SortOrder).ThenBy(a => TenantExporter.Key(a.Id)).Select(a => ControlMapping.ToDoc(a, periodKeys) with
                {
                    Measures = [.. a.Measures.OrderBy(m => TenantExporter.Key(m.Id)).Select(m => ControlMapping.ToDoc(m, periodKeys))],
                })],
            })],
        };
    }

    /// <summary>Every error of the section with its path; references are resolved inside the document (units, periods, its own risks).</summary>
    public static void Validate(ValidationErrors e, InternalControlDoc? doc, IReadOnlySet<Guid> units, IReadOnlySet<string> periods)
    {
        if (doc is null)
        {
            e.Add(Path, "Den interna kontrollen saknas. Utelämna den hellre: då gäller standardskalan och inga risker.");
            return;
        }

        // The scale the assessments must fit: the document's own, else Kedja's default (as a tenant without settings has).
        var scale = RiskScale.Default();
        if (doc.Settings is { } s)
        {
            InternalControlRules.CheckSettings(e, $"{Path}.settings", s);
            scale = new RiskSettings
            {
                LikelihoodLabels = s.Likelihood ?? [], ConsequenceLabels = s.Consequence ?? [], Bands = s.Bands ?? [], Categories = s.Categories ?? [],
                PlanThreshold = s.PlanThreshold,
            };
        }

        var risks = TenantDocumentValidator.Unique(e, $"{Path}.risks", doc.Risks, r => r.Id);
        var numbers = new HashSet<int>();
        for (var i = 0; i < doc.Risks.Count; i++)
        {
            var r = doc.Risks[i];

            // In the document every risk has the category it has: a category renamed since keeps its old risks' name (Risk.Category).
            InternalControlRules.CheckRisk(e, $"{Path}.risks[{i}]", r, new RiskReferences(units.Contains(r.UnitId), scale, _ => true));
            if (r.Number > 0 && !numbers.Add(r.Number))
            {
                e.Add($"{Path}.risks[{i}].number", $"Numret {r.Number} har redan en annan risk.");
            }
        }

        var references = new PlanReferences(units.Contains, risks.ContainsKey,
            key => periods.Contains(key) && PeriodRef.TryParse(key, out var period) ? period.Year : null);
        TenantDocumentValidator.Unique(e, $"{Path}.plans", doc.Plans, p => p.Id);
        var unitYears = new HashSet<(Guid, int)>();
        var actionPlans = new Dictionary<Guid, int>();
        var measures = new HashSet<Guid>();
        for (var i = 0; i < doc.Plans.Count; i++)
        {
            var plan = doc.Plans[i];
            var at = $"{Path}.plans[{i}]";
            InternalControlRules.CheckPlan(e, at, plan, references);
            if (!unitYears.Add((plan.UnitId, plan.Year)))
            {
                e.Add($"{at}.year", $"Enheten har redan en plan för {plan.Year}.");
            }

            for (var a = 0; a < plan.Actions.Count; a++)
            {
                var action = plan.Actions[a];
                if (action.Id == Guid.Empty)
                {
                    e.Add($"{at}.actions[{a}].id", "Id saknas.");
                }
                else if (!actionPlans.TryAdd(action.Id, i) && actionPlans[action.Id] != i)
                {
                    // Twice in one plan is the rule's to say; here only across plans.
                    e.Add($"{at}.actions[{a}].id", $"Id {action.Id} förekommer flera gånger.");
                }

                for (var m = 0; m < action.Measures.Count; m++)
                {
                    var id = action.Measures[m].Id;
                    if (id == Guid.Empty || !measures.Add(id))
                    {
                        e.Add($"{at}.actions[{a}].measures[{m}].id", id == Guid.Empty ? "Id saknas." : $"Id {id} förekommer flera gånger.");
                    }
                }
            }
        }
    }

    /// <summary>Adds the section's rows as the document gives them; a risk without a number gets the next after the document's highest.</summary>
    public static void Add(KedjaDbContext db, InternalControlDoc doc, IReadOnlyDictionary<string, Guid> periods)
    {
        if (doc.Settings is { } s)
        {
            // Version 1 as when the API creates the row: version 0 is what a tenant without a row reads (the default
            // scale), and a save from that read must be refused rather than written over this scale.
            var settings = new RiskSettings { Version = 1 };
            s.ApplyTo(settings);
            db.RiskSettings.Add(settings);
        }

        var next = doc.Risks.Select(r => r.Number).DefaultIfEmpty(0).Max();
        foreach (var r in doc.Risks)
        {
            db.Risks.Add(new Risk
            {
                Id = r.Id, Number = r.Number > 0 ? r.Number : ++next, UnitId = r.UnitId, Title = r.Title, Description = r.Description, Category = r.Category,
                Process = r.Process, Owner = r.Owner, FirstYear = r.FirstYear, LastYear = r.LastYear,
                Assessments = [.. r.Assessments.Select(a => new RiskAssessment
                {
                    RiskId = r.Id, Year = a.Year, Likelihood = a.Likelihood, Consequence = a.Consequence, ExistingControls = a.ExistingControls,
                    LikelihoodAfter = a.LikelihoodAfter, ConsequenceAfter = a.ConsequenceAfter, Reasoning = a.Reasoning, AssessedBy = a.AssessedBy, AssessedAt = a.AssessedAt,
                })],
            });
        }

        foreach (var p in doc.Plans)
        {
            db.ControlPlans.Add(new ControlPlan
            {
                Id = p.Id, UnitId = p.UnitId, Year = p.Year, Status = p.Status, DecidedOn = p.DecidedOn, DecisionParagraph = p.DecisionParagraph,
                ChangeReason = p.ChangeReason, Description = p.Description,
                Risks = [.. p.RiskIds.Select(r => new ControlPlanRisk { PlanId = p.Id, RiskId = r })],
                Actions = [.. p.Actions.Select(a => new ControlAction
                {
                    Id = a.Id, PlanId = p.Id, RiskId = a.RiskId, Title = a.Title, Method = a.Method, Scope = a.Scope, ResponsibleUnitId = a.ResponsibleUnitId,
                    ResponsiblePerson = a.ResponsiblePerson, PeriodId = periods[a.PeriodKey], ReportTo = a.ReportTo, SortOrder = a.SortOrder,
                    Results = [.. a.Results.Select(r => new ControlResult
                    {
                        ActionId = a.Id, PeriodId = periods[r.PeriodKey], Outcome = r.Outcome, Findings = r.Findings, Reason = r.Reason, WrittenBy = r.WrittenBy,
                        WrittenAt = r.WrittenAt,
                    })],
                    Measures = [.. a.Measures.Select(m => new ControlMeasure
                    {
                        Id = m.Id, ActionId = a.Id, PeriodId = m.PeriodKey is null ? null : periods[m.PeriodKey], Text = m.Text, Owner = m.Owner,
                        Deadline = m.Deadline, Status = m.Status, DoneOn = m.DoneOn,
                    })],
                })],
            });
        }
    }
}
