using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Kedja.Data;
using Kedja.Domain.InternalControl;
using Kedja.Domain.Organisation;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.InternalControl;

/// <summary>
/// A plan as the document describes it, with its version and what a person reads beside it: what GET gives and PUT takes
/// back. Status, decision, results and measures are read-only here (they change through the decision and the follow-up);
/// <see cref="ControlPlanDoc.ChangeReason"/> in a request is the reason for this change, needed once the plan is decided.
/// </summary>
public sealed record VersionedControlPlan : ControlPlanDoc
{
    public VersionedControlPlan()
    {
    }

    [SetsRequiredMembers]
    public VersionedControlPlan(ControlPlanDoc doc, int version)
        : base(doc) => Version = version;

    public int? Version { get; init; }

    /// <summary>"Förslag" or "Beslutad"; ignored in a request.</summary>
    public string StatusName => ControlNames.Swedish(Status);

    /// <summary>Measures decided under the unit's earlier plans that follow into this year (ADR 46: a query, not copies); ignored in a request.</summary>
    public List<CarriedMeasure> CarriedMeasures { get; init; } = [];
}

/// <summary>A measure of an earlier year's plan that the plan carries, with the control action and year it came from and its version.</summary>
public sealed record CarriedMeasure(ControlMeasureDoc Measure, int Version, Guid ActionId, string ActionTitle, int Year);

/// <summary>A risk of the register the plan may choose, with its value for the year and whether it reaches the tenant's threshold.</summary>
public sealed record ProposedRisk(Guid Id, int Number, string Title, Guid UnitId, string UnitName, int? Value, RiskBand? Band, bool Proposed);

/// <summary>The decision of a plan: the day the committee decided it and the paragraph of the minutes ("§ 45").</summary>
public sealed record ControlPlanDecision(DateOnly? DecidedOn, string? DecisionParagraph, int? Version);

/// <summary>
/// The committees' internal control plans (issue 15, ADR 46): read by those who see the unit
/// (<see cref="UnitScope.SeesManyAsync"/>), made and changed by those who may act for it (<see cref="UnitScope.AllowsAsync"/>),
/// by the rules the document importer uses too (<see cref="InternalControlRules"/>). Once decided a plan is locked: a
/// change needs a reason, stored on the plan in the same save so that its audit entry carries the reason.
/// </summary>
public sealed class ControlPlans(KedjaDbContext db, TenantContext tenant)
{
    public const string NotFound = "Internkontrollplanen finns inte.";

    public const string ReasonNeeded = "Planen är beslutad. Ange skälet till ändringen.";

    private const string OutsideUnits = "Du får bara ändra internkontrollplanen för din egen enhet och enheterna under den.";

    public async Task<List<VersionedControlPlan>> ListAsync(Guid? unitId, int? year, CancellationToken cancellationToken = default)
    {
        var sees = await UnitScope.SeesManyAsync(tenant, db, cancellationToken);
        var plans = await Query().Where(p => (unitId == null || p.UnitId == unitId) && (year == null || p.Year == year))
            .OrderBy(p => p.Year).ThenBy(p => p.UnitId).ToListAsync(cancellationToken);
        var keys = await PeriodKeysAsync(cancellationToken);
        return [.. plans.Where(p => sees(p.UnitId)).Select(p => Versioned(p, keys, []))];
    }

    /// <summary>The unit's plan for the year with the measures it carries, or null when it has none (or the person does not see the unit).</summary>
    public async Task<VersionedControlPlan?> ForAsync(Guid unitId, int year, CancellationToken cancellationToken = default)
    {
        if (!await UnitScope.SeesAsync(tenant, db, unitId, cancellationToken))
        {
            return null;
        }

        var plan = await Query().SingleOrDefaultAsync(p => p.UnitId == unitId && p.Year == year, cancellationToken);
        return plan is null ? null : await WithCarriedAsync(plan, cancellationToken);
    }

