using System.Text.Json;
using Kedja.Data;
using Kedja.Domain;
using Kedja.Domain.Activities;
using Kedja.Domain.Budget;
using Kedja.Domain.Indicators;
using Kedja.Domain.InternalControl;
using Kedja.Domain.Periods;
using Kedja.Domain.Planning;
using Kedja.Web.Budget;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Planning;

/// <summary>An accepted target for an indicator in the planned year: a value, or a range for a range indicator; <see cref="Source"/> says where it came from.</summary>
public sealed record TargetChoice(Guid IndicatorId, decimal? Value, decimal? Min, decimal? Max, string? Source);

/// <summary>A unit's budget frame for the planned year (tkr), stored as a draft until activation.</summary>
public sealed record BudgetChoice(Guid UnitId, decimal Amount);

/// <summary>Everything a person chose for the planned year: what GET gives under <c>choices</c> and PUT takes back, with the year's version.</summary>
public sealed record PlanningChoicesDto(bool ExtendModel, List<Guid> ExtendGoals, List<TargetChoice> Targets, List<Guid> Activities, List<Guid> ControlActions,
    List<BudgetChoice> BudgetFrames, int? Version);

public sealed record PlanningGoalLine(Guid Id, string Title, string? Code, Guid UnitId, string Unit, int? ValidFromYear, int? ValidToYear, bool Continues, bool CanExtend);

public sealed record ProposalDto(string Kind, decimal? Value, decimal? Min, decimal? Max, string Explanation, bool Clamped);

/// <param name="LastTarget">The target of the year before as a reader sees it, e.g. "82,5 (2026)".</param>
/// <param name="HasTarget">The indicator already has a target keyed to the planned year; an accepted one replaces it at activation.</param>
public sealed record PlanningIndicatorLine(Guid Id, string Name, Guid UnitId, string Unit, string? Goal, int Decimals, string UnitOfMeasure, Direction Direction,
    string? LastTarget, bool HasTarget, List<ProposalDto> Proposals, string? Missing);

public sealed record PlanningActivityLine(Guid Id, string Title, Guid UnitId, string Unit, DateOnly? End, ActivityStatus Status, int Progress);

public sealed record PlanningOpenAction(Guid GoalId, string Goal, string Unit, string PeriodName, string Actions);

/// <param name="Blocked">Why the action cannot be carried (the unit's plan for the planned year is decided), else null.</param>
public sealed record PlanningControlAction(Guid Id, string Title, Guid UnitId, string Unit, string PeriodName, string? Blocked);

public sealed record PlanningBudgetLine(Guid UnitId, string Unit, decimal? ThisYear, bool HasFrame);

/// <summary>
/// The planning of a year as the overview, the proposals page, the summary and the API read it: its state, the choices
/// made, and what there is to choose from. <see cref="UndoBlocked"/> says why an active year can no longer be undone.
/// </summary>
public sealed record PlanningYearView(int Year, PlanningYearState State, string StateName, int Version, Guid ModelId, string ModelName, int ModelLastYear,
    string OpenedBy, DateTime OpenedAt, string? ActivatedBy, DateTime? ActivatedAt, string? UndoneBy, DateTime? UndoneAt, string? UndoBlocked,
    PlanningChoicesDto Choices, List<string> PeriodsToCreate, List<PlanningGoalLine> Goals, List<PlanningIndicatorLine> Indicators,
    List<PlanningActivityLine> Activities, List<PlanningOpenAction> OpenActions, List<PlanningControlAction> ControlActions, List<PlanningBudgetLine> Budget);

/// <summary>
/// Next year planned beside this one (issue 16, ADR 47 §3). An administrator opens year N+1 while N is followed up,
/// chooses what continues (the model, goals that end in N, targets from proposals, unfinished activities, control actions,
/// budget frames) and activates it; nothing is written that the person did not choose. Until activation the year has no
/// follow-up periods of its own making and its choices live in <c>planning_choices</c> (budget frames as drafts, which no
/// budget page, report or portal reads), so it is not followed up, not public and not in the reports of N. Activation
/// writes periods and choices in one save, recording what it created or replaced, and can be undone until the first
/// outcome, assessment, budget outcome or control result of the new year.
/// </summary>
public sealed class PlanningYears(KedjaDbContext db, IAuditActor actor, TimeProvider clock)
{
    public const string NotOpened = "Planeringen av året är inte öppnad.";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly StringComparer Swedish = StringComparer.Create(System.Globalization.CultureInfo.GetCultureInfo("sv-SE"), false);

    public static string StateName(PlanningYearState state) => state switch
    {
        PlanningYearState.Draft => "Utkast",
        PlanningYearState.Active => "Aktiverat",
        PlanningYearState.Discarded => "Kasserat",
        _ => state.ToString(),
    };

    /// <summary>The planning of the year with everything to choose from, or 404 when it is not opened.</summary>
    public async Task<ServiceResult<PlanningYearView>> GetAsync(int year, CancellationToken cancellationToken = default)
    {
        if (Refuse(year) is { } refused)
        {
            return refused;
        }

        var planning = await db.PlanningYears.AsNoTracking().Include(p => p.Choices).SingleOrDefaultAsync(p => p.Year == year, cancellationToken);
        return planning is null ? ServiceError.NotFound(NotOpened) : await ViewAsync(planning, cancellationToken);
    }

    /// <summary>Opens the planning of the year in the model that governs the year before; 409 when it is already open.</summary>
    public async Task<ServiceResult<PlanningYearView>> OpenAsync(int year, CancellationToken cancellationToken = default)
    {
        if (Refuse(year) is { } refused)
        {
            return refused;
        }

        var model = await ModelForAsync(year, cancellationToken);
        if (model is null)
        {
            return ServiceError.Invalid("year", $"Ingen styrmodell gäller {year - 1}. Planeringen av {year} utgår från året före.");
        }

        if (await db.PlanningYears.AnyAsync(p => p.Year == year, cancellationToken))
        {
            return ServiceError.Conflict($"Planeringen av {year} är redan öppnad.");
        }

        var planning = new PlanningYear { Year = year, ModelId = model.Value, State = PlanningYearState.Draft, OpenedBy = Actor, OpenedAt = clock.GetUtcNow().UtcDateTime };
        db.PlanningYears.Add(planning);
        if (!await db.TrySaveAsync())
        {
            return ServiceError.Conflict($"Planeringen av {year} är redan öppnad.");
        }

        return await ViewAsync(planning, cancellationToken);
    }

