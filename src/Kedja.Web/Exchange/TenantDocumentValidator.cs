using System.Text.RegularExpressions;
using Kedja.Domain;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Indicators;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Web.Goals;
using Kedja.Web.Infrastructure;
using Kedja.Web.Model;
using Kedja.Web.Organisation;
using Kedja.Web.Periods;

namespace Kedja.Web.Exchange;

/// <summary>
/// Checks a whole document before anything is written and reports every error with its JSON path, in Swedish.
/// </summary>
public static partial class TenantDocumentValidator
{
    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$")]
    public static partial Regex SlugPattern();

    /// <summary>The longest time horizon a goal level may have.</summary>
    public const int MaxHorizonYears = 50;

    public static Dictionary<string, string[]> Validate(TenantDocument doc)
    {
        var e = new ValidationErrors();
        if (!NullElements.Check(e, "$", doc, leftOut: true))
        {
            return e.ToDictionary();
        }

        if (doc.Format != TenantDocument.FormatName)
        {
            e.Add("$.format", $"Formatet ska vara '{TenantDocument.FormatName}'.");
        }

        if (doc.FormatVersion != 1)
        {
            e.Add("$.formatVersion", "Endast formatversion 1 stöds.");
        }

        if (doc.Tenant is null)
        {
            e.Add("$.tenant", "Kommunen saknas.");
        }
        else
        {
            e.Required("$.tenant.name", doc.Tenant.Name, "Kommunens namn");
            if (doc.Tenant.Kommunkod is { } code && !Regex.IsMatch(code, "^[0-9]{4}$"))
            {
                e.Add("$.tenant.kommunkod", "Kommunkoden ska vara fyra siffror, t.ex. 1780.");
            }
        }

        if (doc.Portal is null)
        {
            e.Add("$.portal", "Portalens inställningar saknas. Utelämna dem hellre: då gäller standardvärdena.");
        }
        else
        {
            Tenants.PortalRules.Check(e, "$.portal", doc.Portal);
        }

        if (doc.SignIn is null)
        {
            e.Add("$.signIn", "Inloggningens inställningar saknas. Utelämna dem hellre: då gäller lösenord i Kedja.");
        }
        else
        {
            SingleSignOn.SsoRules.Check(e, "$.signIn", doc.SignIn, doc.Units.Select(u => u.Id).ToHashSet());
        }

        if (doc.ReminderDaysBefore is < 0 or > DeadlineSettings.MaxReminderDays)
        {
            e.Add("$.reminderDaysBefore", $"Påminnelsen ska gå ut 0–{DeadlineSettings.MaxReminderDays} dagar före sista dagen.");
        }

        var scaleKeys = new Dictionary<Guid, HashSet<string>>();
        var modelParts = new ModelReferences([], []);
        var models = Unique(e, "$.models", doc.Models, m => m.Id);
        for (var i = 0; i < doc.Models.Count; i++)
        {
            scaleKeys[doc.Models[i].Id] = ModelRules.Check(e, $"$.models[{i}]", doc.Models[i], modelParts);
        }

        var periods = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < doc.Periods.Count; i++)
        {
            if (FollowUpCalendar.ParseKey(doc.Periods[i].Key).Error is { } malformed)
            {
                e.Add($"$.periods[{i}].key", malformed.Message);
            }
            else if (!periods.Add(doc.Periods[i].Key))
            {
                e.Add($"$.periods[{i}].key", $"Perioden {doc.Periods[i].Key} förekommer flera gånger.");
            }
            else if (PeriodPublishing.DeadlineError(PeriodRef.Parse(doc.Periods[i].Key), doc.Periods[i].Deadline) is { } deadline)
            {
                e.Add($"$.periods[{i}].deadline", deadline);
            }

            if (FollowUpCalendar.ParseKey(doc.Periods[i].Key).Value is { } key)
            {
                var levels = doc.Periods[i].Deadlines ?? [];
                var kinds = new HashSet<UnitKind>();
                for (var j = 0; j < levels.Count; j++)
                {
                    if (!Enum.IsDefined(levels[j].UnitKind) || !kinds.Add(levels[j].UnitKind))
                    {
                        e.Add($"$.periods[{i}].deadlines[{j}].unitKind", Enum.IsDefined(levels[j].UnitKind)
                            ? $"{UnitKindNames.Swedish(levels[j].UnitKind)} förekommer flera gånger." : "Okänd nivå i organisationen.");
                    }
                    else if (DeadlineSettings.LevelError(key, levels[j].UnitKind, levels[j].DueOn) is { } wrong)
                    {
                        e.Add($"$.periods[{i}].deadlines[{j}].dueOn", wrong);
                    }
                }
            }

            e.Required($"$.periods[{i}].name", doc.Periods[i].Name, "Periodens namn");
            e.Text($"$.periods[{i}].publishedBy", doc.Periods[i].PublishedBy, "Vem som publicerade");
        }

