using Kedja.Data;
using Kedja.Domain;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Exchange;

/// <summary>
/// The organisation's history (issue 16, ADR 47 section 5): reorganisations with their steps and mappings, every unit's
/// versions (name, parent, kind by date) and every goal's and indicator's owners by date. Without it an import would
/// read every earlier period with today's organisation and owners. Left out, the tenant has no history, as before.
/// </summary>
public sealed record OrganisationHistoryDoc
{
    public List<ReorganisationDoc> Reorganisations { get; init; } = [];

    /// <summary>What units were between two dates; a unit without versions is as it is now on every date.</summary>
    public List<UnitVersionDoc> UnitVersions { get; init; } = [];

    /// <summary>Which unit owned a goal or indicator between two dates; one without rows is owned by its current owner.</summary>
    public List<OwnershipDoc> Ownerships { get; init; } = [];
}

/// <param name="State">Planned, confirmed (the history written, the date ahead), applied (the current rows written) or cancelled.</param>
public sealed record ReorganisationDoc(Guid Id, string Name, DateOnly EffectiveDate, ReorganisationState State, string CreatedBy, DateTime CreatedAt,
    string? ConfirmedBy, DateTime? ConfirmedAt, DateTime? AppliedAt, List<ReorganisationStepDoc> Steps, List<ReorganisationMappingDoc> Mappings);

/// <param name="SourceUnitIds">The merged units; for the other kinds the one unit the step changes.</param>
/// <param name="TargetUnitIds">The new units of a merge (one) or a split (two or more); none for a move or rename.</param>
public sealed record ReorganisationStepDoc(Guid Id, ReorganisationKind Kind, List<Guid> SourceUnitIds, List<Guid> TargetUnitIds, Guid? NewParentId, string? NewName);

/// <param name="StepId">The step of the same reorganisation whose source unit owned the goal or indicator.</param>
/// <param name="ToUnitId">One of the step's new units; null while a person has yet to pick (a planned split).</param>
public sealed record ReorganisationMappingDoc(Guid Id, Guid StepId, OwnedKind EntityKind, Guid EntityId, string Name, Guid FromUnitId, Guid? ToUnitId, bool Confirmed);

/// <param name="ValidFrom">The first day (null: from the beginning).</param>
/// <param name="ValidTo">The day after the last (null: still so).</param>
public sealed record UnitVersionDoc(Guid UnitId, DateOnly? ValidFrom, DateOnly? ValidTo, Guid? ParentId, string Name, string? ShortName, UnitKind Kind, bool IsActive,
    Guid? ReorganisationId);

/// <param name="ValidFrom">The first day (null: from the beginning).</param>
/// <param name="ValidTo">The day after the last (null: still so).</param>
public sealed record OwnershipDoc(OwnedKind EntityKind, Guid EntityId, Guid UnitId, DateOnly? ValidFrom, DateOnly? ValidTo, Guid? ReorganisationId);

/// <summary>
/// Reads, checks and writes <see cref="OrganisationHistoryDoc"/>. A reorganisation is checked with
/// <see cref="ReorganisationRules"/> against the organisation it was planned in: a planned one against the units as the
/// document has them now, a confirmed or applied one against the units as they were the day before its date (what its
/// versions say). Histories must be in order and not overlap, as <see cref="Ownership.Move"/> and
/// <see cref="OrgAsOf.Change"/> write them.
/// </summary>
public static class ReorganisationSection
{
    private const string Path = "$.organisationHistory";