    public async Task<ServiceResult<VersionedControlPlan>> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var plan = await Query().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (plan is null || !await UnitScope.SeesAsync(tenant, db, plan.UnitId, cancellationToken))
        {
            return ServiceError.NotFound(NotFound);
        }

        return await WithCarriedAsync(plan, cancellationToken);
    }

    /// <summary>Whether the person may make, change and decide the unit's plan.</summary>
    public Task<bool> MayEditAsync(Guid unitId, CancellationToken cancellationToken = default) => UnitScope.AllowsAsync(tenant, db, unitId, cancellationToken);

    /// <summary>
    /// The risks a plan of the unit may choose for the year: those in the registers of the unit and of every unit below it
    /// (a committee's plan covers its administration's registers), with <see cref="ProposedRisk.Proposed"/> for those whose
    /// value reaches the tenant's threshold (<see cref="RiskScale.Proposal"/>), proposed first. A person chooses.
    /// </summary>
    public async Task<List<ProposedRisk>> ProposalAsync(Guid unitId, int year, CancellationToken cancellationToken = default)
    {
        if (!await UnitScope.SeesAsync(tenant, db, unitId, cancellationToken))
        {
            return [];
        }

        var settings = await SettingsAsync(cancellationToken);
        var units = await SubtreeAsync(unitId, cancellationToken);
        var risks = await db.Risks.AsNoTracking().Include(r => r.Assessments).Where(r => units.Keys.Contains(r.UnitId)).ToListAsync(cancellationToken);
        risks = [.. risks.Where(r => RiskScale.InRegister(r, year))];
        var proposed = RiskScale.Proposal(settings, risks, year);
        var chosen = proposed.Select(r => r.Id).ToHashSet();
        return
        [
            .. proposed.Concat(risks.Where(r => !chosen.Contains(r.Id)).OrderBy(r => r.Number)).Select(r =>
            {
                var value = r.Assessments.FirstOrDefault(a => a.Year == year)?.Value;
                return new ProposedRisk(r.Id, r.Number, r.Title, r.UnitId, units[r.UnitId], value, value is { } v ? RiskScale.Band(settings, v) : null, chosen.Contains(r.Id));
            }),
        ];
    }

    /// <summary>Makes a plan in status förslag (a decided plan comes from <see cref="DecideAsync"/>).</summary>
    public async Task<ServiceResult<VersionedControlPlan>> CreateAsync(ControlPlanDoc input, CancellationToken cancellationToken = default)
    {
        if (!await UnitScope.AllowsAsync(tenant, db, input.UnitId, cancellationToken))
        {
            return await UnitScope.SeesAsync(tenant, db, input.UnitId, cancellationToken) ? ServiceError.Forbidden(OutsideUnits) : ServiceError.NotFound("Enheten finns inte.");
        }

        var id = input.Id == Guid.Empty ? Guid.CreateVersion7() : input.Id;
        var doc = input with { Id = id, Status = ControlPlanStatus.Proposal, DecidedOn = null, DecisionParagraph = null, ChangeReason = null };
        if (await CheckAsync(doc, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        if (await db.ControlPlans.AnyAsync(p => p.Id == id || (p.UnitId == doc.UnitId && p.Year == doc.Year), cancellationToken))
        {
            return ServiceError.Conflict($"Enheten har redan en internkontrollplan för {doc.Year}.");
        }

        var plan = new ControlPlan { Id = id, UnitId = doc.UnitId, Year = doc.Year, Status = ControlPlanStatus.Proposal };
        await ApplyAsync(plan, doc, cancellationToken);
        db.ControlPlans.Add(plan);
        return await db.TrySaveAsync()
            ? await WithCarriedAsync(plan, cancellationToken)
            : ServiceError.Conflict($"Enheten har redan en internkontrollplan för {doc.Year}.");
    }

    /// <summary>
    /// Changes the plan's description, risks and control actions to what the input says (an action without id is added,
    /// one left out is removed unless it has results). Its unit, year, status and decision stay. After the decision a
    /// change needs a reason that is not the one stored from the change before: an echoed reason would let any client
    /// that sends back what it read change a locked plan without saying why.
    /// </summary>
    public async Task<ServiceResult<VersionedControlPlan>> UpdateAsync(Guid id, VersionedControlPlan input, CancellationToken cancellationToken = default)
    {
        var plan = await Tracked().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (await RefuseAsync(plan, cancellationToken) is { } refused)
        {
            return refused;
        }

        if (input.Version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToChange);
        }

        var doc = input with
        {
            Id = plan!.Id, UnitId = plan.UnitId, Year = plan.Year, Status = plan.Status, DecidedOn = plan.DecidedOn, DecisionParagraph = plan.DecisionParagraph,
            ChangeReason = string.IsNullOrWhiteSpace(input.ChangeReason) ? null : input.ChangeReason.Trim(),
            Actions = [.. (input.Actions ?? []).Select(a => a with { Results = [], Measures = [] })],
        };
        if (await CheckAsync(doc, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        var keys = await PeriodKeysAsync(cancellationToken);
        if (Canonical(ToDoc(plan, keys)) == Canonical(doc))
        {
            // What was read comes back unchanged: nothing to decide, nothing written (still refused when stale).
            return plan.Version == input.Version ? await WithCarriedAsync(plan, cancellationToken) : ServiceError.Conflict();
        }

        if (plan.Status == ControlPlanStatus.Decided && (doc.ChangeReason is null || doc.ChangeReason == plan.ChangeReason))
        {
            return ServiceError.Invalid("changeReason", ReasonNeeded);
        }

        var kept = doc.Actions.Where(a => a.Id != Guid.Empty).Select(a => a.Id).ToHashSet();
        var errors = new ValidationErrors();
        foreach (var gone in plan.Actions.Where(a => !kept.Contains(a.Id) && (a.Results.Count > 0 || a.Measures.Count > 0)))
        {
            errors.Add("actions", $"Kontrollmomentet '{gone.Title}' har följts upp (resultat eller åtgärder) och kan inte tas bort ur planen.");
        }

        foreach (var unknown in kept.Where(k => plan.Actions.All(a => a.Id != k)))
        {
            errors.Add("actions", $"Kontrollmomentet {unknown} finns inte i planen.");
        }

        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        db.ExpectVersion(plan, input.Version.Value);
        plan.ChangeReason = plan.Status == ControlPlanStatus.Decided ? doc.ChangeReason : null;
        await ApplyAsync(plan, doc, cancellationToken);
        return await db.TrySaveAsync() ? await WithCarriedAsync(plan, cancellationToken) : ServiceError.Conflict();
    }

    /// <summary>
    /// Records the committee's decision (date and §): the plan is locked from then on. Only someone who may act for the
    /// plan's unit decides; a decided plan is not decided again.
    /// </summary>
    public async Task<ServiceResult<VersionedControlPlan>> DecideAsync(Guid id, ControlPlanDecision input, CancellationToken cancellationToken = default)
    {
        var plan = await Tracked().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (await RefuseAsync(plan, cancellationToken) is { } refused)
        {
            return refused;
        }

        if (input.Version is null)
        {
            return ServiceError.Invalid("version", ServiceError.VersionToChange);
        }

        if (plan!.Status == ControlPlanStatus.Decided)
        {
            return ServiceError.Conflict("Planen är redan beslutad.");
        }

        var keys = await PeriodKeysAsync(cancellationToken);
        var doc = ToDoc(plan, keys) with
        {
            Status = ControlPlanStatus.Decided, DecidedOn = input.DecidedOn,
            DecisionParagraph = string.IsNullOrWhiteSpace(input.DecisionParagraph) ? null : input.DecisionParagraph.Trim(),
        };
        if (await CheckAsync(doc, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        db.ExpectVersion(plan, input.Version.Value);
        (plan.Status, plan.DecidedOn, plan.DecisionParagraph, plan.ChangeReason) = (ControlPlanStatus.Decided, doc.DecidedOn, doc.DecisionParagraph, null);
        return await db.TrySaveAsync() ? await WithCarriedAsync(plan, cancellationToken) : ServiceError.Conflict();
    }

    /// <summary>Not found for whoever does not see the plan's unit; forbidden for whoever sees it but may not act for it.</summary>
    private async Task<ServiceError?> RefuseAsync(ControlPlan? plan, CancellationToken cancellationToken)
    {
        if (plan is null || !await UnitScope.SeesAsync(tenant, db, plan.UnitId, cancellationToken))
        {
            return ServiceError.NotFound(NotFound);
        }

        return await UnitScope.AllowsAsync(tenant, db, plan.UnitId, cancellationToken) ? null : ServiceError.Forbidden(OutsideUnits);
    }

    /// <summary>
    /// <see cref="InternalControlRules.CheckPlan"/> with what it points at looked up in the database, and two rules of the
    /// service: the plan's risks come from the registers of its unit and the units below it, and so do the units
    /// responsible for its control actions (whose people report them and must see them).
    /// </summary>
    private async Task<ServiceError?> CheckAsync(ControlPlanDoc doc, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (!NullElements.Check(errors, "", doc))
        {
            return ServiceError.Invalid(errors);
        }

        var subtree = await SubtreeAsync(doc.UnitId, cancellationToken);
        var riskIds = doc.RiskIds.ToList();
        var risks = await db.Risks.AsNoTracking().Where(r => riskIds.Contains(r.Id) && subtree.Keys.Contains(r.UnitId)).Select(r => r.Id).ToListAsync(cancellationToken);
        var units = await db.Units.AsNoTracking().Select(u => u.Id).ToListAsync(cancellationToken);
        var periods = await db.Periods.AsNoTracking().Select(p => new { p.Key, p.Year }).ToDictionaryAsync(p => p.Key, p => p.Year, cancellationToken);
        var references = new PlanReferences(units.Contains, risks.Contains, key => periods.TryGetValue(key, out var year) ? year : null);
        InternalControlRules.CheckPlan(errors, "", doc, references);
        for (var a = 0; a < doc.Actions.Count; a++)
        {
            if (units.Contains(doc.Actions[a].ResponsibleUnitId) && !subtree.ContainsKey(doc.Actions[a].ResponsibleUnitId))
            {
                errors.Add($"actions[{a}].responsibleUnitId", "Den ansvariga enheten ska vara planens enhet eller en enhet under den.");
            }
        }

        return errors.Count > 0 ? ServiceError.Invalid(errors) : null;
    }

    private async Task ApplyAsync(ControlPlan plan, ControlPlanDoc doc, CancellationToken cancellationToken)
    {
        var periods = await db.Periods.AsNoTracking().ToDictionaryAsync(p => p.Key, p => p.Id, cancellationToken);
        plan.Description = string.IsNullOrWhiteSpace(doc.Description) ? null : doc.Description.Trim();
        var chosen = doc.RiskIds.ToHashSet();
        plan.Risks.RemoveAll(r => !chosen.Contains(r.RiskId));
        foreach (var riskId in chosen.Where(r => plan.Risks.All(x => x.RiskId != r)))
        {
            plan.Risks.Add(new ControlPlanRisk { PlanId = plan.Id, RiskId = riskId });
        }

        var kept = doc.Actions.Where(a => a.Id != Guid.Empty).Select(a => a.Id).ToHashSet();
        foreach (var gone in plan.Actions.Where(a => !kept.Contains(a.Id)).ToList())
        {
            plan.Actions.Remove(gone);
            db.ControlActions.Remove(gone);
        }

        for (var i = 0; i < doc.Actions.Count; i++)
        {
            var input = doc.Actions[i];
            var action = plan.Actions.SingleOrDefault(a => a.Id == input.Id && input.Id != Guid.Empty);
            if (action is null)
            {
                action = new ControlAction { Id = input.Id == Guid.Empty ? Guid.CreateVersion7() : input.Id, PlanId = plan.Id, Title = "", Method = "" };
                plan.Actions.Add(action);
            }

            action.RiskId = input.RiskId;
            action.Title = input.Title.Trim();
            action.Method = input.Method.Trim();
            action.Scope = Blank(input.Scope);
            action.ResponsibleUnitId = input.ResponsibleUnitId;
            action.ResponsiblePerson = Blank(input.ResponsiblePerson);
            action.PeriodId = periods[FollowUpCalendarKey(input.PeriodKey)];
            action.ReportTo = Blank(input.ReportTo);
            action.SortOrder = input.SortOrder == 0 ? i + 1 : input.SortOrder;
        }
    }

    private static string FollowUpCalendarKey(string key) => Domain.Periods.PeriodRef.Parse(key).Key;

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>The plan's content that a change after the decision is about, in one comparable form.</summary>
    private static string Canonical(ControlPlanDoc doc) => JsonSerializer.Serialize(new
    {
        Description = Blank(doc.Description),
        Risks = doc.RiskIds.Distinct().Order().ToList(),
        Actions = doc.Actions.Select((a, i) => new
        {
            a.Id, a.RiskId, Title = a.Title.Trim(), Method = a.Method.Trim(), Scope = Blank(a.Scope), a.ResponsibleUnitId, Person = Blank(a.ResponsiblePerson),
            Period = Domain.Periods.PeriodRef.TryParse(a.PeriodKey, out var p) ? p.Key : a.PeriodKey, ReportTo = Blank(a.ReportTo), Sort = a.SortOrder == 0 ? i + 1 : a.SortOrder,
        }).OrderBy(a => a.Id).ToList(),
    });

    public async Task<RiskSettings> SettingsAsync(CancellationToken cancellationToken) =>
        await RiskSettingsEditing.ScaleAsync(db, tenant.TenantId, cancellationToken);

    /// <summary>The unit and every unit below it, by name.</summary>
    public async Task<Dictionary<Guid, string>> SubtreeAsync(Guid unitId, CancellationToken cancellationToken)
    {
        var all = await db.Units.AsNoTracking().Select(u => new { u.Id, u.ParentId, u.Name }).ToListAsync(cancellationToken);
        var result = new Dictionary<Guid, string>();
        var queue = new Queue<Guid>(all.Where(u => u.Id == unitId).Select(u => u.Id));
        while (queue.TryDequeue(out var id))
        {
            result[id] = all.First(u => u.Id == id).Name;
            foreach (var child in all.Where(u => u.ParentId == id && !result.ContainsKey(u.Id)))
            {
                queue.Enqueue(child.Id);
            }
        }

        return result;
    }

    private IQueryable<ControlPlan> Tracked() =>
        db.ControlPlans.Include(p => p.Risks).Include(p => p.Actions).ThenInclude(a => a.Results).Include(p => p.Actions).ThenInclude(a => a.Measures).AsSplitQuery();

    private IQueryable<ControlPlan> Query() =>
        db.ControlPlans.AsNoTracking().Include(p => p.Risks).Include(p => p.Actions).ThenInclude(a => a.Results).Include(p => p.Actions).ThenInclude(a => a.Measures).AsSplitQuery();

    private async Task<VersionedControlPlan> WithCarriedAsync(ControlPlan plan, CancellationToken cancellationToken)
    {
        var keys = await PeriodKeysAsync(cancellationToken);
        return Versioned(plan, keys, await CarriedAsync(plan.UnitId, plan.Year, keys, cancellationToken));
    }

    /// <summary>The measures of the unit's earlier plans that follow into the year (<see cref="RiskScale.CarriedInto"/>).</summary>
    internal async Task<List<CarriedMeasure>> CarriedAsync(Guid unitId, int year, IReadOnlyDictionary<Guid, string> keys, CancellationToken cancellationToken) =>
        (await CarriedAsync([unitId], year, keys, cancellationToken)).GetValueOrDefault(unitId) ?? [];

    /// <summary>The measures each unit's plan for the year carries from its earlier plans (<see cref="RiskScale.CarriedInto"/>), read in one query for all the units.</summary>
    internal async Task<Dictionary<Guid, List<CarriedMeasure>>> CarriedAsync(IReadOnlyCollection<Guid> unitIds, int year, IReadOnlyDictionary<Guid, string> keys, CancellationToken cancellationToken)
    {
        var earlier = await (from m in db.ControlMeasures.AsNoTracking()
                             join a in db.ControlActions.AsNoTracking() on m.ActionId equals a.Id
                             join p in db.ControlPlans.AsNoTracking() on a.PlanId equals p.Id
                             where unitIds.Contains(p.UnitId) && p.Year < year
                             select new { Measure = m, a.Title, p.Year, p.UnitId }).ToListAsync(cancellationToken);
        var years = earlier.ToDictionary(x => x.Measure.Id, x => x.Year);
        var carried = RiskScale.CarriedInto(year, earlier.Select(x => x.Measure), m => years[m.Id]).Select(m => m.Id).ToHashSet();
        return earlier.Where(x => carried.Contains(x.Measure.Id)).GroupBy(x => x.UnitId).ToDictionary(g => g.Key, g => g
            .OrderBy(x => x.Year).ThenBy(x => x.Measure.Deadline)
            .Select(x => new CarriedMeasure(ControlMapping.ToDoc(x.Measure, keys), x.Measure.Version, x.Measure.ActionId, x.Title, x.Year)).ToList());
    }

    internal Task<Dictionary<Guid, string>> PeriodKeysAsync(CancellationToken cancellationToken) =>
        db.Periods.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Key, cancellationToken);

    private static ControlPlanDoc ToDoc(ControlPlan plan, IReadOnlyDictionary<Guid, string> keys) => ControlMapping.ToDoc(plan, keys);

    private static VersionedControlPlan Versioned(ControlPlan plan, IReadOnlyDictionary<Guid, string> keys, List<CarriedMeasure> carried) =>
        new(ToDoc(plan, keys), plan.Version) { CarriedMeasures = carried };
}

/// <summary>Entities in the document's shape, as the API gives them.</summary>
public static class ControlMapping
{
    public static ControlPlanDoc ToDoc(ControlPlan plan, IReadOnlyDictionary<Guid, string> keys) => new()
    {
        Id = plan.Id, UnitId = plan.UnitId, Year = plan.Year, Status = plan.Status, DecidedOn = plan.DecidedOn, DecisionParagraph = plan.DecisionParagraph,
        ChangeReason = plan.ChangeReason, Description = plan.Description, RiskIds = [.. plan.Risks.Select(r => r.RiskId).Order()],
        Actions = [.. plan.Actions.OrderBy(a => a.SortOrder).ThenBy(a => a.Title).Select(a => ToDoc(a, keys))],
    };

    public static ControlActionDoc ToDoc(ControlAction a, IReadOnlyDictionary<Guid, string> keys) => new()
    {
        Id = a.Id, RiskId = a.RiskId, Title = a.Title, Method = a.Method, Scope = a.Scope, ResponsibleUnitId = a.ResponsibleUnitId, ResponsiblePerson = a.ResponsiblePerson,
        PeriodKey = keys[a.PeriodId], ReportTo = a.ReportTo, SortOrder = a.SortOrder,
        Results = [.. a.Results.Select(r => ToDoc(r, keys)).OrderBy(r => r.PeriodKey, StringComparer.Ordinal)],
        Measures = [.. a.Measures.OrderBy(m => m.Deadline).ThenBy(m => m.Text).Select(m => ToDoc(m, keys))],
    };

    public static ControlResultDoc ToDoc(ControlResult r, IReadOnlyDictionary<Guid, string> keys) =>
        new(keys[r.PeriodId], r.Outcome, r.Findings, r.Reason, r.WrittenBy, r.WrittenAt);

    public static ControlMeasureDoc ToDoc(ControlMeasure m, IReadOnlyDictionary<Guid, string> keys) =>
        new(m.Id, m.PeriodId is { } p ? keys[p] : null, m.Text, m.Owner, m.Deadline, m.Status, m.DoneOn);
}
