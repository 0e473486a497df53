using System.Text.Json;
using Kedja.Data;
using Kedja.Domain.Auditing;
using Kedja.Domain;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Organisation;

/// <param name="SourceUnitIds">The merged units; for the other kinds the one unit.</param>
/// <param name="NewParentId">Where a moved unit goes; for a merge or split where the new units are placed (else the first unit's parent).</param>
/// <param name="NewName">A renamed unit's new name; a merge's new unit's name.</param>
/// <param name="NewNames">A split's new units' names.</param>
public sealed record ReorganisationStepInput(ReorganisationKind Kind, List<Guid>? SourceUnitIds, Guid? NewParentId = null, string? NewName = null, List<string>? NewNames = null);

public sealed record ReorganisationInput(string? Name, DateOnly? EffectiveDate, List<ReorganisationStepInput>? Steps);

public sealed record MappingChoice(Guid MappingId, Guid? ToUnitId);

/// <param name="Version">The reorganisation's version as read.</param>
public sealed record MappingInput(List<MappingChoice>? Mappings, int? Version);

public sealed record ReorganisationVersionInput(int? Version);

public sealed record UnitRef(Guid Id, string Name);

public sealed record ReorganisationStepView(Guid Id, ReorganisationKind Kind, string KindName, List<UnitRef> Sources, List<UnitRef> Targets, UnitRef? NewParent, string? NewName,
    string Summary);

/// <param name="Choices">The units it may go to: the step's new units.</param>
public sealed record ReorganisationMappingView(Guid Id, Guid StepId, OwnedKind EntityKind, Guid EntityId, string Name, UnitRef From, UnitRef? To, List<UnitRef> Choices, bool Confirmed);

/// <param name="Summary">Each step in a sentence ("Alfa och Beta slås ihop till Gamma").</param>
public sealed record ReorganisationView(Guid Id, string Name, DateOnly EffectiveDate, ReorganisationState State, string StateName, string CreatedBy, DateTime CreatedAt,
    string? ConfirmedBy, DateTime? ConfirmedAt, DateTime? AppliedAt, int Version, List<ReorganisationStepView> Steps, List<ReorganisationMappingView> Mappings, List<string> Summary,
    List<string>? Problems = null);

/// <summary>A reorganisation that crosses a comparison: its date and what it did.</summary>
public sealed record ReorganisationNote(DateOnly EffectiveDate, string Text);

/// <summary>
/// Reorganisations with an effective date (issue 16, ADR 47 section 5): planned with a proposed mapping of the merged or
/// split units' goals and indicators, confirmed by an administrator (which writes the units' and owners' history, so
/// every period from then on is read as of its end date), applied to the current rows once the date has come, or
/// cancelled while planned. Nothing waits for a worker: reads of a period resolve owners by date, and the current rows
/// are brought up to date by <see cref="ReorganisationWorker"/> once the date has come, never by a read.
/// </summary>
public sealed class Reorganisations(KedjaDbContext db, IAuditActor actor, TimeProvider clock)
{
    private const string Missing = "Omorganisationen finns inte.";

    /// <summary>The trail's action for what applying could not move (owners changed since the plan).</summary>
    public const string NotMovedAction = "NotMoved";

    public DateOnly Today() => Deadlines.Today(clock);

    /// <summary>Every reorganisation; reading applies nothing (<see cref="ReorganisationWorker"/> does).</summary>
    public async Task<List<ReorganisationView>> ListAsync(CancellationToken cancellationToken = default)
    {
        var all = await db.Reorganisations.AsNoTracking().Include(r => r.Steps).Include(r => r.Mappings).AsSplitQuery()
            .OrderByDescending(r => r.EffectiveDate).ThenBy(r => r.Name).ToListAsync(cancellationToken);
        var units = await NamesAsync(cancellationToken);
        var problems = await ProblemsAsync(null, cancellationToken);
        return [.. all.Select(r => View(r, units) with { Problems = problems.GetValueOrDefault(r.Id.ToString()) })];
    }