    public static async Task<OrganisationHistoryDoc> ExportAsync(KedjaDbContext db, CancellationToken cancellationToken)
    {
        var reorganisations = await db.Reorganisations.AsNoTracking().Include(r => r.Steps).Include(r => r.Mappings).AsSplitQuery().ToListAsync(cancellationToken);
        var versions = await db.OrgUnitVersions.AsNoTracking().ToListAsync(cancellationToken);
        var ownerships = await db.Ownerships.AsNoTracking().ToListAsync(cancellationToken);
        static string Key(Guid id) => TenantExporter.Key(id);
        return new OrganisationHistoryDoc
        {
            Reorganisations = [.. reorganisations.OrderBy(r => r.EffectiveDate).ThenBy(r => Key(r.Id)).Select(r => new ReorganisationDoc(r.Id, r.Name, r.EffectiveDate, r.State,
                r.CreatedBy, r.CreatedAt, r.ConfirmedBy, r.ConfirmedAt, r.AppliedAt,
                [.. r.Steps.OrderBy(s => s.SortOrder).ThenBy(s => Key(s.Id)).Select(s => new ReorganisationStepDoc(s.Id, s.Kind, [.. s.SourceUnitIds], [.. s.TargetUnitIds], s.NewParentId, s.NewName))],
                [.. r.Mappings.OrderBy(m => Key(m.StepId)).ThenBy(m => m.EntityKind).ThenBy(m => Key(m.EntityId)).Select(m => new ReorganisationMappingDoc(m.Id, m.StepId, m.EntityKind,
                    m.EntityId, m.Name, m.FromUnitId, m.ToUnitId, m.Confirmed))]))],
            UnitVersions = [.. versions.OrderBy(v => Key(v.UnitId)).ThenBy(v => v.ValidFrom ?? DateOnly.MinValue).Select(v => new UnitVersionDoc(v.UnitId, v.ValidFrom, v.ValidTo,
                v.ParentId, v.Name, v.ShortName, v.Kind, v.IsActive, v.ReorganisationId))],
            Ownerships = [.. ownerships.OrderBy(o => o.EntityKind).ThenBy(o => Key(o.EntityId)).ThenBy(o => o.ValidFrom ?? DateOnly.MinValue)
                .Select(o => new OwnershipDoc(o.EntityKind, o.EntityId, o.UnitId, o.ValidFrom, o.ValidTo, o.ReorganisationId))],
        };
    }

    /// <summary>Every error of the section with its path; units, goals, indicators and locked periods are the document's.</summary>
    public static void Validate(ValidationErrors e, TenantDocument doc)
    {
        if (doc.OrganisationHistory is not { } history)
        {
            e.Add(Path, "Organisationens historik saknas. Utelämna den hellre: då har kommunen ingen historik.");
            return;
        }

        var units = doc.Units.GroupBy(u => u.Id).ToDictionary(g => g.Key, g => g.First());
        var goals = doc.Goals.Select(g => g.Id).ToHashSet();
        var indicators = doc.Indicators.Select(i => i.Id).ToHashSet();
        bool Owned(OwnedKind kind, Guid id) => kind == OwnedKind.Goal ? goals.Contains(id) : kind == OwnedKind.Indicator && indicators.Contains(id);
        string Unknown(OwnedKind kind, Guid id) => kind == OwnedKind.Goal ? $"Målet {id} finns inte." : $"Indikatorn {id} finns inte.";

        var reorganisations = TenantDocumentValidator.Unique(e, $"{Path}.reorganisations", history.Reorganisations, r => r.Id);
        CheckVersions(e, history.UnitVersions, units, reorganisations);
        CheckOwnerships(e, history.Ownerships, units, reorganisations, Owned, Unknown);

        // The rules' organisation: the document's units now, or as the versions say they were at a date.
        var now = units.Values.Select(u => new UnitState(u.Id, u.ParentId, u.Name, u.ShortName, u.Kind, u.IsActive)).ToList();
        var versions = history.UnitVersions.Where(v => units.ContainsKey(v.UnitId))
            .Select(v => new UnitVersion(new UnitState(v.UnitId, v.ParentId, v.Name, v.ShortName, v.Kind, v.IsActive), new DateSpan(v.ValidFrom, v.ValidTo))).ToList();
        var locked = Locked(doc);
        var stepIds = new HashSet<Guid>();
        var mappingIds = new HashSet<Guid>();
        for (var i = 0; i < history.Reorganisations.Count; i++)
        {
            var r = history.Reorganisations[i];
            var at = $"{Path}.reorganisations[{i}]";
            if (!Enum.IsDefined(r.State))
            {
                e.Add($"{at}.state", "Tillståndet ska vara planned, confirmed, applied eller cancelled.");
                continue;
            }

            e.Required($"{at}.createdBy", r.CreatedBy, "Vem som planerade");
            if (r.State is ReorganisationState.Confirmed or ReorganisationState.Applied)
            {
                e.Required($"{at}.confirmedBy", r.ConfirmedBy, "Vem som bekräftade");
                if (r.ConfirmedAt is null)
                {
                    e.Add($"{at}.confirmedAt", "En bekräftad omorganisation har en tidpunkt för bekräftelsen.");
                }
            }

            if (r.State == ReorganisationState.Applied && r.AppliedAt is null)
            {
                e.Add($"{at}.appliedAt", "En genomförd omorganisation har en tidpunkt för genomförandet.");
            }

            // A cancelled plan's new units went with it, and its units may have gone since: only its shape is checked.
            CheckSteps(e, at, r, r.State == ReorganisationState.Cancelled ? null : units, stepIds);
            if (r.State != ReorganisationState.Cancelled && r.Steps.All(s => Enum.IsDefined(s.Kind)))
            {
                // Planned: as the organisation is now. Confirmed or applied: as it was the day before, when it was checked; a
                // year locked since then is no reason to refuse it, and another reorganisation counts only while both are open.
                var planned = r.State == ReorganisationState.Planned;
                var organisation = planned ? now.ToDictionary(u => u.UnitId) : OrgAsOf.At(now, versions, r.EffectiveDate.AddDays(-1));
                var others = r.State == ReorganisationState.Applied ? [] : OpenDates(history.Reorganisations, r.Id);
                var steps = r.Steps.Select(s => new PlannedStep(s.Kind, s.SourceUnitIds, s.NewParentId, s.NewName,
                    s.Kind == ReorganisationKind.Split ? [.. s.TargetUnitIds.Select(t => units.TryGetValue(t, out var u) ? u.Name : "")] : [])).ToList();
                foreach (var (field, message) in ReorganisationRules.Check(r.Name, r.EffectiveDate, steps, organisation, planned ? locked : [], others))
                {
                    e.Add($"{at}.{Field(field)}", message);
                }
            }

            var steppedIds = r.Steps.GroupBy(s => s.Id).ToDictionary(g => g.Key, g => g.First());
            var entities = new HashSet<(OwnedKind, Guid)>();
            for (var m = 0; m < r.Mappings.Count; m++)
            {
                var mapping = r.Mappings[m];
                var mat = $"{at}.mappings[{m}]";
                if (mapping.Id == Guid.Empty || !mappingIds.Add(mapping.Id))
                {
                    e.Add($"{mat}.id", mapping.Id == Guid.Empty ? "Id saknas." : $"Id {mapping.Id} förekommer flera gånger.");
                }

                e.Required($"{mat}.name", mapping.Name, "Namnet");
                if (!Owned(mapping.EntityKind, mapping.EntityId))
                {
                    e.Add($"{mat}.entityId", Unknown(mapping.EntityKind, mapping.EntityId));
                }
                else if (!entities.Add((mapping.EntityKind, mapping.EntityId)))
                {
                    e.Add($"{mat}.entityId", $"{mapping.Name} har redan en koppling i omorganisationen.");
                }

                if (!steppedIds.TryGetValue(mapping.StepId, out var step))
                {
                    e.Add($"{mat}.stepId", $"Steget {mapping.StepId} finns inte i omorganisationen.");
                    continue;
                }

                if (!step.SourceUnitIds.Contains(mapping.FromUnitId))
                {
                    e.Add($"{mat}.fromUnitId", $"Enheten {mapping.FromUnitId} ingår inte i steget.");
                }

                if (mapping.ToUnitId is { } to && !step.TargetUnitIds.Contains(to))
                {
                    e.Add($"{mat}.toUnitId", units.ContainsKey(to)
                        ? $"{mapping.Name} kan bara gå till någon av stegets nya enheter."
                        : $"Enheten {to} finns inte.");
                }
                else if (mapping.ToUnitId is null && r.State is ReorganisationState.Confirmed or ReorganisationState.Applied)
                {
                    e.Add($"{mat}.toUnitId", $"Välj vilken enhet {mapping.Name} ska höra till.");
                }
            }
        }
    }

