using Kedja.Data;
using Kedja.Domain;
using Kedja.Domain.Periods;
using Kedja.Domain.Planning;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Exchange;

/// <summary>The planning of a year beside the one followed up (issue 16, ADR 47 §3), with the choices made and, once activated, what activation wrote.</summary>
public sealed record PlanningYearDoc(int Year, PlanningYearState State, Guid ModelId, string OpenedBy, DateTime OpenedAt, string? ActivatedBy, DateTime? ActivatedAt,
    string? UndoneBy, DateTime? UndoneAt, List<PlanningChoiceDoc> Choices);

/// <summary>One choice of a planned year.</summary>
/// <param name="EntityId">The model, goal, indicator, activity, control action, or the unit of a budget frame or control plan; null for a period.</param>
/// <param name="PeriodKey">The follow-up period activation created (kind period only).</param>
/// <param name="Created">Whether activation created the row: the target of the year, the budget frame, the period (its id is the copy's own).</param>
/// <param name="CreatedId">The control action or control plan activation created, by the document's id.</param>
/// <param name="Previous">The values activation replaced, as the JSON Kedja wrote; undo restores them.</param>
public sealed record PlanningChoiceDoc(PlanningChoiceKind Kind, Guid? EntityId, string? PeriodKey, decimal? Value, decimal? Min, decimal? Max, string? Note, bool Applied,
    bool Created, Guid? CreatedId, string? Previous);

/// <summary>
/// Reads, checks and writes the planning years. References are the document's: ids of models, goals, indicators,
/// activities, control actions and plans, units, and period keys; a row activation created whose id a copy gives anew
/// (a target, a budget frame, a period) is found again by what it is.
/// </summary>
public static class PlanningSection
{
    private const string Path = "$.planningYears";

    private const decimal InputBounds = 1_000_000_000_000m;

    public static async Task<List<PlanningYearDoc>> ExportAsync(KedjaDbContext db, IReadOnlyDictionary<Guid, string> periodKeys, CancellationToken cancellationToken)
    {
        var years = await db.PlanningYears.AsNoTracking().Include(p => p.Choices).ToListAsync(cancellationToken);
        return [.. years.OrderBy(y => y.Year).Select(y => new PlanningYearDoc(y.Year, y.State, y.ModelId, y.OpenedBy, y.OpenedAt, y.ActivatedBy, y.ActivatedAt, y.UndoneBy,
            y.UndoneAt, [.. y.Choices.Select(c => Doc(c, periodKeys)).OrderBy(c => c.Kind).ThenBy(c => c.PeriodKey ?? TenantExporter.Key(c.EntityId ?? Guid.Empty), StringComparer.Ordinal)]))];
    }

    private static PlanningChoiceDoc Doc(PlanningChoice c, IReadOnlyDictionary<Guid, string> periodKeys)
    {
        var period = c.Kind == PlanningChoiceKind.Period;
        var byId = c.Kind is PlanningChoiceKind.ControlAction or PlanningChoiceKind.ControlPlan;
        return new PlanningChoiceDoc(c.Kind, period ? null : c.EntityId, period ? periodKeys.GetValueOrDefault(c.EntityId) : null, c.Value, c.Min, c.Max, c.Note, c.Applied,
            !byId && c.CreatedId is not null, byId ? c.CreatedId : null, c.Previous);
    }

