using System.Text.RegularExpressions;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Goals;
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

    public static Dictionary<string, string[]> Validate(TenantDocument doc)
    {
        var e = new ValidationErrors();
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
            Required(e, "$.tenant.name", doc.Tenant.Name, "Kommunens namn");
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
        }

        var units = Unique(e, "$.units", doc.Units, u => u.Id);
        for (var i = 0; i < doc.Units.Count; i++)
        {
            var u = doc.Units[i];
            Required(e, $"$.units[{i}].name", u.Name, "Enhetens namn");
            if (u.ParentId is { } parent && !units.ContainsKey(parent))
            {
                e.Add($"$.units[{i}].parentId", $"Överordnad enhet {parent} finns inte.");
            }

            foreach (var (served, s) in (u.Serves ?? []).Select((x, n) => (x, n)))
            {
                if (!units.TryGetValue(served, out var committee))
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
        for (var i = 0; i < doc.Goals.Count; i++)
        {
            var g = doc.Goals[i];
            var path = $"$.goals[{i}]";
            Required(e, path + ".title", g.Title, "Målets titel");
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

            if (g.ValidFromYear is { } from && g.ValidToYear is { } to && to < from)
            {
                e.Add(path + ".validToYear", "Slutåret kan inte vara före startåret.");
            }

            foreach (var (sdg, s) in g.Agenda2030.Select((x, n) => (x, n)))
            {
                if (!Agenda2030.IsValid(sdg))
                {
                    e.Add($"{path}.agenda2030[{s}]", "Agenda 2030 har mål 1-17.");
                }
            }

            foreach (var (link, l) in g.Contributes.Select((x, n) => (x, n)))
            {
                if (!goals.TryGetValue(link.GoalId, out var parent))
                {
                    e.Add($"{path}.contributes[{l}].goalId", $"Målet {link.GoalId} finns inte.");
                }
                else if (levels.TryGetValue(parent.LevelId, out var parentLevel) && levels.TryGetValue(g.LevelId, out var ownLevel) && parentLevel.Level.Depth >= ownLevel.Level.Depth)
                {
                    e.Add($"{path}.contributes[{l}].goalId", "Ett mål kan bara bidra till mål på en högre nivå.");
                }

                if (link.Weight <= 0m)
                {
                    e.Add($"{path}.contributes[{l}].weight", "Vikten ska vara större än noll.");
                }
            }
        }

        var programs = Unique(e, "$.programs", doc.Programs, p => p.Id);
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

            Required(e, path + ".recordedBy", o.RecordedBy, "Vem som registrerade utfallet");
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
            Required(e, path + ".title", a.Title, "Aktivitetens titel");
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
            }
        }

        Unique(e, "$.documents", doc.Documents, d => d.Id);
        for (var i = 0; i < doc.Documents.Count; i++)
        {
            var d = doc.Documents[i];
            Required(e, $"$.documents[{i}].title", d.Title, "Dokumentets titel");
            foreach (var (goalId, g) in d.GoalIds.Select((x, n) => (x, n)))
            {
                if (!goals.ContainsKey(goalId))
                {
                    e.Add($"$.documents[{i}].goalIds[{g}]", $"Målet {goalId} finns inte.");
                }
            }
        }

        for (var i = 0; i < doc.Budget.Count; i++)
        {
            if (!units.ContainsKey(doc.Budget[i].UnitId))
            {
                e.Add($"$.budget[{i}].unitId", $"Enheten {doc.Budget[i].UnitId} finns inte.");
            }
        }

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
        Required(e, ValidationErrors.Join(path, "name"), m.Name, "Modellens namn");
        if (m.FirstYear < 1900 || m.LastYear < m.FirstYear || m.LastYear > 2200)
        {
            e.Add(ValidationErrors.Join(path, "lastYear"), "Mandatperioden ska ha ett första och ett sista år, i den ordningen.");
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var s = 0; s < m.Scale.Count; s++)
        {
            if (!keys.Add(m.Scale[s].Key ?? ""))
            {
                e.Add(ValidationErrors.Join(path, $"scale[{s}].key"), $"Nyckeln '{m.Scale[s].Key}' finns redan i skalan.");
            }

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
            Required(e, ValidationErrors.Join(path, $"dimensions[{d}].name"), dimension.Name, "Namnet");
            if (!dimensions.TryAdd(dimension.Id, dimension))
            {
                e.Add(ValidationErrors.Join(path, $"dimensions[{d}].id"), $"Id {dimension.Id} förekommer flera gånger.");
            }
        }

        foreach (var (level, l) in m.Levels.Select((l, n) => (l, n)))
        {
            Required(e, ValidationErrors.Join(path, $"levels[{l}].name"), level.Name, "Namnet");
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

    /// <summary>
    /// What an indicator must satisfy on its own (name, decimals, weight, thresholds, targets), with errors under
    /// <paramref name="path"/> ("" for a request body). Whether its unit, goal and program exist is the caller's check.
    /// </summary>
    public static void CheckIndicator(ValidationErrors e, string path, IndicatorDoc x, HashSet<string>? scaleKeys)
    {
        Required(e, ValidationErrors.Join(path, "name"), x.Name, "Indikatorns namn");
        if (x.Decimals is < 0 or > 6)
        {
            e.Add(ValidationErrors.Join(path, "decimals"), "Antal decimaler ska vara 0-6.");
        }

        if (x.Weight <= 0m)
        {
            e.Add(ValidationErrors.Join(path, "weight"), "Vikten ska vara större än noll.");
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
        }
    }

    private static void CheckThresholds(ValidationErrors e, string path, ThresholdRule? rule, HashSet<string> keys)
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

    private static void Required(ValidationErrors e, string path, string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            e.Add(path, $"{what} måste anges.");
        }
    }

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