    /// <summary>
    /// Replaces the choices of a draft year with the input, every error at once and nothing saved on any; draft budget
    /// frames follow the chosen ones (added, changed or removed).
    /// </summary>
    public async Task<ServiceResult<PlanningYearView>> SaveChoicesAsync(int year, PlanningChoicesDto input, CancellationToken cancellationToken = default)
    {
        if (Refuse(year) is { } refused)
        {
            return refused;
        }

        var planning = await db.PlanningYears.Include(p => p.Choices).SingleOrDefaultAsync(p => p.Year == year, cancellationToken);
        if (planning is null)
        {
            return ServiceError.NotFound(NotOpened);
        }

        if (input.Version is not { } version)
        {
            return ServiceError.Invalid("version", "Ange versionen du läste.");
        }

        if (planning.State != PlanningYearState.Draft)
        {
            return ServiceError.Conflict($"Planeringen av {year} är {StateName(planning.State).ToLowerInvariant()}; ångra aktiveringen för att ändra valen.");
        }

        var facts = await CandidatesAsync(planning, cancellationToken);
        var errors = new ValidationErrors();
        var goals = Distinct(input.ExtendGoals);
        var activities = Distinct(input.Activities);
        var control = Distinct(input.ControlActions);
        for (var i = 0; i < goals.Count; i++)
        {
            if (!facts.Goals.TryGetValue(goals[i], out var goal) || !goal.CanExtend)
            {
                errors.Add($"extendGoals[{i}]", $"Målet kan inte förlängas till {year}: det finns inte eller slutar inte {year - 1}.");
            }
        }

        if (input.ExtendModel && facts.ModelLastYear >= year)
        {
            errors.Add("extendModel", $"Styrmodellen gäller redan {year}.");
        }

        var targets = new List<TargetChoice>();
        var seen = new HashSet<Guid>();
        for (var i = 0; i < input.Targets.Count; i++)
        {
            var t = input.Targets[i];
            var path = $"targets[{i}]";
            if (!facts.Indicators.TryGetValue(t.IndicatorId, out var indicator))
            {
                errors.Add($"{path}.indicatorId", "Måttet finns inte bland dem som planeras.");
                continue;
            }

            if (!seen.Add(t.IndicatorId))
            {
                errors.Add($"{path}.indicatorId", $"Målvärdet för {indicator.Name} är valt två gånger.");
                continue;
            }

            CheckTarget(errors, path, t.Value, t.Min, t.Max, indicator.Name, indicator.Direction, indicator.PlausibleMin, indicator.PlausibleMax);

            var source = t.Source is "LastTarget" or "Trend" ? t.Source : "Manual";
            targets.Add(indicator.Direction == Direction.TargetRange && t.Value is null
                ? t with { Source = source } : t with { Source = source, Min = null, Max = null });
        }

        for (var i = 0; i < activities.Count; i++)
        {
            if (!facts.Activities.Contains(activities[i]))
            {
                errors.Add($"activities[{i}]", "Aktiviteten finns inte bland de ofullbordade som kan föras vidare.");
            }
        }

        for (var i = 0; i < control.Count; i++)
        {
            if (!facts.ControlActions.TryGetValue(control[i], out var blocked) || blocked is not null)
            {
                errors.Add($"controlActions[{i}]", blocked ?? $"Kontrollmomentet finns inte i någon internkontrollplan för {year - 1}.");
            }
        }

        // A frame follows the rules every budget entry point follows (BudgetRules): a revenue unit's frame may be below
        // zero. The planned year counts as the model's, which activation extends to it.
        var modelYears = (await db.Models.AsNoTracking().Select(m => new { m.Id, m.FirstYear, m.LastYear }).ToListAsync(cancellationToken))
            .Select(m => (m.FirstYear, m.Id == planning.ModelId ? Math.Max(m.LastYear, year) : m.LastYear)).ToList();
        var frames = new List<BudgetChoice>();
        var units = new HashSet<Guid>();
        for (var i = 0; i < input.BudgetFrames.Count; i++)
        {
            var b = input.BudgetFrames[i];
            if (!facts.Budget.TryGetValue(b.UnitId, out var hasFrame))
            {
                errors.Add($"budgetFrames[{i}].unitId", "Enheten finns inte.");
            }
            else if (hasFrame)
            {
                errors.Add($"budgetFrames[{i}].unitId", $"Enheten har redan en budgetram för {year}.");
            }
            else if (!units.Add(b.UnitId))
            {
                errors.Add($"budgetFrames[{i}].unitId", "Enhetens budgetram är vald två gånger.");
            }
            else if (Checked(errors, $"budgetFrames[{i}]", new Exchange.BudgetDoc(b.UnitId, year, b.Amount, null, []), modelYears))
            {
                frames.Add(b);
            }
        }

        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        db.ExpectVersion(planning, version);
        db.PlanningChoices.RemoveRange(planning.Choices);
        var id = planning.Id;
        PlanningChoice Choice(PlanningChoiceKind kind, Guid entity) => new() { PlanningYearId = id, Kind = kind, EntityId = entity };
        var rows = new List<PlanningChoice>();
        if (input.ExtendModel)
        {
            rows.Add(Choice(PlanningChoiceKind.ModelExtend, planning.ModelId));
        }

        rows.AddRange(goals.Select(g => Choice(PlanningChoiceKind.GoalExtend, g)));
        rows.AddRange(targets.Select(t => Choice(PlanningChoiceKind.Target, t.IndicatorId) is var c ? Set(c, t.Value, t.Min, t.Max, t.Source) : null!));
        rows.AddRange(activities.Select(a => Choice(PlanningChoiceKind.Activity, a)));
        rows.AddRange(control.Select(a => Choice(PlanningChoiceKind.ControlAction, a)));
        rows.AddRange(frames.Select(b => Choice(PlanningChoiceKind.BudgetFrame, b.UnitId) is var c ? Set(c, b.Amount, null, null, null) : null!));
        db.PlanningChoices.AddRange(rows);

        // Draft frames follow the choices; frames that are not drafts are never touched here.
        var drafts = await db.BudgetFrames.Where(f => f.Year == year && f.IsDraft).ToListAsync(cancellationToken);
        var chosen = frames.ToDictionary(f => f.UnitId, f => f.Amount);
        db.BudgetFrames.RemoveRange(drafts.Where(f => !chosen.ContainsKey(f.UnitId)));
        foreach (var (unit, amount) in chosen)
        {
            if (drafts.FirstOrDefault(f => f.UnitId == unit) is { } draft)
            {
                draft.Amount = amount;
            }
            else
            {
                db.BudgetFrames.Add(new BudgetFrame { UnitId = unit, Year = year, Amount = amount, IsDraft = true, Note = $"Utkast från planeringen av {year}." });
            }
        }

        if (!await db.TrySaveAsync())
        {
            return ServiceError.Conflict();
        }

        db.ChangeTracker.Clear();
        return await GetAsync(year, cancellationToken);
    }