    /// <summary>Every error of the section with its path; what a choice names is looked up in the document.</summary>
    public static void Validate(ValidationErrors e, TenantDocument doc)
    {
        if (doc.PlanningYears is not { } years)
        {
            e.Add(Path, "Planeringsåren saknas. Utelämna dem hellre: då planeras inget år.");
            return;
        }

        var models = doc.Models.GroupBy(m => m.Id).ToDictionary(g => g.Key, g => g.First());
        var goals = doc.Goals.GroupBy(g => g.Id).ToDictionary(g => g.Key, g => g.First());
        var indicators = doc.Indicators.GroupBy(i => i.Id).ToDictionary(g => g.Key, g => g.First());
        var activities = doc.Activities.Select(a => a.Id).ToHashSet();
        var units = doc.Units.Select(u => u.Id).ToHashSet();
        var periods = doc.Periods.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var frames = doc.Budget.Select(b => (b.UnitId, b.Year)).ToHashSet();
        var plans = doc.InternalControl?.Plans ?? [];
        var actions = plans.SelectMany(p => p.Actions.Select(a => a.Id)).ToHashSet();
        var seenYears = new HashSet<int>();
        for (var i = 0; i < years.Count; i++)
        {
            var y = years[i];
            var at = $"{Path}[{i}]";
            if (!Years.Contains(y.Year) || !Years.Contains(y.Year - 1))
            {
                e.Add($"{at}.year", Years.Message);
                continue;
            }

            if (!seenYears.Add(y.Year))
            {
                e.Add($"{at}.year", $"Planeringen av {y.Year} förekommer flera gånger.");
            }

            if (!Enum.IsDefined(y.State))
            {
                e.Add($"{at}.state", "Tillståndet ska vara draft, active eller discarded.");
                continue;
            }

            if (!models.TryGetValue(y.ModelId, out var model))
            {
                e.Add($"{at}.modelId", $"Styrmodellen {y.ModelId} finns inte.");
            }

            e.Required($"{at}.openedBy", y.OpenedBy, "Vem som öppnade planeringen");
            var active = y.State == PlanningYearState.Active;
            if (active && (string.IsNullOrWhiteSpace(y.ActivatedBy) || y.ActivatedAt is null))
            {
                e.Add($"{at}.activatedBy", "Ett aktiverat år har vem och när det aktiverades.");
            }

            var key = PeriodRef.ForYear(y.Year).Key;
            var chosen = new HashSet<(PlanningChoiceKind, string)>();
            for (var c = 0; c < y.Choices.Count; c++)
            {
                var choice = y.Choices[c];
                var cat = $"{at}.choices[{c}]";
                if (!Enum.IsDefined(choice.Kind))
                {
                    e.Add($"{cat}.kind", "Valet finns inte.");
                    continue;
                }

                var written = choice.Kind is PlanningChoiceKind.Period or PlanningChoiceKind.ControlPlan;
                if (written && !active)
                {
                    e.Add($"{cat}.kind", "Perioder och internkontrollplaner skrivs bara av aktiveringen: de hör till ett aktiverat år.");
                }

                if (!active && (choice.Applied || choice.Created || choice.CreatedId is not null || choice.Previous is not null))
                {
                    e.Add($"{cat}.applied", "Ett år som inte är aktiverat har inget skrivet: applied, created, createdId och previous utelämnas.");
                }

                var entity = choice.Kind == PlanningChoiceKind.Period ? choice.PeriodKey ?? "" : choice.EntityId?.ToString() ?? "";
                if (!chosen.Add((choice.Kind, entity)))
                {
                    e.Add($"{cat}.entityId", "Samma val förekommer flera gånger.");
                }

                if (choice.Kind == PlanningChoiceKind.Period)
                {
                    if (!periods.Contains(choice.PeriodKey ?? "") || !PeriodRef.TryParse(choice.PeriodKey!, out var period) || period.Year != y.Year)
                    {
                        e.Add($"{cat}.periodKey", $"Uppföljningsperioden '{choice.PeriodKey}' finns inte under {y.Year}.");
                    }

                    continue;
                }

                if (choice.EntityId is not { } id)
                {
                    e.Add($"{cat}.entityId", "Ange vad valet gäller.");
                    continue;
                }

                e.Text($"{cat}.note", choice.Note, "Anteckningen");
                e.Text($"{cat}.previous", choice.Previous, "De ersatta värdena", TextLimits.Text);
                switch (choice.Kind)
                {
                    case PlanningChoiceKind.ModelExtend:
                        // A draft's choice may have gone stale since it was made (the model or goal changed through
                        // its own API): the document keeps it as chosen, and activation does only what still applies.
                        if (id != y.ModelId)
                        {
                            e.Add($"{cat}.entityId", "Det är årets styrmodell som förlängs.");
                        }

                        break;
                    case PlanningChoiceKind.GoalExtend:
                        if (!goals.ContainsKey(id))
                        {
                            e.Add($"{cat}.entityId", $"Målet {id} finns inte.");
                        }

                        break;
                    case PlanningChoiceKind.Target:
                        if (!indicators.TryGetValue(id, out var indicator))
                        {
                            e.Add($"{cat}.entityId", $"Indikatorn {id} finns inte.");
                            break;
                        }

                        Planning.PlanningYears.CheckTarget(e, cat, choice.Value, choice.Min, choice.Max, indicator.Name, indicator.Direction, indicator.PlausibleMin,
                            indicator.PlausibleMax);
                        if (choice.Created && !indicator.Targets.Any(t => t.PeriodKey == key))
                        {
                            e.Add($"{cat}.created", $"Aktiveringen skapade ett målvärde för {key}, men {indicator.Name} har inget.");
                        }

                        break;
                    case PlanningChoiceKind.Activity:
                        if (!activities.Contains(id))
                        {
                            e.Add($"{cat}.entityId", $"Aktiviteten {id} finns inte.");
                        }

                        break;
                    case PlanningChoiceKind.ControlAction:
                        if (!actions.Contains(id))
                        {
                            e.Add($"{cat}.entityId", $"Kontrollmomentet {id} finns inte.");
                        }

                        if (choice.CreatedId is { } copy && !actions.Contains(copy))
                        {
                            e.Add($"{cat}.createdId", $"Kontrollmomentet {copy} finns inte.");
                        }

                        break;
                    case PlanningChoiceKind.ControlPlan:
                        if (!units.Contains(id))
                        {
                            e.Add($"{cat}.entityId", $"Enheten {id} finns inte.");
                        }

                        if (choice.CreatedId is not { } plan || !plans.Any(p => p.Id == plan && p.UnitId == id && p.Year == y.Year))
                        {
                            e.Add($"{cat}.createdId", $"Internkontrollplanen {choice.CreatedId} för enheten och {y.Year} finns inte.");
                        }

                        break;
                    case PlanningChoiceKind.BudgetFrame:
                        if (!units.Contains(id))
                        {
                            e.Add($"{cat}.entityId", $"Enheten {id} finns inte.");
                        }
                        else if (choice.Created && !frames.Contains((id, y.Year)))
                        {
                            e.Add($"{cat}.created", $"Aktiveringen gjorde enhetens budgetram för {y.Year}, men den finns inte.");
                        }

                        if (choice.Value is not { } amount || amount < 0 || amount > InputBounds)
                        {
                            e.Add($"{cat}.value", "Budgetramen anges i tkr, noll eller mer.");
                        }

                        break;
                }

                if (choice.Created && choice.Kind is not (PlanningChoiceKind.Target or PlanningChoiceKind.BudgetFrame or PlanningChoiceKind.Period))
                {
                    e.Add($"{cat}.created", "Aktiveringen skapar inga rader för det här valet.");
                }

                if (choice.CreatedId is not null && choice.Kind is not (PlanningChoiceKind.ControlAction or PlanningChoiceKind.ControlPlan))
                {
                    e.Add($"{cat}.createdId", "Bara kontrollmoment och internkontrollplaner anges med id; annars created.");
                }
            }
        }
    }