    /// <summary>"steps[0].sources" from the rules is "steps[0].sourceUnitIds" in the document.</summary>
    private static string Field(string field) => field.EndsWith(".sources", StringComparison.Ordinal)
        ? field[..^".sources".Length] + ".sourceUnitIds"
        : field.EndsWith(".newNames", StringComparison.Ordinal) ? field[..^".newNames".Length] + ".targetUnitIds" : field;

    private static void CheckSteps(ValidationErrors e, string at, ReorganisationDoc r, IReadOnlyDictionary<Guid, UnitDoc>? units, HashSet<Guid> stepIds)
    {
        for (var s = 0; s < r.Steps.Count; s++)
        {
            var step = r.Steps[s];
            var sat = $"{at}.steps[{s}]";
            if (step.Id == Guid.Empty || !stepIds.Add(step.Id))
            {
                e.Add($"{sat}.id", step.Id == Guid.Empty ? "Id saknas." : $"Id {step.Id} förekommer flera gånger.");
            }

            if (!Enum.IsDefined(step.Kind))
            {
                e.Add($"{sat}.kind", "Steget ska vara merge, split, move eller rename.");
                continue;
            }

            for (var t = 0; t < step.TargetUnitIds.Count; t++)
            {
                if (units is not null && !units.ContainsKey(step.TargetUnitIds[t]))
                {
                    e.Add($"{sat}.targetUnitIds[{t}]", $"Enheten {step.TargetUnitIds[t]} finns inte.");
                }
            }

            var (least, most) = step.Kind switch
            {
                ReorganisationKind.Merge => (1, 1),
                ReorganisationKind.Split => (2, int.MaxValue),
                _ => (0, 0),
            };
            if (step.TargetUnitIds.Count < least || step.TargetUnitIds.Count > most || step.TargetUnitIds.Distinct().Count() != step.TargetUnitIds.Count)
            {
                e.Add($"{sat}.targetUnitIds", step.Kind switch
                {
                    ReorganisationKind.Merge => "En sammanslagning har en ny enhet.",
                    ReorganisationKind.Split => "En delning har minst två olika nya enheter.",
                    _ => "En flytt eller ett namnbyte har inga nya enheter.",
                });
            }
        }
    }