        var units = Unique(e, "$.units", doc.Units, u => u.Id);
        for (var i = 0; i < doc.Units.Count; i++)
        {
            UnitRules.Check(e, $"$.units[{i}]", doc.Units[i], UnitReferences.Resolve(doc.Units[i], units));
        }

        var goals = Unique(e, "$.goals", doc.Goals, g => g.Id);
        var goalLookup = new GoalLookup(models.Keys, modelParts.Levels, modelParts.Dimensions, units,
            goals.ToDictionary(x => x.Key, x => new GoalNode(x.Value.LevelId, [.. x.Value.Contributes.Select(c => c.GoalId)])));
        var strategies = new HashSet<Guid>();
        for (var i = 0; i < doc.Goals.Count; i++)
        {
            GoalRules.Check(e, $"$.goals[{i}]", doc.Goals[i], goalLookup.Resolve(doc.Goals[i], strategies));
        }

        var programs = Unique(e, "$.programs", doc.Programs, p => p.Id);
        for (var i = 0; i < doc.Programs.Count; i++)
        {
            var p = doc.Programs[i];
            Activities.ProgramRules.Check(e, $"$.programs[{i}]", p, p.OwnerUnitId is not { } owner || units.ContainsKey(owner));
        }

        var indicators = Unique(e, "$.indicators", doc.Indicators, x => x.Id);
        for (var i = 0; i < doc.Indicators.Count; i++)
        {
            // Outcomes of another periodicity are reported on the outcomes themselves, below.
            var x = doc.Indicators[i];
            var goal = x.GoalId is { } g ? goals.GetValueOrDefault(g) : null;
            Indicators.IndicatorRules.Check(e, $"$.indicators[{i}]", x, new Indicators.IndicatorReferences(units.ContainsKey(x.OwnerUnitId), goal is not null,
                x.ProgramId is { } p && programs.ContainsKey(p), goal is null ? null : scaleKeys.GetValueOrDefault(goal.ModelId), RecordedPeriodicity: null));
        }

        var outcomeKeys = new HashSet<(Guid, string)>();
        for (var i = 0; i < doc.Outcomes.Count; i++)
        {
            var o = doc.Outcomes[i];
            Indicators.OutcomeRules.Check(e, $"$.outcomes[{i}]", o, indicators.TryGetValue(o.IndicatorId, out var measured) ? measured.Periodicity : null);
            Indicators.OutcomeRules.CheckUnique(e, $"$.outcomes[{i}]", outcomeKeys, o.IndicatorId, o.PeriodKey);
        }

        var scales = models.ToDictionary(m => m.Key, m => (IReadOnlyList<(string, string)>)[.. m.Value.Scale.OrderBy(s => s.SortOrder).Select(s => (s.Key, s.Label))]);
        var assessmentKeys = new HashSet<(Guid, string)>();
        for (var i = 0; i < doc.Assessments.Count; i++)
        {
            var a = doc.Assessments[i];
            var goal = goals.GetValueOrDefault(a.GoalId);
            FollowUp.AssessmentRules.Check(e, $"$.assessments[{i}]", a,
                new FollowUp.AssessmentReferences(goal is not null, goal is null ? null : scales.GetValueOrDefault(goal.ModelId), periods.Contains(a.PeriodKey ?? "")));
            if (periods.Contains(a.PeriodKey ?? "") && !assessmentKeys.Add((a.GoalId, a.PeriodKey!)))
            {
                e.Add($"$.assessments[{i}].periodKey", "Målet har redan en bedömning för perioden.");
            }
        }

        Unique(e, "$.activities", doc.Activities, a => a.Id);
        for (var i = 0; i < doc.Activities.Count; i++)
        {
            var a = doc.Activities[i];
            Activities.ActivityRules.Check(e, $"$.activities[{i}]", a, new Activities.ActivityReferences(units.ContainsKey(a.ResponsibleUnitId),
                a.GoalId is { } g && goals.ContainsKey(g), a.ProgramId is { } p && programs.ContainsKey(p), periods.Contains));
        }

        Unique(e, "$.documents", doc.Documents, d => d.Id);
        var documentReferences = new Documents.DocumentReferences(units.ContainsKey, goals.ContainsKey);
        for (var i = 0; i < doc.Documents.Count; i++)
        {
            Documents.DocumentRules.Check(e, $"$.documents[{i}]", doc.Documents[i], documentReferences);
        }

        var frames = new HashSet<(Guid, int)>();
        var modelYears = doc.Models.Select(m => (m.FirstYear, m.LastYear)).ToList();
        for (var i = 0; i < doc.Budget.Count; i++)
        {
            var b = doc.Budget[i];
            Budget.BudgetRules.Check(e, $"$.budget[{i}]", b, new Budget.BudgetReferences(units.ContainsKey(b.UnitId), modelYears, periods.Contains));
            if (Years.Contains(b.Year) && !frames.Add((b.UnitId, b.Year)))
            {
                e.Add($"$.budget[{i}].year", $"Enheten har redan en budgetram för {b.Year}.");
            }
        }