    /// <summary>
    /// Adds the planning years after the rows they name; a row activation created with an id of the copy's own is found
    /// among those just added (the year's target of the indicator, the unit's frame of the year, the period by key).
    /// </summary>
    public static void Add(KedjaDbContext db, List<PlanningYearDoc> years, IReadOnlyDictionary<string, Guid> periods)
    {
        foreach (var y in years)
        {
            var planning = new PlanningYear
            {
                Year = y.Year, State = y.State, ModelId = y.ModelId, OpenedBy = y.OpenedBy, OpenedAt = y.OpenedAt, ActivatedBy = y.ActivatedBy, ActivatedAt = y.ActivatedAt,
                UndoneBy = y.UndoneBy, UndoneAt = y.UndoneAt,
            };
            var key = PeriodRef.ForYear(y.Year).Key;
            Guid? Created(PlanningChoiceDoc c) => c.Kind switch
            {
                PlanningChoiceKind.ControlAction or PlanningChoiceKind.ControlPlan => c.CreatedId,
                _ when !c.Created => null,
                PlanningChoiceKind.Period => periods[c.PeriodKey!],
                PlanningChoiceKind.Target => db.Targets.Local.Single(t => t.IndicatorId == c.EntityId && t.PeriodKey == key).Id,
                PlanningChoiceKind.BudgetFrame => db.BudgetFrames.Local.Single(f => f.UnitId == c.EntityId && f.Year == y.Year).Id,
                _ => null,
            };
            planning.Choices = [.. y.Choices.Select(c => new PlanningChoice
            {
                PlanningYearId = planning.Id, Kind = c.Kind, EntityId = c.Kind == PlanningChoiceKind.Period ? periods[c.PeriodKey!] : c.EntityId!.Value, Value = c.Value, Min = c.Min,
                Max = c.Max, Note = c.Note, Applied = c.Applied, CreatedId = Created(c), Previous = c.Previous,
            })];
            db.PlanningYears.Add(planning);
        }
    }
}