    private static void CheckVersions(ValidationErrors e, List<UnitVersionDoc> versions, IReadOnlyDictionary<Guid, UnitDoc> units, IReadOnlyDictionary<Guid, ReorganisationDoc> reorganisations)
    {
        for (var i = 0; i < versions.Count; i++)
        {
            var v = versions[i];
            var at = $"{Path}.unitVersions[{i}]";
            if (!units.ContainsKey(v.UnitId))
            {
                e.Add($"{at}.unitId", $"Enheten {v.UnitId} finns inte.");
            }

            if (v.ParentId is { } parent && !units.ContainsKey(parent))
            {
                e.Add($"{at}.parentId", $"Enheten {parent} finns inte.");
            }

            if (!Enum.IsDefined(v.Kind))
            {
                e.Add($"{at}.kind", "Enhetstypen finns inte.");
            }

            e.Required($"{at}.name", v.Name, "Enhetens namn");
            e.Text($"{at}.shortName", v.ShortName, "Kortnamnet");
            CheckReorganisation(e, $"{at}.reorganisationId", v.ReorganisationId, reorganisations);
        }

        CheckSpans(e, "unitVersions", versions, v => v.UnitId, v => new DateSpan(v.ValidFrom, v.ValidTo), "Enhetens versioner", coverAll: false);
    }

    private static void CheckOwnerships(ValidationErrors e, List<OwnershipDoc> ownerships, IReadOnlyDictionary<Guid, UnitDoc> units,
        IReadOnlyDictionary<Guid, ReorganisationDoc> reorganisations, Func<OwnedKind, Guid, bool> owned, Func<OwnedKind, Guid, string> unknown)
    {
        for (var i = 0; i < ownerships.Count; i++)
        {
            var o = ownerships[i];
            var at = $"{Path}.ownerships[{i}]";
            if (!owned(o.EntityKind, o.EntityId))
            {
                e.Add($"{at}.entityId", unknown(o.EntityKind, o.EntityId));
            }

            if (!units.ContainsKey(o.UnitId))
            {
                e.Add($"{at}.unitId", $"Enheten {o.UnitId} finns inte.");
            }

            CheckReorganisation(e, $"{at}.reorganisationId", o.ReorganisationId, reorganisations);
        }

        // A history covers every day (Ownership.Move writes it whole), so one owner at a time, from the beginning on.
        CheckSpans(e, "ownerships", ownerships, o => o.EntityId, o => new DateSpan(o.ValidFrom, o.ValidTo), "Ägarhistoriken", coverAll: true);
    }

    private static void CheckReorganisation(ValidationErrors e, string path, Guid? id, IReadOnlyDictionary<Guid, ReorganisationDoc> reorganisations)
    {
        if (id is { } r && !reorganisations.ContainsKey(r))
        {
            e.Add(path, $"Omorganisationen {r} finns inte.");
        }
    }

