using System.Text.RegularExpressions;
using Kedja.Domain;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Goals;
using Kedja.Domain.Indicators;
using Kedja.Domain.Periods;
using Kedja.Web.Infrastructure;

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
        var levels = new Dictionary<Guid, (Guid ModelId, LevelDoc Level)>();
        var dimensions = new Dictionary<Guid, DimensionDoc>();
        var models = Unique(e, "$.models", doc.Models, m => m.Id);
        for (var i = 0; i < doc.Models.Count; i++)
        {
            scaleKeys[doc.Models[i].Id] = CheckModel(e, $"$.models[{i}]", doc.Models[i], dimensions, levels);
        }

        var periods = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < doc.Periods.Count; i++)
        {
            if (!PeriodRef.TryParse(doc.Periods[i].Key, out _))
            {
                e.Add($"$.periods[{i}].key", $"Ogiltig period '{doc.Periods[i].Key}'. Ange t.ex. 2025-T2 eller 2025.");
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
            var u = doc.Units[i];
            e.Required($"$.units[{i}].name", u.Name, "Enhetens namn");
            e.Text($"$.units[{i}].shortName", u.ShortName, "Enhetens kortnamn");
            e.Text($"$.units[{i}].code", u.Code, "Enhetens kod");
            if (u.ParentId is { } parent && !units.ContainsKey(parent))
            {
                e.Add($"$.units[{i}].parentId", $"Överordnad enhet {parent} finns inte.");
            }

            foreach (var (served, s) in (u.Serves ?? []).Select((x, n) => (x, n)))
            {
                if ((u.Serves ?? []).IndexOf(served) != s)
                {
                    e.Add($"$.units[{i}].serves[{s}]", $"Nämnden {served} förekommer flera gånger.");
                }
                else if (!units.TryGetValue(served, out var committee))
                {
                    e.Add($"$.units[{i}].serves[{s}]", $"Nämnden {served} finns inte.");
                }
                else if (committee.Kind is not (Domain.Organisation.UnitKind.Committee or Domain.Organisation.UnitKind.ExecutiveBoard))
                {
                    e.Add($"$.units[{i}].serves[{s}]", "En förvaltning kan bara betjäna nämnder och kommunstyrelsen.");
                }
            }
        }

        foreach (var cycle in Cycles(doc.Units.Where(u => u.ParentId is not null).Select(u => (u.Id, u.ParentId!.Value))))
        {
            e.Add($"$.units[{doc.Units.FindIndex(u => u.Id == cycle)}].parentId", "Organisationen har en cirkelreferens.");
        }

        var goals = Unique(e, "$.goals", doc.Goals, g => g.Id);
        var strategies = new HashSet<Guid>();
        for (var i = 0; i < doc.Goals.Count; i++)
        {
            var g = doc.Goals[i];
            var path = $"$.goals[{i}]";
            e.Required(path + ".title", g.Title, "Målets titel");
            e.Text(path + ".description", g.Description, "Målets beskrivning", TextLimits.Long);
            e.Text(path + ".code", g.Code, "Målets kod");
            if (!models.ContainsKey(g.ModelId))
            {
                e.Add(path + ".modelId", $"Styrmodellen {g.ModelId} finns inte.");
            }

            units.TryGetValue(g.OwnerUnitId, out var owner);
            if (owner is null)
            {
                e.Add(path + ".ownerUnitId", $"Enheten {g.OwnerUnitId} finns inte.");
            }

            if (!levels.TryGetValue(g.LevelId, out var level) || level.ModelId != g.ModelId)
            {
                e.Add(path + ".levelId", $"Målnivån {g.LevelId} finns inte i målets styrmodell.");
            }
            else
            {
                if (owner is not null && level.Level.UnitKinds.Count > 0 && !level.Level.UnitKinds.Contains(owner.Kind))
                {
                    e.Add(path + ".ownerUnitId", $"Nivån '{level.Level.Name}' får inte ha mål som ägs av enheten '{owner.Name}'.");
                }

                if (level.Level.RequiresParent && g.Contributes.Count == 0)
                {
                    e.Add(path + ".contributes", $"Mål på nivån '{level.Level.Name}' måste bidra till ett mål på nivån ovanför.");
                }

                if (g.Strategies.Count > 0 && !level.Level.HasStrategies)
                {
                    e.Add(path + ".strategies", $"Nivån '{level.Level.Name}' har inga strategier.");
                }
            }

            if (g.DimensionId is { } dimensionId)
            {
                if (!dimensions.TryGetValue(dimensionId, out var dimension))
                {
                    e.Add(path + ".dimensionId", $"Perspektivet {dimensionId} finns inte.");
                }
                else if (owner is not null && dimension.AllowedUnitKinds.Count > 0 && !dimension.AllowedUnitKinds.Contains(owner.Kind))
                {
                    e.Add(path + ".dimensionId", $"Enheten '{owner.Name}' får inte sätta mål inom '{dimension.Name}'.");
                }
            }

            var goalLevel = levels.TryGetValue(g.LevelId, out var found) ? found.Level : null;
            CheckValidity(e, path, g.ValidFromYear, g.ValidToYear, goalLevel?.Name, goalLevel?.HorizonMinYears, goalLevel?.HorizonMaxYears);

            foreach (var (sdg, s) in g.Agenda2030.Select((x, n) => (x, n)))
            {
                if (!Agenda2030.IsValid(sdg))
                {
                    e.Add($"{path}.agenda2030[{s}]", "Agenda 2030 har mål 1-17.");
                }
                else if (g.Agenda2030.IndexOf(sdg) != s)
                {
                    e.Add($"{path}.agenda2030[{s}]", $"Agenda 2030-mål {sdg} förekommer flera gånger.");
                }
            }

            foreach (var (strategy, s) in g.Strategies.Select((x, n) => (x, n)))
            {
                e.Required($"{path}.strategies[{s}].title", strategy.Title, "Strategins titel");
                e.Text($"{path}.strategies[{s}].description", strategy.Description, "Strategins beskrivning", TextLimits.Text);
                if (strategy.Id == Guid.Empty || !strategies.Add(strategy.Id))
                {
                    e.Add($"{path}.strategies[{s}].id", strategy.Id == Guid.Empty ? "Id saknas." : $"Id {strategy.Id} förekommer flera gånger.");
                }
            }

            foreach (var (link, l) in g.Contributes.Select((x, n) => (x, n)))
            {
                if (!goals.TryGetValue(link.GoalId, out var parent))
                {
                    e.Add($"{path}.contributes[{l}].goalId", $"Målet {link.GoalId} finns inte.");
                }
                else if (g.Contributes.FindIndex(x => x.GoalId == link.GoalId) != l)
                {
                    e.Add($"{path}.contributes[{l}].goalId", $"Målet {link.GoalId} förekommer flera gånger.");
                }
                else if (levels.TryGetValue(parent.LevelId, out var parentLevel) && levels.TryGetValue(g.LevelId, out var ownLevel) && parentLevel.Level.Depth >= ownLevel.Level.Depth)
                {
                    e.Add($"{path}.contributes[{l}].goalId", "Ett mål kan bara bidra till mål på en högre nivå.");
                }

                if (link.Weight <= 0m)
                {
                    e.Add($"{path}.contributes[{l}].weight", "Vikten ska vara större än noll.");
                }
                else
                {
                    e.Value($"{path}.contributes[{l}].weight", link.Weight);
                }
            }
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

        foreach (var cycle in Cycles(doc.Goals.SelectMany(g => g.Contributes.Select(l => (g.Id, l.GoalId)))))
        {
            e.Add($"$.goals[{doc.Goals.FindIndex(g => g.Id == cycle)}].contributes", "Målkedjan har en cirkelreferens.");
        }

        return e.ToDictionary();
    }

    /// <summary>
    /// What a governance model must satisfy on its own: name, mandate period, scale, thresholds, dimensions and levels.
    /// Ids are collected into <paramref name="dimensions"/> and <paramref name="levels"/> so that a document's ids stay
    /// unique across its models. Returns the scale's keys.
    /// </summary>
    public static HashSet<string> CheckModel(ValidationErrors e, string path, ModelDoc m, Dictionary<Guid, DimensionDoc> dimensions,
        Dictionary<Guid, (Guid ModelId, LevelDoc Level)> levels)
    {
        // Callers have refused null list elements already (the whole document, or the request body).
        e.Required(ValidationErrors.Join(path, "name"), m.Name, "Modellens namn");
        e.Text(ValidationErrors.Join(path, "templateKey"), m.TemplateKey, "Mallens nyckel");
        e.Text(ValidationErrors.Join(path, "vision"), m.Vision, "Visionen", TextLimits.Text);
        e.Text(ValidationErrors.Join(path, "description"), m.Description, "Modellens beskrivning", TextLimits.Text);
        e.Text(ValidationErrors.Join(path, "dimensionLabel"), m.DimensionLabel, "Benämningen på perspektiv");
        if (!Years.Contains(m.FirstYear) || !Years.Contains(m.LastYear))
        {
            e.Add(ValidationErrors.Join(path, Years.Contains(m.FirstYear) ? "lastYear" : "firstYear"), Years.Message);
        }
        else if (m.LastYear < m.FirstYear)
        {
            e.Add(ValidationErrors.Join(path, "lastYear"), "Mandatperioden ska ha ett första och ett sista år, i den ordningen.");
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var s = 0; s < m.Scale.Count; s++)
        {
            var step = ValidationErrors.Join(path, $"scale[{s}]");
            if (!keys.Add(m.Scale[s].Key ?? ""))
            {
                e.Add(step + ".key", $"Nyckeln '{m.Scale[s].Key}' finns redan i skalan.");
            }

            e.Required(step + ".key", m.Scale[s].Key, "Stegets nyckel");
            e.Required(step + ".label", m.Scale[s].Label, "Stegets namn");
            e.Text(step + ".plural", m.Scale[s].Plural, "Stegets pluralform");
            e.Text(step + ".description", m.Scale[s].Description, "Stegets beskrivning");
            e.Required(step + ".colour", m.Scale[s].Colour, "Stegets färg");
            e.Text(step + ".symbol", m.Scale[s].Symbol, "Stegets symbol");

            if (m.Scale[s].Score is < 0m or > 1m)
            {
                e.Add(ValidationErrors.Join(path, $"scale[{s}].score"), "Poängen ska vara mellan 0 och 1.");
            }
        }

        if (m.Scale.Count(s => s.IsNotAssessed) != 1 || m.Scale.Count(s => !s.IsNotAssessed) < 2)
        {
            e.Add(ValidationErrors.Join(path, "scale"), "Skalan behöver minst två bedömda steg och exakt ett steg för 'ej bedömt'.");
        }

        CheckThresholds(e, ValidationErrors.Join(path, "defaultThresholds"), m.DefaultThresholds, keys);
        foreach (var (dimension, d) in m.Dimensions.Select((d, n) => (d, n)))
        {
            e.Required(ValidationErrors.Join(path, $"dimensions[{d}].name"), dimension.Name, "Namnet");
            e.Text(ValidationErrors.Join(path, $"dimensions[{d}].description"), dimension.Description, "Beskrivningen", TextLimits.Text);
            e.Text(ValidationErrors.Join(path, $"dimensions[{d}].colour"), dimension.Colour, "Färgen");
            if (!dimensions.TryAdd(dimension.Id, dimension))
            {
                e.Add(ValidationErrors.Join(path, $"dimensions[{d}].id"), $"Id {dimension.Id} förekommer flera gånger.");
            }
        }

        foreach (var (level, l) in m.Levels.Select((l, n) => (l, n)))
        {
            e.Required(ValidationErrors.Join(path, $"levels[{l}].name"), level.Name, "Namnet");
            e.Text(ValidationErrors.Join(path, $"levels[{l}].description"), level.Description, "Beskrivningen", TextLimits.Text);
            if (level.HorizonMinYears is < 1 or > MaxHorizonYears || level.HorizonMaxYears is < 1 or > MaxHorizonYears)
            {
                e.Add(ValidationErrors.Join(path, $"levels[{l}].horizonMaxYears"), $"Tidshorisonten anges i år, 1-{MaxHorizonYears}.");
            }
            else if (level.HorizonMinYears > level.HorizonMaxYears)
            {
                e.Add(ValidationErrors.Join(path, $"levels[{l}].horizonMaxYears"), "Tidshorisontens längsta tid kan inte vara kortare än den kortaste.");
            }

            if (!levels.TryAdd(level.Id, (m.Id, level)))
            {
                e.Add(ValidationErrors.Join(path, $"levels[{l}].id"), $"Id {level.Id} förekommer flera gånger.");
            }

            foreach (var (step, st) in (level.Rollup?.Steps ?? []).Select((x, n) => (x, n)))
            {
                if (!keys.Contains(step.Status))
                {
                    e.Add(ValidationErrors.Join(path, $"levels[{l}].rollup.steps[{st}].status"), $"Statusen '{step.Status}' finns inte i skalan.");
                }
            }
        }

        return keys;
    }

    /// <summary>Whether a threshold rule uses only statuses of the scale; a model's defaults and an indicator's own rule alike.</summary>
    internal static void CheckThresholds(ValidationErrors e, string path, ThresholdRule? rule, IReadOnlySet<string> keys)
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

    /// <summary>Nodes that take part in a cycle of (child → parent) edges.</summary>
    private static IEnumerable<Guid> Cycles(IEnumerable<(Guid Child, Guid Parent)> edges)
    {
        var parents = edges.ToLookup(x => x.Child, x => x.Parent);
        var state = new Dictionary<Guid, int>();
        var found = new HashSet<Guid>();
        foreach (var start in parents.Select(p => p.Key).ToList())
        {
            if (state.ContainsKey(start))
            {
                continue;
            }

            var stack = new Stack<(Guid Node, IEnumerator<Guid> Next)>();
            state[start] = 1;
            stack.Push((start, parents[start].GetEnumerator()));
            while (stack.Count > 0)
            {
                var (node, next) = stack.Peek();
                if (next.MoveNext())
                {
                    var p = next.Current;
                    if (!state.TryGetValue(p, out var s))
                    {
                        state[p] = 1;
                        stack.Push((p, parents[p].GetEnumerator()));
                    }
                    else if (s == 1)
                    {
                        found.Add(p);
                    }
                }
                else
                {
                    state[node] = 2;
                    stack.Pop();
                }
            }
        }

        return found;
    }
}