    /// <summary>
    /// Activates a draft year: creates its follow-up periods from the model's calendar (those missing), then writes each
    /// choice, recording for each what it created or replaced; the year's version guards against a second activation.
    /// </summary>
    public async Task<ServiceResult<PlanningYearView>> ActivateAsync(int year, int? version, CancellationToken cancellationToken = default)
    {
        if (Refuse(year) is { } refused)
        {
            return refused;
        }

        var planning = await db.PlanningYears.Include(p => p.Choices).SingleOrDefaultAsync(p => p.Year == year, cancellationToken);
        if (planning is null)
        {
            return ServiceError.NotFound(NotOpened);
        }

        if (version is null)
        {
            return ServiceError.Invalid("version", "Ange versionen du läste.");
        }

        if (planning.State != PlanningYearState.Draft || planning.Version != version)
        {
            return ServiceError.Conflict(planning.State == PlanningYearState.Active ? $"Planeringen av {year} är redan aktiverad." : null);
        }

        var model = await db.Models.SingleAsync(m => m.Id == planning.ModelId, cancellationToken);
        var choices = planning.Choices.ToList();
        if (model.LastYear < year && !choices.Any(c => c.Kind == PlanningChoiceKind.ModelExtend))
        {
            return ServiceError.Invalid("extendModel", $"Styrmodellen {model.Name} gäller till {model.LastYear}. Välj att förlänga den till {year} innan året aktiveras.");
        }

        db.ExpectVersion(planning, version.Value);
        var added = new List<PlanningChoice>();

        // Each row activation creates or changes, with its choice: the version it will have after the save is stamped on
        // the choice, so that undo sees whether anyone changed the row since.
        var stamped = new List<(PlanningChoice Choice, IVersioned Row, Func<int, string> Json)>();
        PlanningChoice Record(PlanningChoiceKind kind, Guid entity, IVersioned row, Guid created)
        {
            var c = new PlanningChoice { PlanningYearId = planning.Id, Kind = kind, EntityId = entity, CreatedId = created, Applied = true };
            added.Add(c);
            stamped.Add((c, row, v => Write(new WrittenRow(v))));
            return c;
        }

        // The year's follow-up periods, as the templates make them (deadline 20 days after, 45 after the year's end).
        var existing = await db.Periods.Where(p => p.Year == year).ToListAsync(cancellationToken);
        var periods = existing.ToDictionary(p => p.Key);
        foreach (var p in PeriodRef.CalendarFor(model.Cadence, year, model.InterimEndMonth).Where(p => !periods.ContainsKey(p.Key)))
        {
            var period = new FollowUpPeriod { Key = p.Key, Year = year, Kind = p.Kind, Name = p.Label, StartDate = p.Start, EndDate = p.End, Deadline = p.End.AddDays(p.ClosesYear ? 45 : 20) };
            db.Periods.Add(period);
            periods[p.Key] = period;
            Record(PlanningChoiceKind.Period, period.Id, period, period.Id);
        }

        var byKind = choices.ToLookup(c => c.Kind);
        // A model extended since the choice was made (through its own API) is not shortened back to the year.
        if (byKind[PlanningChoiceKind.ModelExtend].FirstOrDefault() is { } extend && model.LastYear < year)
        {
            extend.Previous = Write(new LastYearValue(model.LastYear, year));
            model.LastYear = year;
            extend.Applied = true;
        }

        var goalIds = byKind[PlanningChoiceKind.GoalExtend].Select(c => c.EntityId).ToList();
        var goals = await db.Goals.Where(g => goalIds.Contains(g.Id)).ToDictionaryAsync(g => g.Id, cancellationToken);
        foreach (var c in byKind[PlanningChoiceKind.GoalExtend])
        {
            if (goals.TryGetValue(c.EntityId, out var goal) && goal.ValidToYear is { } to && to < year)
            {
                c.Previous = Write(new ValidToValue(to, year));
                goal.ValidToYear = year;
                c.Applied = true;
            }
        }

        var key = PeriodRef.ForYear(year).Key;
        var indicatorIds = byKind[PlanningChoiceKind.Target].Select(c => c.EntityId).ToList();
        var targets = await db.Targets.Where(t => t.PeriodKey == key && indicatorIds.Contains(t.IndicatorId)).ToDictionaryAsync(t => t.IndicatorId, cancellationToken);
        foreach (var c in byKind[PlanningChoiceKind.Target])
        {
            if (targets.TryGetValue(c.EntityId, out var target))
            {
                var was = new TargetValues(target.Value, target.Min, target.Max, target.Note);
                (target.Value, target.Min, target.Max) = (c.Value, c.Min, c.Max);
                stamped.Add((c, target, v => Write(was with { WrittenVersion = v })));
            }
            else
            {
                var created = new IndicatorTarget { IndicatorId = c.EntityId, PeriodKey = key, Value = c.Value, Min = c.Min, Max = c.Max };
                db.Targets.Add(created);
                c.CreatedId = created.Id;
                stamped.Add((c, created, v => Write(new WrittenRow(v))));
            }

            c.Applied = true;
        }

        var activityIds = byKind[PlanningChoiceKind.Activity].Select(c => c.EntityId).ToList();
        var activities = await db.Activities.Where(a => activityIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        foreach (var c in byKind[PlanningChoiceKind.Activity])
        {
            if (activities.TryGetValue(c.EntityId, out var activity))
            {
                c.Previous = Write(new EndDateValue(activity.EndDate, new DateOnly(year, 12, 31)));
                activity.EndDate = new DateOnly(year, 12, 31);
                c.Applied = true;
            }
        }

        // Control actions go into each unit's proposed plan for the year, made here when the unit has none.
        var actionIds = byKind[PlanningChoiceKind.ControlAction].Select(c => c.EntityId).ToList();
        var sources = await db.ControlActions.AsNoTracking().Where(a => actionIds.Contains(a.Id))
            .Join(db.ControlPlans, a => a.PlanId, p => p.Id, (a, p) => new { Action = a, p.UnitId })
            .Join(db.Periods, x => x.Action.PeriodId, p => p.Id, (x, p) => new { x.Action, x.UnitId, p.Key })
            .ToDictionaryAsync(x => x.Action.Id, cancellationToken);
        var unitIds = sources.Values.Select(s => s.UnitId).Distinct().ToList();
        var plans = await db.ControlPlans.Where(p => p.Year == year && unitIds.Contains(p.UnitId)).ToDictionaryAsync(p => p.UnitId, cancellationToken);
        var order = await db.ControlActions.Where(a => plans.Values.Select(p => p.Id).Contains(a.PlanId)).GroupBy(a => a.PlanId)
            .Select(g => new { g.Key, Max = g.Max(a => a.SortOrder) }).ToDictionaryAsync(x => x.Key, x => x.Max, cancellationToken);
        var closing = PeriodRef.CalendarFor(model.Cadence, year, model.InterimEndMonth).Max();
        foreach (var c in byKind[PlanningChoiceKind.ControlAction])
        {
            if (!sources.TryGetValue(c.EntityId, out var source))
            {
                continue;
            }

            if (!plans.TryGetValue(source.UnitId, out var plan))
            {
                plan = new ControlPlan { UnitId = source.UnitId, Year = year, Status = ControlPlanStatus.Proposal, Description = $"Förslag från planeringen av {year}." };
                db.ControlPlans.Add(plan);
                plans[source.UnitId] = plan;
                Record(PlanningChoiceKind.ControlPlan, source.UnitId, plan, plan.Id);
            }
            else if (plan.Status != ControlPlanStatus.Proposal)
            {
                return ServiceError.Conflict($"Internkontrollplanen för {year} är redan beslutad; kontrollmomenten kan inte läggas till från planeringen.");
            }

            // The same period of the new year, else the period that closes it.
            var same = PeriodRef.TryParse(source.Key, out var was) ? new PeriodRef(year, was.Kind, was.Number).Key : null;
            var period = same is not null && periods.TryGetValue(same, out var p) ? p : periods.GetValueOrDefault(closing.Key) ?? periods.Values.OrderBy(x => x.EndDate).Last();
            var a = source.Action;
            var sort = order[plan.Id] = order.GetValueOrDefault(plan.Id) + 1;
            var copy = new ControlAction
            {
                PlanId = plan.Id, RiskId = a.RiskId, Title = a.Title, Method = a.Method, Scope = a.Scope, ResponsibleUnitId = a.ResponsibleUnitId,
                ResponsiblePerson = a.ResponsiblePerson, PeriodId = period.Id, ReportTo = a.ReportTo, SortOrder = sort,
            };
            db.ControlActions.Add(copy);
            c.CreatedId = copy.Id;
            stamped.Add((c, copy, v => Write(new WrittenRow(v))));
            c.Applied = true;
        }

        var frames = await db.BudgetFrames.Where(f => f.Year == year && f.IsDraft).ToDictionaryAsync(f => f.UnitId, cancellationToken);
        foreach (var c in byKind[PlanningChoiceKind.BudgetFrame])
        {
            if (frames.TryGetValue(c.EntityId, out var frame))
            {
                frame.IsDraft = false;
                c.CreatedId = frame.Id;
                stamped.Add((c, frame, v => Write(new WrittenRow(v))));
                c.Applied = true;
            }
        }

        db.PlanningChoices.AddRange(added);
        db.ChangeTracker.DetectChanges();
        foreach (var (c, row, json) in stamped)
        {
            c.Previous = json(WrittenVersion(row));
        }

        planning.State = PlanningYearState.Active;
        planning.ActivatedBy = Actor;
        planning.ActivatedAt = clock.GetUtcNow().UtcDateTime;
        if (!await db.TrySaveAsync())
        {
            return ServiceError.Conflict($"Planeringen av {year} ändrades eller aktiverades av någon annan samtidigt.");
        }

        db.ChangeTracker.Clear();
        return await GetAsync(year, cancellationToken);
    }

    /// <summary>
    /// Undoes an activation while nothing has been entered in the year: removes what it created and restores what it
    /// replaced, exactly as recorded, in one save; the year is a draft again with its choices.
    /// </summary>
    public async Task<ServiceResult<PlanningYearView>> UndoAsync(int year, int? version, CancellationToken cancellationToken = default)
    {
        if (Refuse(year) is { } refused)
        {
            return refused;
        }

        var planning = await db.PlanningYears.Include(p => p.Choices).SingleOrDefaultAsync(p => p.Year == year, cancellationToken);
        if (planning is null)
        {
            return ServiceError.NotFound(NotOpened);
        }

        if (version is null)
        {
            return ServiceError.Invalid("version", "Ange versionen du läste.");
        }

        if (planning.State != PlanningYearState.Active || planning.Version != version)
        {
            return ServiceError.Conflict(planning.State == PlanningYearState.Draft ? $"Planeringen av {year} är inte aktiverad." : null);
        }

        if (await UndoBlockedAsync(planning, cancellationToken) is { } blocked)
        {
            return ServiceError.Conflict(blocked);
        }

        // Everything activation wrote is read first and compared with what it wrote: a row changed since is someone's
        // work, so undo refuses and names it rather than overwrite or delete it.
        var byKind = planning.Choices.ToLookup(c => c.Kind);
        Guid[] Created(PlanningChoiceKind kind) => [.. byKind[kind].Where(c => c.CreatedId != null).Select(c => c.CreatedId!.Value)];
        var changed = new List<string>();

        var extend = byKind[PlanningChoiceKind.ModelExtend].FirstOrDefault(c => c.Applied);
        var model = extend is null ? null : await db.Models.SingleAsync(m => m.Id == planning.ModelId, cancellationToken);
        if (extend is not null && Read<LastYearValue>(extend.Previous).Written is { } modelWritten && model!.LastYear != modelWritten)
        {
            changed.Add($"styrmodellen {model.Name} gäller nu till {model.LastYear}");
        }

        var goalIds = byKind[PlanningChoiceKind.GoalExtend].Where(c => c.Applied).Select(c => c.EntityId).ToList();
        var goals = await db.Goals.Where(g => goalIds.Contains(g.Id)).ToDictionaryAsync(g => g.Id, cancellationToken);
        foreach (var c in byKind[PlanningChoiceKind.GoalExtend].Where(c => c.Applied && goals.ContainsKey(c.EntityId)))
        {
            if (Read<ValidToValue>(c.Previous) is { Written: { } to } && goals[c.EntityId].ValidToYear != to)
            {
                changed.Add($"målet {goals[c.EntityId].Title} gäller nu till {goals[c.EntityId].ValidToYear?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "vidare"}");
            }
        }

        var key = PeriodRef.ForYear(year).Key;
        var targetChoices = byKind[PlanningChoiceKind.Target].Where(c => c.Applied).ToList();
        var indicatorIds = targetChoices.Select(c => c.EntityId).ToList();
        var targets = await db.Targets.Where(t => t.PeriodKey == key && indicatorIds.Contains(t.IndicatorId)).ToDictionaryAsync(t => t.IndicatorId, cancellationToken);
        var names = await db.Indicators.AsNoTracking().Where(i => indicatorIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.Name, cancellationToken);
        foreach (var c in targetChoices)
        {
            var written = c.CreatedId is null ? Read<TargetValues>(c.Previous).WrittenVersion : Read<WrittenRow>(c.Previous).WrittenVersion;
            var target = targets.GetValueOrDefault(c.EntityId);
            if (written is not null && (target is null || target.Version != written || (c.CreatedId is { } id && target.Id != id)))
            {
                changed.Add($"målvärdet för {names.GetValueOrDefault(c.EntityId, "ett mått")} {year}" + (target is null ? " är borttaget" : ""));
            }
        }

        var activityIds = byKind[PlanningChoiceKind.Activity].Where(c => c.Applied).Select(c => c.EntityId).ToList();
        var activities = await db.Activities.Where(a => activityIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        foreach (var c in byKind[PlanningChoiceKind.Activity].Where(c => c.Applied && activities.ContainsKey(c.EntityId)))
        {
            if (Read<EndDateValue>(c.Previous) is { Written: { } end } && activities[c.EntityId].EndDate != end)
            {
                changed.Add($"aktiviteten {activities[c.EntityId].Title} har fått ett annat slutdatum");
            }
        }

        var copyChoices = byKind[PlanningChoiceKind.ControlAction].Where(c => c.CreatedId != null).ToList();
        var copyIds = Created(PlanningChoiceKind.ControlAction);
        var copies = await db.ControlActions.Where(a => copyIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        foreach (var c in copyChoices)
        {
            if (Read<WrittenRow>(c.Previous).WrittenVersion is { } written && (!copies.TryGetValue(c.CreatedId!.Value, out var copy) || copy.Version != written))
            {
                changed.Add($"kontrollmomentet {(copy?.Title is { } title ? title + " " : "")}i internkontrollplanen för {year}" + (copy is null ? " är borttaget" : ""));
            }
        }

        var planChoices = byKind[PlanningChoiceKind.ControlPlan].Where(c => c.CreatedId != null).ToList();
        var planIds = Created(PlanningChoiceKind.ControlPlan);
        var plans = await db.ControlPlans.Where(p => planIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var foreign = await db.ControlActions.Where(a => planIds.Contains(a.PlanId) && !copyIds.Contains(a.Id)).Select(a => a.PlanId).Distinct().ToListAsync(cancellationToken);
        var planUnits = planChoices.Select(c => c.EntityId).ToList();
        var units = await db.Units.AsNoTracking().Where(u => planUnits.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        foreach (var c in planChoices)
        {
            var plan = plans.GetValueOrDefault(c.CreatedId!.Value);
            if (plan is not null && (foreign.Contains(plan.Id) || (Read<WrittenRow>(c.Previous).WrittenVersion is { } written && plan.Version != written)))
            {
                changed.Add($"internkontrollplanen för {units.GetValueOrDefault(c.EntityId, "en enhet")} {year}");
            }
        }

        var frameChoices = byKind[PlanningChoiceKind.BudgetFrame].Where(c => c.CreatedId != null).ToList();
        var frameIds = Created(PlanningChoiceKind.BudgetFrame);
        var frames = await db.BudgetFrames.Where(f => frameIds.Contains(f.Id)).ToDictionaryAsync(f => f.Id, cancellationToken);
        var framedUnits = frameChoices.Select(c => c.EntityId).ToList();
        var frameUnits = await db.Units.AsNoTracking().Where(u => framedUnits.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        foreach (var c in frameChoices)
        {
            if (Read<WrittenRow>(c.Previous).WrittenVersion is { } written && (!frames.TryGetValue(c.CreatedId!.Value, out var frame) || frame.Version != written))
            {
                changed.Add($"budgetramen för {frameUnits.GetValueOrDefault(c.EntityId, "en enhet")} {year}");
            }
        }

        var periodChoices = byKind[PlanningChoiceKind.Period].Where(c => c.CreatedId != null).ToList();
        var periodIds = Created(PlanningChoiceKind.Period);
        var periods = await db.Periods.Where(p => periodIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        foreach (var c in periodChoices)
        {
            if (Read<WrittenRow>(c.Previous).WrittenVersion is { } written && periods.TryGetValue(c.CreatedId!.Value, out var period) && period.Version != written)
            {
                changed.Add($"perioden {period.Name}");
            }
        }

        if (changed.Count > 0)
        {
            db.ChangeTracker.Clear();
            return ServiceError.Conflict(ChangedSince(year, changed));
        }

        db.ExpectVersion(planning, version.Value);
        if (extend is not null)
        {
            model!.LastYear = Read<LastYearValue>(extend.Previous).LastYear;
        }

        foreach (var c in byKind[PlanningChoiceKind.GoalExtend].Where(c => c.Applied && goals.ContainsKey(c.EntityId)))
        {
            goals[c.EntityId].ValidToYear = Read<ValidToValue>(c.Previous).ValidToYear;
        }

        var createdTargets = Created(PlanningChoiceKind.Target).ToHashSet();
        foreach (var c in targetChoices)
        {
            if (!targets.TryGetValue(c.EntityId, out var target))
            {
                continue;
            }

            if (createdTargets.Contains(target.Id))
            {
                db.Targets.Remove(target);
            }
            else if (c.Previous is not null)
            {
                var was = Read<TargetValues>(c.Previous);
                (target.Value, target.Min, target.Max, target.Note) = (was.Value, was.Min, was.Max, was.Note);
            }
        }

        foreach (var c in byKind[PlanningChoiceKind.Activity].Where(c => c.Applied && activities.ContainsKey(c.EntityId)))
        {
            activities[c.EntityId].EndDate = Read<EndDateValue>(c.Previous).EndDate;
        }

        db.ControlActions.RemoveRange(copies.Values);
        db.ControlPlans.RemoveRange(plans.Values);
        foreach (var frame in frames.Values)
        {
            frame.IsDraft = true;
        }

        db.Periods.RemoveRange(periods.Values);

        // The choices stay as the person made them; what activation recorded goes.
        db.PlanningChoices.RemoveRange(planning.Choices.Where(c => c.Kind is PlanningChoiceKind.Period or PlanningChoiceKind.ControlPlan));
        foreach (var c in planning.Choices.Where(c => c.Kind is not (PlanningChoiceKind.Period or PlanningChoiceKind.ControlPlan)))
        {
            (c.Applied, c.CreatedId, c.Previous) = (false, null, null);
        }

        planning.State = PlanningYearState.Draft;
        planning.UndoneBy = Actor;
        planning.UndoneAt = clock.GetUtcNow().UtcDateTime;
        try
        {
            if (!await db.TrySaveAsync())
            {
                return ServiceError.Conflict();
            }
        }
        catch (DbUpdateException e) when (!Failover.IsFailover(e))
        {
            // A row of a kind UndoBlockedAsync does not know yet (a later feature's) still names a period of the year.
            db.ChangeTracker.Clear();
            return ServiceError.Conflict($"Uppgifter har redan förts in i perioderna för {year}; aktiveringen kan inte längre ångras.");
        }

        db.ChangeTracker.Clear();
        return await GetAsync(year, cancellationToken);
    }

    /// <summary>The refusal of an undo when rows activation wrote were changed since, naming them (at most five).</summary>
    private static string ChangedSince(int year, List<string> changed)
    {
        var named = changed.Take(5).ToList();
        var more = changed.Count > named.Count ? $" och {changed.Count - named.Count} till" : "";
        return $"Aktiveringen av {year} kan inte ångras eftersom det som aktiveringen skrev har ändrats efteråt: {string.Join("; ", named)}{more}. Ändra tillbaka eller behåll aktiveringen.";
    }

    /// <summary>Why an activated year can no longer be undone: something has been entered in it; null while nothing has.</summary>
    public async Task<string?> UndoBlockedAsync(PlanningYear planning, CancellationToken cancellationToken = default)
    {
        var year = planning.Year;
        var prefix = PeriodRef.ForYear(year).Key;
        if (await db.Outcomes.AnyAsync(o => o.PeriodKey == prefix || o.PeriodKey.StartsWith(prefix + "-"), cancellationToken))
        {
            return $"Det finns utfall för {year}; aktiveringen kan inte längre ångras.";
        }

        var periods = db.Periods.Where(p => p.Year == year).Select(p => p.Id);
        if (await db.Assessments.AnyAsync(a => periods.Contains(a.PeriodId), cancellationToken))
        {
            return $"Det finns bedömningar för {year}; aktiveringen kan inte längre ångras.";
        }

        if (await db.BudgetOutcomes.AnyAsync(o => o.PeriodKey == prefix || o.PeriodKey.StartsWith(prefix + "-"), cancellationToken))
        {
            return $"Det finns budgetutfall för {year}; aktiveringen kan inte längre ångras.";
        }

        if (await db.ControlResults.AnyAsync(r => periods.Contains(r.PeriodId), cancellationToken))
        {
            return $"Det finns resultat av kontrollmoment för {year}; aktiveringen kan inte längre ångras.";
        }

        // The periods activation created go with the undo: whatever the calendar would refuse to remove them for (a
        // forecast, a report, a workflow row, a hand-added control action, an assignment) or a level's own deadline
        // blocks it too. The control actions activation copied go with them; targets are keyed by text and outlive a period.
        var created = planning.Choices.Where(c => c.Kind == PlanningChoiceKind.Period && c.CreatedId != null).Select(c => c.CreatedId!.Value).ToList();
        var own = new CalendarEditing.OwnRows(
            [.. planning.Choices.Where(c => c.Kind == PlanningChoiceKind.ControlAction && c.CreatedId != null).Select(c => c.CreatedId!.Value)], IgnoreTargets: true);
        foreach (var period in await db.Periods.AsNoTracking().Where(p => created.Contains(p.Id)).OrderBy(p => p.EndDate).ToListAsync(cancellationToken))
        {
            var held = await CalendarEditing.HoldsAsync(db, period, own, cancellationToken);
            if (await db.PeriodDeadlines.AnyAsync(d => d.PeriodId == period.Id, cancellationToken))
            {
                held.Add("egna sista dagar för nivåer");
            }

            if (held.Count > 0)
            {
                return $"{period.Name} har {CalendarEditing.Join(held)}; aktiveringen kan inte längre ångras.";
            }
        }

        return null;
    }

    /// <summary>
    /// An accepted target as the planning takes it, here and in the tenant document: a range for a range indicator (some
    /// carry a single figure from before), a figure for the others, within what is plausible.
    /// </summary>
    public static void CheckTarget(ValidationErrors errors, string path, decimal? value, decimal? min, decimal? max, string name, Direction direction,
        decimal? plausibleMin, decimal? plausibleMax)
    {
        if (direction == Direction.TargetRange && value is null && (min is null || max is null || min > max))
        {
            errors.Add($"{path}.min", $"Ange ett intervall (lägst och högst, i den ordningen) för {name}.");
        }
        else if (direction != Direction.TargetRange && value is null)
        {
            errors.Add($"{path}.value", $"Ange ett målvärde för {name}.");
        }

        foreach (var (v, field) in new[] { (value, "value"), (min, "min"), (max, "max") })
        {
            if (v is { } x && ((plausibleMin is { } lo && x < lo) || (plausibleMax is { } hi && x > hi) || Math.Abs(x) > InputBounds))
            {
                errors.Add($"{path}.{field}", $"Målvärdet för {name} ligger utanför måttets rimliga intervall.");
            }
        }
    }

    /// <summary>The draft years the tenant has: the years whose budget frames, targets and plans no reader of the year before may show.</summary>
    public static IQueryable<int> DraftYears(KedjaDbContext db) => db.PlanningYears.Where(p => p.State == PlanningYearState.Draft).Select(p => p.Year);

    private const decimal InputBounds = 1_000_000_000_000m;

    private string Actor => actor.Name;

    private static ServiceError? Refuse(int year) => Years.Contains(year) && Years.Contains(year - 1) ? null : ServiceError.Invalid("year", Years.Message);

    /// <summary>Checks a planned frame by <see cref="BudgetRules.CheckFrame"/>; true when it adds no error.</summary>
    private static bool Checked(ValidationErrors errors, string path, Exchange.BudgetDoc frame, List<(int, int)> modelYears)
    {
        var before = errors.Count;
        BudgetRules.CheckFrame(errors, path, frame, new BudgetReferences(UnitExists: true, modelYears, _ => true));
        return errors.Count == before;
    }

    private static List<Guid> Distinct(List<Guid>? ids) => [.. (ids ?? []).Distinct()];

    private static PlanningChoice Set(PlanningChoice c, decimal? value, decimal? min, decimal? max, string? note)
    {
        (c.Value, c.Min, c.Max, c.Note) = (value, min, max, note);
        return c;
    }

    private static string Write<T>(T value) => JsonSerializer.Serialize(value, Json);

    private static T Read<T>(string? json) => JsonSerializer.Deserialize<T>(json ?? "{}", Json)!;

    /// <summary>The values a target had before activation replaced them, and the version activation left it at.</summary>
    private sealed record TargetValues(decimal? Value, decimal? Min, decimal? Max, string? Note, int? WrittenVersion = null);

    /// <summary>What activation replaced and, as <c>Written</c>, what it wrote (none in activations from before it was kept).</summary>
    private sealed record LastYearValue(int LastYear, int? Written = null);

    private sealed record ValidToValue(int? ValidToYear, int? Written = null);

    private sealed record EndDateValue(DateOnly? EndDate, DateOnly? Written = null);

    /// <summary>The version a row had when activation created or changed it.</summary>
    private sealed record WrittenRow(int? WrittenVersion);

    /// <summary>The version the row will have after the coming save (SaveChanges raises a changed row's version by one).</summary>
    private int WrittenVersion(IVersioned row)
    {
        var entry = db.Entry(row);
        return entry.State == EntityState.Modified ? (int)entry.Property(nameof(IVersioned.Version)).OriginalValue! + 1 : row.Version;
    }

    /// <summary>The model that governs the year before the planned one (the active one first).</summary>
    private async Task<Guid?> ModelForAsync(int year, CancellationToken cancellationToken) =>
        (await db.Models.AsNoTracking().Where(m => m.FirstYear <= year - 1 && m.LastYear >= year - 1)
            .Select(m => new { m.Id, m.Status, m.FirstYear }).ToListAsync(cancellationToken))
        .OrderBy(m => m.Status == Domain.Model.ModelStatus.Active ? 0 : 1).ThenByDescending(m => m.FirstYear).Select(m => (Guid?)m.Id).FirstOrDefault();

    /// <summary>What may be chosen for the year, as the save checks it: the ids and the little each rule needs.</summary>
    private sealed record Candidates(int ModelLastYear, Dictionary<Guid, PlanningGoalLine> Goals, Dictionary<Guid, IndicatorFacts> Indicators, HashSet<Guid> Activities,
        Dictionary<Guid, string?> ControlActions, Dictionary<Guid, bool> Budget);

    private sealed record IndicatorFacts(Guid Id, string Name, Guid OwnerUnitId, Guid? GoalId, int Decimals, string UnitOfMeasure, Direction Direction,
        decimal? PlausibleMin, decimal? PlausibleMax, PeriodKind Periodicity);

    private async Task<Candidates> CandidatesAsync(PlanningYear planning, CancellationToken cancellationToken)
    {
        var (all, _) = await ReadAsync(planning, cancellationToken);
        return all;
    }

    private sealed record ControlSource(Guid Id, string Title, Guid UnitId, string PeriodName);

    /// <summary>
    /// Reads everything the year's planning offers, one query per kind (units, goals, indicators, targets, outcomes of five
    /// years, activities, control actions, plans, frames, periods), and makes the proposals in memory.
    /// </summary>
    private async Task<(Candidates Candidates, PlanningYearView? View)> ReadAsync(PlanningYear planning, CancellationToken cancellationToken, bool view = false)
    {
        var year = planning.Year;
        var last = year - 1;
        var model = await db.Models.AsNoTracking().Where(m => m.Id == planning.ModelId).Select(m => new { m.Name, m.LastYear, m.Cadence, m.InterimEndMonth }).SingleAsync(cancellationToken);
        var units = await db.Units.AsNoTracking().Select(u => new { u.Id, u.Name }).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);

        // Rows are listed by unit in Swedish order: the units are ranked once, not compared by name in every sort.
        var rank = units.OrderBy(u => u.Value, Swedish).Select((u, i) => (u.Key, i)).ToDictionary(x => x.Key, x => x.i);
        var goalRows = await db.Goals.AsNoTracking().Where(g => g.ModelId == planning.ModelId
                && (g.ValidFromYear == null || g.ValidFromYear <= year) && (g.ValidToYear == null || g.ValidToYear >= last))
            .Select(g => new { g.Id, g.Title, g.Code, g.OwnerUnitId, g.ValidFromYear, g.ValidToYear, g.SortOrder })
            .ToListAsync(cancellationToken);
        var goals = goalRows.OrderBy(g => rank.GetValueOrDefault(g.OwnerUnitId)).ThenBy(g => g.SortOrder).ThenBy(g => g.Title, Swedish)
            .Select(g =>
            {
                var continues = (g.ValidFromYear ?? int.MinValue) <= year && year <= (g.ValidToYear ?? int.MaxValue);
                return new PlanningGoalLine(g.Id, g.Title, g.Code, g.OwnerUnitId, units.GetValueOrDefault(g.OwnerUnitId, ""), g.ValidFromYear, g.ValidToYear, continues, g.ValidToYear == last);
            }).ToDictionary(g => g.Id);

        // The indicators of goals planned (going on or extendable) and those measuring no goal (the basic mission, programs).
        var indicators = (await db.Indicators.AsNoTracking()
                .Select(i => new IndicatorFacts(i.Id, i.Name, i.OwnerUnitId, i.GoalId, i.Decimals, i.UnitOfMeasure, i.Direction, i.PlausibleMin, i.PlausibleMax, i.Periodicity))
                .ToListAsync(cancellationToken))
            .Where(i => i.GoalId is null || goals.ContainsKey(i.GoalId.Value)).ToDictionary(i => i.Id);

        // Those chosen stay listed after activation has carried them into the year, so that the summary still names them.
        var chosenActivities = planning.Choices.Where(c => c.Kind == PlanningChoiceKind.Activity).Select(c => c.EntityId).ToList();
        var activities = await db.Activities.AsNoTracking()
            .Where(a => (a.EndDate != null && a.EndDate < new DateOnly(year, 1, 1) && a.Status != ActivityStatus.Done && a.Status != ActivityStatus.Cancelled)
                || chosenActivities.Contains(a.Id))
            .Select(a => new PlanningActivityLine(a.Id, a.Title, a.ResponsibleUnitId, "", a.EndDate, a.Status, a.Progress))
            .ToListAsync(cancellationToken);

        var plansNext = await db.ControlPlans.AsNoTracking().Where(p => p.Year == year).Select(p => new { p.UnitId, p.Status }).ToDictionaryAsync(p => p.UnitId, p => p.Status, cancellationToken);
        var control = await db.ControlActions.AsNoTracking()
            .Join(db.ControlPlans.Where(p => p.Year == last), a => a.PlanId, p => p.Id, (a, p) => new { a.Id, a.Title, p.UnitId, a.PeriodId, a.SortOrder })
            .Join(db.Periods, x => x.PeriodId, p => p.Id, (x, p) => new { x.Id, x.Title, x.UnitId, x.SortOrder, p.Name })
            .ToListAsync(cancellationToken);
        string? Blocked(Guid unit) => plansNext.TryGetValue(unit, out var s) && s != ControlPlanStatus.Proposal
            ? $"Enhetens internkontrollplan för {year} är redan beslutad." : null;

        var frames = await db.BudgetFrames.AsNoTracking().Where(f => f.Year == last || f.Year == year)
            .Select(f => new { f.UnitId, f.Year, f.Amount, f.IsDraft }).ToListAsync(cancellationToken);
        var framed = frames.Where(f => f.Year == year && !f.IsDraft).Select(f => f.UnitId).ToHashSet();
        var budget = units.Keys.ToDictionary(u => u, framed.Contains);

        var candidates = new Candidates(model.LastYear, goals, indicators, [.. activities.Select(a => a.Id)],
            control.ToDictionary(c => c.Id, c => Blocked(c.UnitId)), budget);
        if (!view)
        {
            return (candidates, null);
        }

        // Targets of the year before and the planned year; outcomes that close each of the five years before (ADR 47 §3).
        var lastKey = PeriodRef.ForYear(last).Key;
        var nextKey = PeriodRef.ForYear(year).Key;
        // Every key of the year before and the planned year's own, as a list the period index answers (a prefix match does not).
        var keys = new[] { PeriodKind.Month, PeriodKind.Quarter, PeriodKind.Tertial, PeriodKind.HalfYear, PeriodKind.Interim, PeriodKind.Year }
            .SelectMany(k => PeriodRef.EndingWithin(k, new DateOnly(last, 1, 1), new DateOnly(last, 12, 31))).Select(p => p.Key).Append(nextKey).Distinct().ToList();
        var targets = await db.Targets.AsNoTracking()
            .Where(t => keys.Contains(t.PeriodKey))
            .Select(t => new { t.IndicatorId, t.PeriodKey, t.Value, t.Min, t.Max }).ToListAsync(cancellationToken);
        var closingKeys = Enumerable.Range(year - 5, 5)
            .SelectMany(y => new PeriodRef[] { new(y, PeriodKind.Year, 1), new(y, PeriodKind.Tertial, 3), new(y, PeriodKind.HalfYear, 2), new(y, PeriodKind.Quarter, 4), new(y, PeriodKind.Month, 12) })
            .Select(p => p.Key).ToList();
        var outcomes = await db.Outcomes.AsNoTracking().Where(o => o.Value != null && closingKeys.Contains(o.PeriodKey))
            .Select(o => new { o.IndicatorId, o.PeriodKey, o.Value }).ToListAsync(cancellationToken);
        var outcomesOf = outcomes.Where(o => indicators.ContainsKey(o.IndicatorId)).ToLookup(o => o.IndicatorId);
        var targetsOf = targets.Where(t => indicators.ContainsKey(t.IndicatorId)).ToLookup(t => t.IndicatorId);

        var lines = indicators.Values
            .OrderBy(i => rank.GetValueOrDefault(i.OwnerUnitId)).ThenBy(i => i.GoalId is { } g && goals.TryGetValue(g, out var goal) ? goal.Title : "", Swedish).ThenBy(i => i.Name, Swedish)
            .Select(i =>
            {
                var own = targetsOf[i.Id].ToList();
                var previous = own.Where(t => t.PeriodKey != nextKey).OrderByDescending(t => t.PeriodKey == lastKey)
                    .ThenByDescending(t => PeriodRef.TryParse(t.PeriodKey, out var r) ? r : PeriodRef.ForYear(Years.Min)).FirstOrDefault();
                var known = previous is null ? null : new KnownTarget(previous.PeriodKey, previous.Value, previous.Min, previous.Max);
                var series = outcomesOf[i.Id]
                    .Select(o => (Ref: PeriodRef.Parse(o.PeriodKey), o.Value))
                    .Where(o => o.Ref.Kind == i.Periodicity || o.Ref.Kind == PeriodKind.Year)
                    .GroupBy(o => o.Ref.Year).Select(g => new YearOutcome(g.Key, g.OrderBy(o => o.Ref.Kind == PeriodKind.Year ? 0 : 1).First().Value!.Value))
                    .ToList();
                var set = TargetProposals.For(new TargetFacts(i.Direction, i.Decimals, i.PlausibleMin, i.PlausibleMax, known, series), year);
                var lastText = known is null ? null
                    : (known.Value is { } v ? SwedishFormat.Number(v, i.Decimals) : $"{Figure(known.Min, i.Decimals)}–{Figure(known.Max, i.Decimals)}") + $" ({known.PeriodKey})";
                return new PlanningIndicatorLine(i.Id, i.Name, i.OwnerUnitId, units.GetValueOrDefault(i.OwnerUnitId, ""),
                    i.GoalId is { } gid && goals.TryGetValue(gid, out var goal) ? goal.Title : null, i.Decimals, i.UnitOfMeasure, i.Direction,
                    lastText, own.Any(t => t.PeriodKey == nextKey),
                    [.. set.Proposals.Select(p => new ProposalDto(p.Kind.ToString(), p.Value, p.Min, p.Max, p.Explanation, p.Clamped))], set.Missing);
            }).ToList();

        // The open actions (ADR 12) as AssessmentActions.OpenActionsAsync reads them, joined to the model's goals rather
        // than listing 25,000 goal ids.
        var open = await db.Assessments.AsNoTracking().Where(a => a.ActionsClosedAt == null && a.Actions != null)
            .Join(db.Periods.Where(p => p.Year < year), a => a.PeriodId, p => p.Id, (a, p) => new { a.GoalId, a.Actions, p.Key, p.Name })
            .Join(db.Goals.Where(g => g.ModelId == planning.ModelId), x => x.GoalId, g => g.Id, (x, g) => x)
            .ToListAsync(cancellationToken);
        var openLines = open.Where(a => goals.ContainsKey(a.GoalId) && !string.IsNullOrWhiteSpace(a.Actions))
            .Select(a => (Line: new PlanningOpenAction(a.GoalId, goals[a.GoalId].Title, goals[a.GoalId].Unit, a.Name, a.Actions!), Ref: PeriodRef.Parse(a.Key)))
            .OrderBy(a => rank.GetValueOrDefault(goals[a.Line.GoalId].UnitId)).ThenBy(a => a.Line.Goal, Swedish).ThenBy(a => a.Ref)
            .Select(a => a.Line).ToList();

        var existingPeriods = await db.Periods.AsNoTracking().Where(p => p.Year == year).Select(p => p.Key).ToListAsync(cancellationToken);
        // Before activation the periods it will create; after, those it created (undo removes them).
        var createdPeriods = planning.Choices.Where(c => c.Kind == PlanningChoiceKind.Period && c.CreatedId != null).Select(c => c.CreatedId!.Value).ToList();
        var toCreate = planning.State switch
        {
            PlanningYearState.Draft => PeriodRef.CalendarFor(model.Cadence, year, model.InterimEndMonth).Where(p => !existingPeriods.Contains(p.Key)).Select(p => p.Label).ToList(),
            PlanningYearState.Active when createdPeriods.Count > 0 => [.. (await db.Periods.AsNoTracking().Where(p => createdPeriods.Contains(p.Id))
                .Select(p => new { p.Key, p.Name }).ToListAsync(cancellationToken)).OrderBy(p => PeriodRef.Parse(p.Key)).Select(p => p.Name)],
            _ => [],
        };
        var thisYear = frames.Where(f => f.Year == last && !f.IsDraft).ToDictionary(f => f.UnitId, f => f.Amount);
        var budgetLines = units.Where(u => thisYear.ContainsKey(u.Key) || framed.Contains(u.Key))
            .Select(u => new PlanningBudgetLine(u.Key, u.Value, thisYear.TryGetValue(u.Key, out var a) ? a : null, framed.Contains(u.Key)))
            .OrderBy(b => rank.GetValueOrDefault(b.UnitId)).ToList();

        var choices = planning.Choices.ToLookup(c => c.Kind);
        var dto = new PlanningChoicesDto(choices[PlanningChoiceKind.ModelExtend].Any(), [.. choices[PlanningChoiceKind.GoalExtend].Select(c => c.EntityId)],
            [.. choices[PlanningChoiceKind.Target].Select(c => new TargetChoice(c.EntityId, c.Value, c.Min, c.Max, c.Note))],
            [.. choices[PlanningChoiceKind.Activity].Select(c => c.EntityId)], [.. choices[PlanningChoiceKind.ControlAction].Select(c => c.EntityId)],
            [.. choices[PlanningChoiceKind.BudgetFrame].Select(c => new BudgetChoice(c.EntityId, c.Value ?? 0))], planning.Version);
        var undoBlocked = planning.State == PlanningYearState.Active ? await UndoBlockedAsync(planning, cancellationToken) : null;
        var result = new PlanningYearView(year, planning.State, StateName(planning.State), planning.Version, planning.ModelId, model.Name, model.LastYear,
            planning.OpenedBy, planning.OpenedAt, planning.ActivatedBy, planning.ActivatedAt, planning.UndoneBy, planning.UndoneAt, undoBlocked, dto, toCreate,
            [.. goals.Values], lines,
            [.. activities.Select(a => a with { Unit = units.GetValueOrDefault(a.UnitId, "") }).OrderBy(a => rank.GetValueOrDefault(a.UnitId)).ThenBy(a => a.Title, Swedish)],
            openLines,
            [.. control.OrderBy(c => rank.GetValueOrDefault(c.UnitId)).ThenBy(c => c.SortOrder).Select(c => new PlanningControlAction(c.Id, c.Title, c.UnitId, units.GetValueOrDefault(c.UnitId, ""), c.Name, Blocked(c.UnitId)))],
            budgetLines);
        return (candidates, result);
    }

    private async Task<PlanningYearView> ViewAsync(PlanningYear planning, CancellationToken cancellationToken) => (await ReadAsync(planning, cancellationToken, view: true)).View!;

    private static string Figure(decimal? value, int decimals) => value is { } v ? SwedishFormat.Number(v, decimals) : "…";
}