    /// <summary>
    /// Each entity's rows in date order: each ends after it starts, none overlaps the next, and with <paramref name="coverAll"/>
    /// the first starts at the beginning, the last never ends and each ends where the next starts.
    /// </summary>
    private static void CheckSpans<T>(ValidationErrors e, string list, List<T> rows, Func<T, Guid> entity, Func<T, DateSpan> span, string what, bool coverAll)
    {
        foreach (var group in rows.Select((row, index) => (Row: row, Index: index, Span: span(row))).GroupBy(x => entity(x.Row)))
        {
            var ordered = group.OrderBy(x => x.Span.From ?? DateOnly.MinValue).ToList();
            for (var k = 0; k < ordered.Count; k++)
            {
                var (_, index, current) = ordered[k];
                var at = $"{Path}.{list}[{index}]";
                if (current is { From: { } from, To: { } to } && to <= from)
                {
                    e.Add($"{at}.validTo", "Slutdagen ska vara efter startdagen.");
                    continue;
                }

                if (k == 0)
                {
                    if (coverAll && current.From is not null)
                    {
                        e.Add($"{at}.validFrom", $"{what} för {group.Key} ska börja från början (validFrom null).");
                    }
                }
                else
                {
                    var previous = ordered[k - 1].Span;
                    if (previous.To is not { } end || current.From is not { } start || start < end)
                    {
                        e.Add($"{at}.validFrom", $"{what} för {group.Key} överlappar: {Days(previous)} och {Days(current)}.");
                    }
                    else if (coverAll && start > end)
                    {
                        e.Add($"{at}.validFrom", $"{what} för {group.Key} har en lucka mellan {end:yyyy-MM-dd} och {start:yyyy-MM-dd}.");
                    }
                }

                if (coverAll && k == ordered.Count - 1 && current.To is not null)
                {
                    e.Add($"{at}.validTo", $"{what} för {group.Key} ska gälla tills vidare i sista raden (validTo null).");
                }
            }
        }

        static string Days(DateSpan s) => $"{s.From?.ToString("yyyy-MM-dd") ?? "början"}–{s.To?.ToString("yyyy-MM-dd") ?? "tills vidare"}";
    }

    /// <summary>The follow-ups the document has locked for some unit, as <see cref="ReorganisationRules"/> reads them.</summary>
    private static List<LockedPeriod> Locked(TenantDocument doc)
    {
        var locked = doc.Workflow.Where(w => w.State == WorkflowState.Locked).Select(w => w.PeriodKey).ToHashSet(StringComparer.Ordinal);
        return [.. doc.Periods.Where(p => locked.Contains(p.Key) && PeriodRef.TryParse(p.Key, out _))
            .Select(p => new LockedPeriod(p.Name, PeriodRef.Parse(p.Key).End))];
    }

    /// <summary>The units of the other planned or confirmed reorganisations, with their date.</summary>
    private static Dictionary<Guid, DateOnly> OpenDates(List<ReorganisationDoc> all, Guid except)
    {
        var dates = new Dictionary<Guid, DateOnly>();
        foreach (var r in all.Where(r => r.Id != except && r.State is ReorganisationState.Planned or ReorganisationState.Confirmed))
        {
            foreach (var unit in r.Steps.SelectMany(s => s.SourceUnitIds.Concat(s.TargetUnitIds)))
            {
                dates[unit] = r.EffectiveDate;
            }
        }

        return dates;
    }

    /// <summary>Adds the section's rows as the document gives them, with its ids.</summary>
    public static void Add(KedjaDbContext db, OrganisationHistoryDoc history)
    {
        foreach (var r in history.Reorganisations)
        {
            db.Reorganisations.Add(new Reorganisation
            {
                Id = r.Id, Name = r.Name.Trim(), EffectiveDate = r.EffectiveDate, State = r.State, CreatedBy = r.CreatedBy, CreatedAt = r.CreatedAt,
                ConfirmedBy = r.ConfirmedBy, ConfirmedAt = r.ConfirmedAt, AppliedAt = r.AppliedAt,
                Steps = [.. r.Steps.Select((s, i) => new ReorganisationStep
                {
                    Id = s.Id, ReorganisationId = r.Id, SortOrder = i, Kind = s.Kind, SourceUnitIds = [.. s.SourceUnitIds], TargetUnitIds = [.. s.TargetUnitIds],
                    NewParentId = s.NewParentId, NewName = s.NewName?.Trim(),
                })],
                Mappings = [.. r.Mappings.Select(m => new ReorganisationMapping
                {
                    Id = m.Id, ReorganisationId = r.Id, StepId = m.StepId, EntityKind = m.EntityKind, EntityId = m.EntityId, Name = m.Name, FromUnitId = m.FromUnitId,
                    ToUnitId = m.ToUnitId, Confirmed = m.Confirmed,
                })],
            });
        }

        db.OrgUnitVersions.AddRange(history.UnitVersions.Select(v => new OrgUnitVersion
        {
            UnitId = v.UnitId, ValidFrom = v.ValidFrom, ValidTo = v.ValidTo, ParentId = v.ParentId, Name = v.Name, ShortName = v.ShortName, Kind = v.Kind, IsActive = v.IsActive,
            ReorganisationId = v.ReorganisationId,
        }));
        db.Ownerships.AddRange(history.Ownerships.Select(o => new OwnershipPeriod
        {
            EntityKind = o.EntityKind, EntityId = o.EntityId, UnitId = o.UnitId, ValidFrom = o.ValidFrom, ValidTo = o.ValidTo, ReorganisationId = o.ReorganisationId,
        }));
    }
}