        var workflow = new HashSet<(Guid, string)>();
        for (var i = 0; i < doc.Workflow.Count; i++)
        {
            if (!units.ContainsKey(doc.Workflow[i].UnitId))
            {
                e.Add($"$.workflow[{i}].unitId", $"Enheten {doc.Workflow[i].UnitId} finns inte.");
            }

            if (!periods.Contains(doc.Workflow[i].PeriodKey ?? ""))
            {
                e.Add($"$.workflow[{i}].periodKey", $"Uppföljningsperioden '{doc.Workflow[i].PeriodKey}' finns inte.");
            }
            else if (!workflow.Add((doc.Workflow[i].UnitId, doc.Workflow[i].PeriodKey)))
            {
                e.Add($"$.workflow[{i}].periodKey", "Enhetens uppföljning för perioden förekommer flera gånger.");
            }

            e.Text($"$.workflow[{i}].changedBy", doc.Workflow[i].ChangedBy, "Vem som ändrade");
            e.Text($"$.workflow[{i}].reopenReason", doc.Workflow[i].ReopenReason, "Skälet");
        }

        var unitIds = units.Keys.ToHashSet();
        InternalControlSection.Validate(e, doc.InternalControl, unitIds, periods);
        AssignmentSection.Validate(e, doc.Assignments, unitIds, goals.Keys.ToHashSet(), periods);
        ReorganisationSection.Validate(e, doc);
        ClosedYearSection.Validate(e, doc.ClosedYears, unitIds, periods);
        PlanningSection.Validate(e, doc);
        ForecastSection.Validate(e, doc.Forecasts, indicators, periods, doc.Models);
        FinanceSection.Validate(e, doc.Finance, unitIds);
        return e.ToDictionary();
    }

    /// <summary>Whether a threshold rule uses only statuses of the scale; a model's defaults and an indicator's own rule alike.</summary>
    public static void CheckThresholds(ValidationErrors e, string path, ThresholdRule? rule, IReadOnlySet<string> keys)
    {
        if (rule is null)
        {
            return;
        }

        if (!keys.Contains(rule.Otherwise ?? ""))
        {
            e.Add(path + ".otherwise", $"Statusen '{rule.Otherwise}' finns inte i skalan.");
        }

        foreach (var (step, s) in (rule.Steps ?? []).Select((x, n) => (x, n)))
        {
            if (!keys.Contains(step.Status ?? ""))
            {
                e.Add($"{path}.steps[{s}].status", $"Statusen '{step.Status}' finns inte i skalan.");
            }

            e.Value($"{path}.steps[{s}].minimumAchievement", step.MinimumAchievement);
        }
    }

    internal static Dictionary<Guid, T> Unique<T>(ValidationErrors e, string path, List<T> items, Func<T, Guid> id)
    {
        var seen = new Dictionary<Guid, T>();
        for (var i = 0; i < items.Count; i++)
        {
            var key = id(items[i]);
            if (key == Guid.Empty)
            {
                e.Add($"{path}[{i}].id", "Id saknas.");
            }
            else if (!seen.TryAdd(key, items[i]))
            {
                e.Add($"{path}[{i}].id", $"Id {key} förekommer flera gånger.");
            }
        }

        return seen;
    }

    /// <summary>
    /// The years a goal (or program) is valid: within the years Kedja accepts, in order, and as long as its level's time
    /// horizon allows, counting both the first and the last year (2024-2027 is four years).
    /// </summary>
    public static void CheckValidity(ValidationErrors e, string path, int? from, int? to, string? level, int? horizonMin, int? horizonMax)
    {
        e.Year(ValidationErrors.Join(path, "validFromYear"), from);
        e.Year(ValidationErrors.Join(path, "validToYear"), to);
        if (from is not { } first || to is not { } last || !Years.Contains(first) || !Years.Contains(last))
        {
            return;
        }

        var years = last - first + 1;
        if (years < 1)
        {
            e.Add(ValidationErrors.Join(path, "validToYear"), "Slutåret kan inte vara före startåret.");
        }
        else if (!FitsHorizon(first, last, horizonMin, horizonMax))
        {
            e.Add(ValidationErrors.Join(path, "validToYear"),
                $"Mål på nivån '{level}' har en tidshorisont på {HorizonText(horizonMin, horizonMax)}; {first}-{last} är {years} år.");
        }
    }

    /// <summary>Whether a goal valid from one year to another (both counted) fits a level's time horizon.</summary>
    public static bool FitsHorizon(int from, int to, int? horizonMin, int? horizonMax) =>
        !(to - from + 1 < horizonMin || to - from + 1 > horizonMax);

    private static string HorizonText(int? horizonMin, int? horizonMax) => (horizonMin, horizonMax) switch
    {
        ({ } min, { } max) when min == max => $"{max} år",
        ({ } min, { } max) => $"{min}-{max} år",
        ({ } min, null) => $"minst {min} år",
        (null, { } max) => $"högst {max} år",
        _ => "",
    };
}