    /// <summary>What applying could not move, by reorganisation id, from the trail (one reorganisation's, or all).</summary>
    private async Task<Dictionary<string, List<string>>> ProblemsAsync(Guid? id, CancellationToken cancellationToken)
    {
        var key = id?.ToString();
        var rows = await db.AuditEntries.AsNoTracking().Where(a => a.Entity == nameof(Reorganisation) && a.Action == NotMovedAction && (key == null || a.EntityId == key))
            .Select(a => new { a.EntityId, a.After }).ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.EntityId).ToDictionary(g => g.Key, g => g.SelectMany(r => JsonSerializer.Deserialize<List<string>>(r.After ?? "[]") ?? []).ToList());
    }

    public async Task<ServiceResult<ReorganisationView>> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var found = await db.Reorganisations.AsNoTracking().Include(r => r.Steps).Include(r => r.Mappings).AsSplitQuery().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return found is null ? ServiceError.NotFound(Missing)
            : View(found, await NamesAsync(cancellationToken)) with { Problems = (await ProblemsAsync(id, cancellationToken)).GetValueOrDefault(id.ToString()) };
    }

    /// <summary>
    /// The reorganisations not yet applied, by date, as the organisation page shows what is coming: the confirmed ones to
    /// every member, the planned ones (not decided, and changeable) only to administrators, as the API.
    /// </summary>
    public async Task<List<ReorganisationView>> AheadAsync(bool seePlanned, CancellationToken cancellationToken = default) =>
        [.. (await ListAsync(cancellationToken)).Where(r => r.State == ReorganisationState.Confirmed || (seePlanned && r.State == ReorganisationState.Planned))
            .OrderBy(r => r.EffectiveDate)];

    private async Task<Dictionary<Guid, string>> NamesAsync(CancellationToken cancellationToken) =>
        await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);

    private static ReorganisationView View(Reorganisation r, IReadOnlyDictionary<Guid, string> units)
    {
        UnitRef Ref(Guid id) => new(id, units.GetValueOrDefault(id, "(borttagen enhet)"));
        var done = r.State == ReorganisationState.Applied;
        var steps = r.Steps.OrderBy(s => s.SortOrder).Select(s => new ReorganisationStepView(s.Id, s.Kind, ReorganisationRules.KindName(s.Kind),
            [.. s.SourceUnitIds.Select(Ref)], [.. s.TargetUnitIds.Select(Ref)], s.NewParentId is { } p ? Ref(p) : null, s.NewName,
            Describe(s, units, done))).ToList();
        var targets = r.Steps.ToDictionary(s => s.Id, s => s.TargetUnitIds);
        var mappings = r.Mappings.OrderBy(m => r.Steps.FindIndex(s => s.Id == m.StepId)).ThenBy(m => m.EntityKind).ThenBy(m => m.Name)
            .Select(m => new ReorganisationMappingView(m.Id, m.StepId, m.EntityKind, m.EntityId, m.Name, Ref(m.FromUnitId), m.ToUnitId is { } to ? Ref(to) : null,
                [.. targets.GetValueOrDefault(m.StepId, []).Select(Ref)], m.Confirmed)).ToList();
        return new ReorganisationView(r.Id, r.Name, r.EffectiveDate, r.State, ReorganisationRules.StateName(r.State), r.CreatedBy, r.CreatedAt, r.ConfirmedBy, r.ConfirmedAt,
            r.AppliedAt, r.Version, steps, mappings, [.. steps.Select(s => s.Summary)]);
    }

    private static string Describe(ReorganisationStep s, IReadOnlyDictionary<Guid, string> units, bool done) =>
        ReorganisationRules.Describe(s.Kind, [.. s.SourceUnitIds.Select(id => units.GetValueOrDefault(id, "?"))], [.. s.TargetUnitIds.Select(id => units.GetValueOrDefault(id, "?"))],
            s.NewParentId is { } p ? units.GetValueOrDefault(p, "?") : null, s.NewName, done);

    /// <summary>
    /// Plans a reorganisation: checks it whole, creates a merge's or split's new units (inactive until the date) and
    /// proposes where each goal and indicator of the merged or split units goes.
    /// </summary>
    public async Task<ServiceResult<ReorganisationView>> PlanAsync(ReorganisationInput input, CancellationToken cancellationToken = default)
    {
        var units = (await db.Units.AsNoTracking().ToListAsync(cancellationToken)).ToDictionary(u => u.Id);
        var states = units.Values.ToDictionary(u => u.Id, State);
        var steps = (input.Steps ?? []).Select(s => new PlannedStep(s.Kind, s.SourceUnitIds ?? [], s.NewParentId, s.NewName, s.NewNames ?? [])).ToList();
        var errors = ReorganisationRules.Check(input.Name, input.EffectiveDate, steps, states, await LockedAsync(cancellationToken), await OtherDatesAsync(null, cancellationToken));
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var date = input.EffectiveDate!.Value;
        var reorganisation = new Reorganisation
        {
            Name = input.Name!.Trim(), EffectiveDate = date, State = ReorganisationState.Planned, CreatedBy = actor.Name, CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        var order = units.Count == 0 ? 0 : units.Values.Max(u => u.SortOrder);
        for (var i = 0; i < steps.Count; i++)
        {
            var planned = steps[i];
            var first = units[planned.Sources[0]];
            var step = new ReorganisationStep
            {
                ReorganisationId = reorganisation.Id, SortOrder = i, Kind = planned.Kind, SourceUnitIds = [.. planned.Sources],
                NewParentId = planned.NewParentId, NewName = planned.NewName?.Trim(),
            };
            var newNames = planned.Kind switch
            {
                ReorganisationKind.Merge => [planned.NewName!.Trim()],
                ReorganisationKind.Split => planned.NewNames.Select(n => n.Trim()).ToList(),
                _ => new List<string>(),
            };
            foreach (var name in newNames)
            {
                var created = new OrgUnit { Name = name, ParentId = planned.NewParentId ?? first.ParentId, Kind = first.Kind, IsActive = false, SortOrder = ++order };
                db.Units.Add(created);
                step.TargetUnitIds.Add(created.Id);
            }

            reorganisation.Steps.Add(step);
            if (planned.Kind is ReorganisationKind.Merge or ReorganisationKind.Split)
            {
                foreach (var source in planned.Sources)
                {
                    // Goals that end before the date stay where they were: only what continues moves.
                    var goals = await db.Goals.AsNoTracking().Where(g => g.OwnerUnitId == source && (g.ValidToYear == null || g.ValidToYear >= date.Year))
                        .Select(g => new { g.Id, g.Title }).ToListAsync(cancellationToken);
                    // Indicators of a goal follow their goal; the unit's own (basic mission, programs) are mapped themselves.
                    var indicators = await db.Indicators.AsNoTracking().Where(x => x.OwnerUnitId == source && (x.GoalId == null || x.ProgramId != null))
                        .Select(x => new { x.Id, x.Name }).ToListAsync(cancellationToken);
                    var proposal = ReorganisationRules.Proposal(planned.Kind, source, step.TargetUnitIds);
                    reorganisation.Mappings.AddRange(goals.Select(g => new ReorganisationMapping
                    {
                        ReorganisationId = reorganisation.Id, StepId = step.Id, EntityKind = OwnedKind.Goal, EntityId = g.Id, Name = g.Title, FromUnitId = source, ToUnitId = proposal,
                    }));
                    reorganisation.Mappings.AddRange(indicators.Select(x => new ReorganisationMapping
                    {
                        ReorganisationId = reorganisation.Id, StepId = step.Id, EntityKind = OwnedKind.Indicator, EntityId = x.Id, Name = x.Name, FromUnitId = source, ToUnitId = proposal,
                    }));
                }
            }
        }

        db.Reorganisations.Add(reorganisation);
        await db.SaveChangesAsync(cancellationToken);
        return await GetAsync(reorganisation.Id, cancellationToken);
    }

    /// <summary>Changes where goals and indicators go, while planned.</summary>
    public async Task<ServiceResult<ReorganisationView>> MapAsync(Guid id, MappingInput input, CancellationToken cancellationToken = default)
    {
        if (await OpenAsync(id, input.Version, cancellationToken) is not { } reorganisation)
        {
            return await NotOpenAsync(id, input.Version, cancellationToken);
        }

        var errors = new List<(string, string)>();
        var choices = input.Mappings ?? [];
        for (var i = 0; i < choices.Count; i++)
        {
            var mapping = reorganisation.Mappings.FirstOrDefault(m => m.Id == choices[i].MappingId);
            var step = mapping is null ? null : reorganisation.Steps.Single(s => s.Id == mapping.StepId);
            if (mapping is null || step is null)
            {
                errors.Add(($"mappings[{i}].mappingId", "Kopplingen hör inte till omorganisationen."));
            }
            else if (choices[i].ToUnitId is { } to && !step.TargetUnitIds.Contains(to))
            {
                errors.Add(($"mappings[{i}].toUnitId", $"{mapping.Name} kan bara gå till någon av stegets nya enheter."));
            }
            else
            {
                mapping.ToUnitId = choices[i].ToUnitId;
            }
        }

        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        db.ExpectVersion(reorganisation, input.Version!.Value);
        return await db.TrySaveAsync() ? await GetAsync(id, cancellationToken) : ServiceError.Conflict();
    }

    /// <summary>
    /// Confirms the plan with its mapping: writes the units' versions and the owners' history from the date, and applies
    /// it to the current rows at once when the date has already come.
    /// </summary>
    public async Task<ServiceResult<ReorganisationView>> ConfirmAsync(Guid id, ReorganisationVersionInput input, CancellationToken cancellationToken = default)
    {
        if (await OpenAsync(id, input.Version, cancellationToken) is not { } reorganisation)
        {
            return await NotOpenAsync(id, input.Version, cancellationToken);
        }

        var units = await db.Units.ToDictionaryAsync(u => u.Id, cancellationToken);
        var errors = ReorganisationRules.Check(reorganisation.Name, reorganisation.EffectiveDate,
            [.. reorganisation.Steps.OrderBy(s => s.SortOrder).Select(s => new PlannedStep(s.Kind, s.SourceUnitIds, s.NewParentId, s.NewName,
                s.Kind == ReorganisationKind.Split ? [.. s.TargetUnitIds.Select(t => units.TryGetValue(t, out var u) ? u.Name : "")] : []))],
            units.Values.ToDictionary(u => u.Id, State), await LockedAsync(cancellationToken), await OtherDatesAsync(reorganisation.Id, cancellationToken));
        errors.AddRange(reorganisation.Mappings.Where(m => m.ToUnitId is null).Select(m => ("mappings", $"Välj vilken enhet {m.Name} ska höra till.")));
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var date = reorganisation.EffectiveDate;
        var affected = reorganisation.Steps.SelectMany(s => s.SourceUnitIds.Concat(s.TargetUnitIds)).ToHashSet();
        var history = (await db.OrgUnitVersions.ToListAsync(cancellationToken)).ToLookup(v => v.UnitId);
        void Change(Guid unitId, bool existed, Func<UnitState, UnitState> after)
        {
            var unit = units[unitId];
            var old = history[unitId].ToList();
            var now = State(unit);
            var versions = OrgAsOf.Change(existed ? now : null, [.. old.Select(v => new UnitVersion(new UnitState(unitId, v.ParentId, v.Name, v.ShortName, v.Kind, v.IsActive),
                new DateSpan(v.ValidFrom, v.ValidTo)))], date, after(now));
            db.OrgUnitVersions.RemoveRange(old);
            db.OrgUnitVersions.AddRange(versions.Select(v => new OrgUnitVersion
            {
                UnitId = unitId, ValidFrom = v.Span.From, ValidTo = v.Span.To, ParentId = v.State.ParentId, Name = v.State.Name, ShortName = v.State.ShortName,
                Kind = v.State.Kind, IsActive = v.State.IsActive, ReorganisationId = reorganisation.Id,
            }));
        }

        foreach (var step in reorganisation.Steps)
        {
            foreach (var target in step.TargetUnitIds)
            {
                Change(target, existed: false, s => s with { IsActive = true });
            }

            if (step.Kind is ReorganisationKind.Merge or ReorganisationKind.Split)
            {
                foreach (var source in step.SourceUnitIds)
                {
                    Change(source, existed: true, s => s with { IsActive = false });
                }

                // The units below a merged or split unit go with it: under the (first) new unit.
                foreach (var child in units.Values.Where(u => u.IsActive && u.ParentId is { } p && step.SourceUnitIds.Contains(p) && !affected.Contains(u.Id)))
                {
                    Change(child.Id, existed: true, s => s with { ParentId = step.TargetUnitIds[0] });
                }
            }
            else if (step.Kind == ReorganisationKind.Move)
            {
                Change(step.SourceUnitIds[0], existed: true, s => s with { ParentId = step.NewParentId });
            }
            else
            {
                Change(step.SourceUnitIds[0], existed: true, s => s with { Name = step.NewName! });
            }
        }

        var entityIds = reorganisation.Mappings.Select(m => m.EntityId).ToList();
        var owners = (await db.Ownerships.Where(o => entityIds.Contains(o.EntityId)).ToListAsync(cancellationToken)).ToLookup(o => o.EntityId);
        foreach (var mapping in reorganisation.Mappings)
        {
            UnitOwnership.Move(db, mapping.EntityKind, mapping.EntityId, mapping.FromUnitId, [.. owners[mapping.EntityId]], mapping.ToUnitId!.Value, date, reorganisation.Id);
            mapping.Confirmed = true;
        }

        reorganisation.State = ReorganisationState.Confirmed;
        reorganisation.ConfirmedBy = actor.Name;
        reorganisation.ConfirmedAt = clock.GetUtcNow().UtcDateTime;
        if (date <= Today())
        {
            await ApplyAsync(reorganisation, units, cancellationToken);
        }

        db.ExpectVersion(reorganisation, input.Version!.Value);
        return await db.TrySaveAsync() ? await GetAsync(id, cancellationToken) : ServiceError.Conflict();
    }

    /// <summary>Cancels a planned reorganisation; the new units it created go with it.</summary>
    public async Task<ServiceResult<ReorganisationView>> CancelAsync(Guid id, ReorganisationVersionInput input, CancellationToken cancellationToken = default)
    {
        if (await OpenAsync(id, input.Version, cancellationToken) is not { } reorganisation)
        {
            return await NotOpenAsync(id, input.Version, cancellationToken);
        }

        reorganisation.State = ReorganisationState.Cancelled;
        db.ReorganisationMappings.RemoveRange(reorganisation.Mappings);
        var created = reorganisation.Steps.SelectMany(s => s.TargetUnitIds).ToList();
        // Only what nothing has come to use since: a unit someone gave goals or members meanwhile stays, inactive.
        var used = await db.Goals.Where(g => created.Contains(g.OwnerUnitId)).Select(g => g.OwnerUnitId)
            .Concat(db.Indicators.Where(i => created.Contains(i.OwnerUnitId)).Select(i => i.OwnerUnitId))
            .Concat(db.Units.Where(u => u.ParentId != null && created.Contains(u.ParentId.Value)).Select(u => u.ParentId!.Value)).ToListAsync(cancellationToken);
        db.Units.RemoveRange(await db.Units.Where(u => created.Contains(u.Id) && !u.IsActive && !used.Contains(u.Id)).ToListAsync(cancellationToken));
        db.ExpectVersion(reorganisation, input.Version!.Value);
        return await db.TrySaveAsync() ? await GetAsync(id, cancellationToken) : ServiceError.Conflict();
    }

    /// <summary>
    /// Applies every confirmed reorganisation whose date has come to the current rows; the number this call applied. Each
    /// is claimed by its version in the transaction that writes it, so that of several nodes at once one writes it and the
    /// others write nothing. Only <see cref="ReorganisationWorker"/> calls it, entered as the system.
    /// </summary>
    public async Task<int> ApplyDueAsync(CancellationToken cancellationToken = default)
    {
        var applied = 0;
        var today = Today();
        var due = await db.Reorganisations.AsNoTracking().Where(r => r.State == ReorganisationState.Confirmed && r.EffectiveDate <= today)
            .OrderBy(r => r.EffectiveDate).Select(r => r.Id).ToListAsync(cancellationToken);
        foreach (var id in due)
        {
            db.ChangeTracker.Clear();
            var reorganisation = await db.Reorganisations.Include(r => r.Steps).Include(r => r.Mappings).AsSplitQuery()
                .SingleAsync(r => r.Id == id, cancellationToken);
            if (reorganisation.State != ReorganisationState.Confirmed)
            {
                continue;
            }

            await ApplyAsync(reorganisation, await db.Units.ToDictionaryAsync(u => u.Id, cancellationToken), cancellationToken);
            db.ExpectVersion(reorganisation, reorganisation.Version);
            if (await db.TrySaveAsync())
            {
                applied++;
            }
        }

        db.ChangeTracker.Clear();
        return applied;
    }

    /// <summary>The current rows as from the date: units' names, parents and activity, goals' and indicators' owners.</summary>
    private async Task ApplyAsync(Reorganisation reorganisation, Dictionary<Guid, OrgUnit> units, CancellationToken cancellationToken)
    {
        var affected = reorganisation.Steps.SelectMany(s => s.SourceUnitIds.Concat(s.TargetUnitIds)).ToHashSet();
        foreach (var step in reorganisation.Steps)
        {
            switch (step.Kind)
            {
                case ReorganisationKind.Merge or ReorganisationKind.Split:
                    foreach (var child in units.Values.Where(u => u.ParentId is { } p && step.SourceUnitIds.Contains(p) && !affected.Contains(u.Id)))
                    {
                        child.ParentId = step.TargetUnitIds[0];
                    }

                    step.SourceUnitIds.ForEach(s => units[s].IsActive = false);
                    step.TargetUnitIds.ForEach(t => units[t].IsActive = true);
                    break;
                case ReorganisationKind.Move:
                    units[step.SourceUnitIds[0]].ParentId = step.NewParentId;
                    break;
                default:
                    units[step.SourceUnitIds[0]].Name = step.NewName!;
                    break;
            }
        }

        // Only what still belongs where the plan found it moves (review 16, finding 4): an owner a person changed between
        // confirming and the date stands (editing wrote it into the history from that day), and the reorganisation says so.
        var problems = new List<string>();
        string NotMoved(ReorganisationMapping m, Guid now, string what) =>
            $"{what} {m.Name} flyttades inte till {Name(m.ToUnitId!.Value)}: det hör sedan planeringen till {Name(now)} i stället för {Name(m.FromUnitId)}.";
        string Name(Guid id) => units.TryGetValue(id, out var u) ? u.Name : "(borttagen enhet)";
        var goals = reorganisation.Mappings.Where(m => m.EntityKind == OwnedKind.Goal).ToDictionary(m => m.EntityId);
        var goalIds = goals.Keys.ToList();
        foreach (var goal in await db.Goals.Where(g => goalIds.Contains(g.Id)).ToListAsync(cancellationToken))
        {
            if (goal.OwnerUnitId == goals[goal.Id].FromUnitId)
            {
                goal.OwnerUnitId = goals[goal.Id].ToUnitId!.Value;
            }
            else
            {
                problems.Add(NotMoved(goals[goal.Id], goal.OwnerUnitId, "Målet"));
            }
        }

        var indicators = reorganisation.Mappings.Where(m => m.EntityKind == OwnedKind.Indicator).ToDictionary(m => m.EntityId);
        var indicatorIds = indicators.Keys.ToList();
        foreach (var indicator in await db.Indicators.Where(i => indicatorIds.Contains(i.Id) || goalIds.Contains(i.GoalId!.Value)).ToListAsync(cancellationToken))
        {
            if (indicators.TryGetValue(indicator.Id, out var own))
            {
                if (indicator.OwnerUnitId == own.FromUnitId)
                {
                    indicator.OwnerUnitId = own.ToUnitId!.Value;
                }
                else
                {
                    problems.Add(NotMoved(own, indicator.OwnerUnitId, "Indikatorn"));
                }
            }
            else if (indicator.GoalId is { } goal && goals.TryGetValue(goal, out var mapped) && indicator.OwnerUnitId == mapped.FromUnitId)
            {
                // A goal's indicator keeps its owner as the goal's: whoever follows the goal up enters its outcomes.
                indicator.OwnerUnitId = mapped.ToUnitId!.Value;
            }
        }

        reorganisation.State = ReorganisationState.Applied;
        reorganisation.AppliedAt = clock.GetUtcNow().UtcDateTime;
        if (problems.Count > 0)
        {
            // Kept in the reorganisation's trail (no column of its own): the view reads them back as its problems.
            db.AuditEntries.Add(new AuditEntry
            {
                TenantId = reorganisation.TenantId, UserName = actor.Name, At = reorganisation.AppliedAt.Value, Entity = nameof(Reorganisation),
                EntityId = reorganisation.Id.ToString(), Action = NotMovedAction, After = JsonSerializer.Serialize(problems),
            });
        }
    }

    /// <summary>The reorganisation, tracked, if it is still planned and the caller sent a version; else null (see <see cref="NotOpenAsync"/>).</summary>
    private async Task<Reorganisation?> OpenAsync(Guid id, int? version, CancellationToken cancellationToken)
    {
        if (version is null)
        {
            return null;
        }

        var reorganisation = await db.Reorganisations.Include(r => r.Steps).Include(r => r.Mappings).AsSplitQuery().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return reorganisation is { State: ReorganisationState.Planned } ? reorganisation : null;
    }

    private async Task<ServiceError> NotOpenAsync(Guid id, int? version, CancellationToken cancellationToken)
    {
        var found = await db.Reorganisations.AsNoTracking().Where(r => r.Id == id).Select(r => new { r.State, r.Version }).SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return ServiceError.NotFound(Missing);
        }

        if (version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToChange);
        }

        return found.Version != version
            ? ServiceError.Conflict()
            : ServiceError.Invalid("state", $"Omorganisationen är {ReorganisationRules.StateName(found.State).ToLowerInvariant()} och kan inte längre ändras.");
    }

    private static ServiceError Invalid(List<(string Field, string Message)> errors)
    {
        var found = new ValidationErrors();
        foreach (var (field, message) in errors)
        {
            found.Add(field, message);
        }

        return ServiceError.Invalid(found);
    }

    private static UnitState State(OrgUnit u) => new(u.Id, u.ParentId, u.Name, u.ShortName, u.Kind, u.IsActive);

    /// <summary>Follow-ups locked for some unit: a reorganisation may not change the organisation they were reported with.</summary>
    private async Task<List<LockedPeriod>> LockedAsync(CancellationToken cancellationToken)
    {
        var locked = db.UnitPeriodStatuses.Where(s => s.State == WorkflowState.Locked).Select(s => s.PeriodId);
        return await db.Periods.AsNoTracking().Where(p => locked.Contains(p.Id)).Select(p => new LockedPeriod(p.Name, p.EndDate)).ToListAsync(cancellationToken);
    }

    /// <summary>The units in other planned or confirmed reorganisations, with their date.</summary>
    private async Task<Dictionary<Guid, DateOnly>> OtherDatesAsync(Guid? except, CancellationToken cancellationToken)
    {
        var open = await db.Reorganisations.AsNoTracking().Where(r => r.Id != except && (r.State == ReorganisationState.Planned || r.State == ReorganisationState.Confirmed))
            .Include(r => r.Steps).ToListAsync(cancellationToken);
        var dates = new Dictionary<Guid, DateOnly>();
        foreach (var r in open)
        {
            foreach (var unit in r.Steps.SelectMany(s => s.SourceUnitIds.Concat(s.TargetUnitIds)))
            {
                dates[unit] = r.EffectiveDate;
            }
        }

        return dates;
    }

    /// <summary>
    /// The applied or confirmed reorganisations dated after <paramref name="from"/> and on or before <paramref name="to"/>
    /// that changed any of <paramref name="units"/>: a comparison between the two dates crosses them.
    /// </summary>
    public async Task<List<ReorganisationNote>> CrossingAsync(IReadOnlyCollection<Guid> units, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var found = await db.Reorganisations.AsNoTracking().Where(r => (r.State == ReorganisationState.Confirmed || r.State == ReorganisationState.Applied)
            && r.EffectiveDate > from && r.EffectiveDate <= to).Include(r => r.Steps).ToListAsync(cancellationToken);
        var touched = found.Where(r => r.Steps.Any(s => s.SourceUnitIds.Concat(s.TargetUnitIds).Any(units.Contains))).ToList();
        if (touched.Count == 0)
        {
            return [];
        }

        var names = await NamesAsync(cancellationToken);
        return [.. touched.OrderBy(r => r.EffectiveDate).Select(r => new ReorganisationNote(r.EffectiveDate,
            $"Jämförelsen spänner över omorganisationen {r.EffectiveDate:yyyy-MM-dd} ({string.Join("; ", r.Steps.OrderBy(s => s.SortOrder).Where(s => s.SourceUnitIds.Concat(s.TargetUnitIds).Any(units.Contains)).Select(s => Describe(s, names, done: true)))})."))];
    }
}
