using System.Text.RegularExpressions;
using Kedja.Domain;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Indicators;
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
        if (!NullElements.Check(e, "$", doc))
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
            e.Required($"$.programs[{i}].name", p.Name, "Programmets namn");
            e.Text($"$.programs[{i}].description", p.Description, "Programmets beskrivning", TextLimits.Text);
            if (p.OwnerUnitId is { } owner && !units.ContainsKey(owner))
            {
                e.Add($"$.programs[{i}].ownerUnitId", $"Enheten {owner} finns inte.");
            }

            CheckValidity(e, $"$.programs[{i}]", p.ValidFromYear, p.ValidToYear, null, null, null);
        }

        var indicators = Unique(e, "$.indicators", doc.Indicators, x => x.Id);
        for (var i = 0; i < doc.Indicators.Count; i++)
        {
            var x = doc.Indicators[i];
            var path = $"$.indicators[{i}]";
            if (!units.ContainsKey(x.OwnerUnitId))
            {
                e.Add(path + ".ownerUnitId", $"Enheten {x.OwnerUnitId} finns inte.");
            }

            if (x.GoalId is { } goalId && !goals.ContainsKey(goalId))
            {
                e.Add(path + ".goalId", $"Målet {goalId} finns inte.");
            }

            if (x.ProgramId is { } programId && !programs.ContainsKey(programId))
            {
                e.Add(path + ".programId", $"Programmet {programId} finns inte.");
            }

            CheckIndicator(e, path, x, x.GoalId is { } g && goals.TryGetValue(g, out var goal) ? scaleKeys.GetValueOrDefault(goal.ModelId) : null);
        }

        var outcomeKeys = new HashSet<(Guid, string)>();
        for (var i = 0; i < doc.Outcomes.Count; i++)
        {
            var o = doc.Outcomes[i];
            var path = $"$.outcomes[{i}]";
            if (!indicators.ContainsKey(o.IndicatorId))
            {
                e.Add(path + ".indicatorId", $"Indikatorn {o.IndicatorId} finns inte.");
            }

            if (!PeriodRef.TryParse(o.PeriodKey, out _))
            {
                e.Add(path + ".periodKey", $"Ogiltig period '{o.PeriodKey}'.");
            }
            else if (!outcomeKeys.Add((o.IndicatorId, o.PeriodKey)))
            {
                e.Add(path + ".periodKey", $"Utfallet för {o.PeriodKey} finns redan för indikatorn.");
            }

            e.Required(path + ".recordedBy", o.RecordedBy, "Vem som registrerade utfallet");
            e.Value(path + ".value", o.Value);
            e.Value(path + ".valueWomen", o.ValueWomen);
            e.Value(path + ".valueMen", o.ValueMen);
            e.Text(path + ".comment", o.Comment, "Kommentaren", TextLimits.Text);
            e.Text(path + ".sourceReference", o.SourceReference, "Källhänvisningen");
            foreach (var (revision, r) in o.Revisions.Select((x, n) => (x, n)))
            {
                e.Value($"{path}.revisions[{r}].value", revision.Value);
                e.Value($"{path}.revisions[{r}].valueWomen", revision.ValueWomen);
                e.Value($"{path}.revisions[{r}].valueMen", revision.ValueMen);
                e.Required($"{path}.revisions[{r}].recordedBy", revision.RecordedBy, "Vem som registrerade värdet");
                e.Text($"{path}.revisions[{r}].sourceReference", revision.SourceReference, "Källhänvisningen");
            }
        }

        var assessmentKeys = new HashSet<(Guid, string)>();
        for (var i = 0; i < doc.Assessments.Count; i++)
        {
            var a = doc.Assessments[i];
            var path = $"$.assessments[{i}]";
            if (!goals.TryGetValue(a.GoalId, out var goal))
            {
                e.Add(path + ".goalId", $"Målet {a.GoalId} finns inte.");
            }
            else if (scaleKeys.TryGetValue(goal.ModelId, out var keys) && !keys.Contains(a.Status ?? ""))
            {
                e.Add(path + ".status", $"Statusen '{a.Status}' finns inte i skalan.");
            }

            if (!periods.Contains(a.PeriodKey ?? ""))
            {
                e.Add(path + ".periodKey", $"Uppföljningsperioden '{a.PeriodKey}' finns inte.");
            }
            else if (!assessmentKeys.Add((a.GoalId, a.PeriodKey!)))
            {
                e.Add(path + ".periodKey", "Målet har redan en bedömning för perioden.");
            }

            if (a.DeviatesFromRule && string.IsNullOrWhiteSpace(a.Motivation))
            {
                e.Add(path + ".motivation", "En bedömning som avviker från regelns förslag måste motiveras.");
            }

            e.Text(path + ".suggestedStatus", a.SuggestedStatus, "Föreslagen status");
            e.Text(path + ".motivation", a.Motivation, "Motiveringen", TextLimits.Long);
            e.Text(path + ".analysis", a.Analysis, "Analysen", TextLimits.Long);
            e.Text(path + ".actions", a.Actions, "Åtgärderna", TextLimits.Long);
            e.Required(path + ".assessedBy", a.AssessedBy, "Vem som bedömde");
            if ((a.ActionsClosedAt is null) != string.IsNullOrWhiteSpace(a.ActionsClosedBy))
            {
                e.Add(path + ".actionsClosedBy", "Ange både när och av vem åtgärderna stängdes, eller inget av dem.");
            }
            else if (a.ActionsClosedAt is not null && string.IsNullOrWhiteSpace(a.Actions))
            {
                e.Add(path + ".actionsClosedAt", "Bedömningen har inga åtgärder som kan vara stängda.");
            }
        }

        Unique(e, "$.activities", doc.Activities, a => a.Id);
        for (var i = 0; i < doc.Activities.Count; i++)
        {
            var a = doc.Activities[i];
            var path = $"$.activities[{i}]";
            e.Required(path + ".title", a.Title, "Aktivitetens titel");
            e.Text(path + ".description", a.Description, "Aktivitetens beskrivning", TextLimits.Text);
            e.Year(path + ".startDate", a.StartDate?.Year);
            e.Year(path + ".endDate", a.EndDate?.Year);
            if (!units.ContainsKey(a.ResponsibleUnitId))
            {
                e.Add(path + ".responsibleUnitId", $"Enheten {a.ResponsibleUnitId} finns inte.");
            }

            if (a.GoalId is { } goalId && !goals.ContainsKey(goalId))
            {
                e.Add(path + ".goalId", $"Målet {goalId} finns inte.");
            }

            if (a.ProgramId is { } programId && !programs.ContainsKey(programId))
            {
                e.Add(path + ".programId", $"Programmet {programId} finns inte.");
            }

            if (a.Progress is < 0 or > 100)
            {
                e.Add(path + ".progress", "Framdriften anges i procent, 0-100.");
            }

            if (a.StartDate is { } start && a.EndDate is { } end && end < start)
            {
                e.Add(path + ".endDate", "Slutdatum kan inte vara före startdatum.");
            }

            foreach (var (comment, c) in a.Comments.Select((x, n) => (x, n)))
            {
                if (!periods.Contains(comment.PeriodKey ?? ""))
                {
                    e.Add($"{path}.comments[{c}].periodKey", $"Uppföljningsperioden '{comment.PeriodKey}' finns inte.");
                }

                e.Required($"{path}.comments[{c}].text", comment.Text, "Rapportens text", TextLimits.Long);
                e.Required($"{path}.comments[{c}].writtenBy", comment.WrittenBy, "Vem som skrev rapporten");
                if (comment.Progress is < 0 or > 100)
                {
                    e.Add($"{path}.comments[{c}].progress", "Framdriften anges i procent, 0-100.");
                }
            }
        }

        Unique(e, "$.documents", doc.Documents, d => d.Id);
        for (var i = 0; i < doc.Documents.Count; i++)
        {
            var d = doc.Documents[i];
            e.Required($"$.documents[{i}].title", d.Title, "Dokumentets titel");
            e.Text($"$.documents[{i}].description", d.Description, "Dokumentets beskrivning", TextLimits.Text);
            e.Text($"$.documents[{i}].url", d.Url, "Dokumentets adress");

            // Shown as a link in pages, reports and the portal: only web addresses, never javascript: or data:.
            if (!string.IsNullOrWhiteSpace(d.Url) && !(Uri.TryCreate(d.Url, UriKind.Absolute, out var url) && url.Scheme is "https" or "http"))
            {
                e.Add($"$.documents[{i}].url", "Dokumentets adress ska vara en webbadress som börjar med https:// eller http://.");
            }

            if (d.ValidFrom is { } from && d.ValidTo is { } to && to < from)
            {
                e.Add($"$.documents[{i}].validTo", "Dokumentet kan inte sluta gälla innan det börjar gälla.");
            }

            foreach (var (field, date) in new[] { ("decidedOn", d.DecidedOn), ("validFrom", d.ValidFrom), ("validTo", d.ValidTo) })
            {
                if (date is { } day && !Years.Contains(day.Year))
                {
                    e.Add($"$.documents[{i}].{field}", Years.Message);
                }
            }
            if (d.DecidedByUnitId is { } decidedBy && !units.ContainsKey(decidedBy))
            {
                e.Add($"$.documents[{i}].decidedByUnitId", $"Enheten {decidedBy} finns inte.");
            }

            foreach (var (goalId, g) in d.GoalIds.Select((x, n) => (x, n)))
            {
                if (!goals.ContainsKey(goalId))
                {
                    e.Add($"$.documents[{i}].goalIds[{g}]", $"Målet {goalId} finns inte.");
                }
                else if (d.GoalIds.IndexOf(goalId) != g)
                {
                    e.Add($"$.documents[{i}].goalIds[{g}]", $"Målet {goalId} förekommer flera gånger.");
                }
            }
        }

        var frames = new HashSet<(Guid, int)>();
        for (var i = 0; i < doc.Budget.Count; i++)
        {
            var b = doc.Budget[i];
            if (!units.ContainsKey(b.UnitId))
            {
                e.Add($"$.budget[{i}].unitId", $"Enheten {b.UnitId} finns inte.");
            }

            if (!Years.Contains(b.Year))
            {
                e.Add($"$.budget[{i}].year", Years.Message);
            }
            else if (!frames.Add((b.UnitId, b.Year)))
            {
                e.Add($"$.budget[{i}].year", $"Enheten har redan en budgetram för {b.Year}.");
            }

            e.Value($"$.budget[{i}].amount", b.Amount);
            e.Text($"$.budget[{i}].note", b.Note, "Anteckningen");
            var budgetPeriods = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (outcome, o) in (b.Outcomes ?? []).Select((x, n) => (x, n)))
            {
                var outcomePath = $"$.budget[{i}].outcomes[{o}]";
                if (!PeriodRef.TryParse(outcome.PeriodKey, out var period))
                {
                    e.Add(outcomePath + ".periodKey", $"Ogiltig period '{outcome.PeriodKey}'. Ange t.ex. {b.Year}-T2 eller {b.Year}.");
                }
                else if (period.Year != b.Year)
                {
                    e.Add(outcomePath + ".periodKey", $"Perioden {period.Label} ligger utanför budgetåret {b.Year}.");
                }
                else if (!budgetPeriods.Add(outcome.PeriodKey))
                {
                    e.Add(outcomePath + ".periodKey", $"Utfallet för {outcome.PeriodKey} finns redan i budgetramen.");
                }

                e.Value(outcomePath + ".actual", outcome.Actual);
                e.Value(outcomePath + ".forecast", outcome.Forecast);
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

        return e.ToDictionary();
    }

    /// <summary>
    /// What an indicator must satisfy on its own (name, decimals, weight, thresholds, targets), with errors under
    /// <paramref name="path"/> ("" for a request body). Whether its unit, goal and program exist is the caller's check.
    /// </summary>
    public static void CheckIndicator(ValidationErrors e, string path, IndicatorDoc x, HashSet<string>? scaleKeys)
    {
        // Callers have refused null list elements already (the whole document, or the request body).

        e.Required(ValidationErrors.Join(path, "name"), x.Name, "Indikatorns namn");
        e.Text(ValidationErrors.Join(path, "description"), x.Description, "Indikatorns beskrivning", TextLimits.Text);
        e.Text(ValidationErrors.Join(path, "unitOfMeasure"), x.UnitOfMeasure, "Måttenheten");
        e.Text(ValidationErrors.Join(path, "koladaKpiId"), x.KoladaKpiId, "Koladas nyckeltal");
        e.Text(ValidationErrors.Join(path, "koladaMunicipalityId"), x.KoladaMunicipalityId, "Koladas kommun-id");
        e.Text(ValidationErrors.Join(path, "koladaOuId"), x.KoladaOuId, "Koladas enhets-id");
        e.Value(ValidationErrors.Join(path, "baselineValue"), x.BaselineValue);
        if (x.BaselinePeriod is not null && !PeriodRef.TryParse(x.BaselinePeriod, out _))
        {
            e.Add(ValidationErrors.Join(path, "baselinePeriod"), $"Ogiltig period '{x.BaselinePeriod}'. Ange t.ex. 2022 eller 2022-T3.");
        }

        if (x.Decimals is < 0 or > 6)
        {
            e.Add(ValidationErrors.Join(path, "decimals"), "Antal decimaler ska vara 0-6.");
        }

        if (x.Weight <= 0m)
        {
            e.Add(ValidationErrors.Join(path, "weight"), "Vikten ska vara större än noll.");
        }
        else
        {
            e.Value(ValidationErrors.Join(path, "weight"), x.Weight);
        }

        if (x.Thresholds is not null && scaleKeys is not null)
        {
            CheckThresholds(e, ValidationErrors.Join(path, "thresholds"), x.Thresholds, scaleKeys);
        }

        var targetPeriods = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (target, t) in (x.Targets ?? []).Select((y, n) => (y, n)))
        {
            var targetPath = ValidationErrors.Join(path, $"targets[{t}]");
            if (!PeriodRef.TryParse(target.PeriodKey, out _))
            {
                e.Add(targetPath + ".periodKey", $"Ogiltig period '{target.PeriodKey}'.");
            }
            else if (!targetPeriods.Add(target.PeriodKey))
            {
                e.Add(targetPath + ".periodKey", $"Målvärde för {target.PeriodKey} finns redan.");
            }

            if (target.Min is { } min && target.Max is { } max && max < min)
            {
                e.Add(targetPath + ".max", "Övre gränsen kan inte vara lägre än den undre.");
            }

            // Higher and lower is better are judged against the value itself; a range only bounds a target range.
            if (x.Direction is Direction.HigherIsBetter or Direction.LowerIsBetter && target.Value is null && (target.Min is not null || target.Max is not null))
            {
                e.Add(targetPath + ".value", "Ange målvärdet. Undre och övre gräns gäller bara indikatorer med ett målintervall.");
            }

            e.Value(targetPath + ".value", target.Value);
            e.Value(targetPath + ".min", target.Min);
            e.Value(targetPath + ".max", target.Max);
            e.Text(targetPath + ".note", target.Note, "Anteckningen");
        }
    }

    /// <summary>That a threshold rule names only statuses of the scale, and bounded numbers.</summary>
    public static void CheckThresholds(ValidationErrors e, string path, ThresholdRule? rule, HashSet<string> keys)
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

    private static Dictionary<Guid, T> Unique<T>(ValidationErrors e, string path, List<T> items, Func<T, Guid> id)
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
