namespace Kedja.Domain.Organisation;

/// <summary>A step as planned: the units it changes and what they become.</summary>
/// <param name="NewNames">A split's new units' names (two or more).</param>
public sealed record PlannedStep(ReorganisationKind Kind, IReadOnlyList<Guid> Sources, Guid? NewParentId, string? NewName, IReadOnlyList<string> NewNames);

/// <summary>A period whose follow-up is locked for some unit, ending on <paramref name="End"/>.</summary>
public sealed record LockedPeriod(string Name, DateOnly End);

/// <summary>
/// The rules of a reorganisation, pure so that the API, the pages and the tests obey the same: what a plan must satisfy,
/// which mapping is proposed, and how a change is said in Swedish.
/// </summary>
public static class ReorganisationRules
{
    public const int MaxNameLength = 200;

    public const int MaxSteps = 50;

    /// <summary>
    /// Every problem of a plan at once, by field ("name", "effectiveDate", "steps[0].sources" ...), in Swedish.
    /// </summary>
    /// <param name="units">The organisation as it is now.</param>
    /// <param name="locked">Locked follow-ups: a date on or before the end of one would change what was reported.</param>
    /// <param name="otherDates">Units already in another planned or confirmed reorganisation, with its date.</param>
    public static List<(string Field, string Message)> Check(string? name, DateOnly? date, IReadOnlyList<PlannedStep> steps, IReadOnlyDictionary<Guid, UnitState> units,
        IReadOnlyCollection<LockedPeriod> locked, IReadOnlyDictionary<Guid, DateOnly> otherDates)
    {
        var errors = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add(("name", "Ange ett namn på omorganisationen."));
        }
        else if (name.Length > MaxNameLength)
        {
            errors.Add(("name", $"Namnet får vara högst {MaxNameLength} tecken."));
        }

        if (date is not { } effective)
        {
            errors.Add(("effectiveDate", "Ange från vilket datum omorganisationen gäller."));
        }
        else if (locked.Where(l => l.End >= effective).OrderBy(l => l.End).FirstOrDefault() is { } closed)
        {
            errors.Add(("effectiveDate", $"Datumet {effective:yyyy-MM-dd} ligger i ett låst år: uppföljningen {closed.Name} är låst. Välj ett datum efter {closed.End:yyyy-MM-dd}."));
        }

        if (steps.Count == 0)
        {
            errors.Add(("steps", "Lägg till minst ett steg (sammanslagning, delning, flytt eller namnbyte)."));
        }
        else if (steps.Count > MaxSteps)
        {
            errors.Add(("steps", $"En omorganisation får ha högst {MaxSteps} steg."));
        }

        string Name(Guid id) => units.TryGetValue(id, out var u) ? u.Name : id.ToString();
        var seen = new Dictionary<Guid, int>();
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var field = $"steps[{i}]";
            var sources = step.Sources.Distinct().ToList();
            var (least, most) = step.Kind == ReorganisationKind.Merge ? (2, 20) : (1, 1);
            if (sources.Count < least || sources.Count > most || sources.Count != step.Sources.Count)
            {
                errors.Add(($"{field}.sources", step.Kind == ReorganisationKind.Merge
                    ? "Välj minst två olika enheter att slå ihop."
                    : "Välj en enhet."));
            }

            foreach (var source in sources)
            {
                if (!units.TryGetValue(source, out var unit))
                {
                    errors.Add(($"{field}.sources", "Enheten finns inte."));
                    continue;
                }

                if (!unit.IsActive)
                {
                    errors.Add(($"{field}.sources", $"{unit.Name} är inte aktiv."));
                }

                if (seen.TryGetValue(source, out var other))
                {
                    errors.Add(($"{field}.sources", $"{unit.Name} ingår redan i steg {other + 1}: en enhet kan bara ingå i ett steg."));
                }
                else
                {
                    seen[source] = i;
                }

                if (otherDates.TryGetValue(source, out var planned))
                {
                    errors.Add(($"{field}.sources", $"{unit.Name} ingår redan i en annan omorganisation ({planned:yyyy-MM-dd}). Ändra eller avbryt den först."));
                }
            }

            if (step.Kind is ReorganisationKind.Merge or ReorganisationKind.Rename && !NameOk(step.NewName))
            {
                errors.Add(($"{field}.newName", step.Kind == ReorganisationKind.Merge
                    ? $"Ange den nya enhetens namn (högst {MaxNameLength} tecken)."
                    : $"Ange det nya namnet (högst {MaxNameLength} tecken)."));
            }

            if (step.Kind == ReorganisationKind.Rename && sources.Count == 1 && units.TryGetValue(sources[0], out var renamed)
                && string.Equals(renamed.Name, step.NewName?.Trim(), StringComparison.Ordinal))
            {
                errors.Add(($"{field}.newName", $"{renamed.Name} heter redan så."));
            }

            if (step.Kind == ReorganisationKind.Split)
            {
                var names = step.NewNames.Select(n => n?.Trim()).ToList();
                if (names.Count(NameOk) < 2 || names.Any(n => !NameOk(n)))
                {
                    errors.Add(($"{field}.newNames", $"Ange minst två namn på de nya enheterna (högst {MaxNameLength} tecken vardera)."));
                }
                else if (names.Distinct(StringComparer.OrdinalIgnoreCase).Count() != names.Count)
                {
                    errors.Add(($"{field}.newNames", "De nya enheterna måste ha olika namn."));
                }
            }

            if (step.Kind == ReorganisationKind.Move)
            {
                if (step.NewParentId is not { } parent || !units.TryGetValue(parent, out var parentUnit))
                {
                    errors.Add(($"{field}.newParentId", "Välj den enhet som enheten flyttas till."));
                }
                else if (!parentUnit.IsActive)
                {
                    errors.Add(($"{field}.newParentId", $"{parentUnit.Name} är inte aktiv."));
                }
                else if (sources.Count == 1 && IsWithin(units, parent, sources[0]))
                {
                    errors.Add(($"{field}.newParentId", $"{Name(sources[0])} kan inte flyttas under sig själv eller en enhet under sig."));
                }
                else if (sources.Count == 1 && units.TryGetValue(sources[0], out var moved) && moved.ParentId == parent)
                {
                    errors.Add(($"{field}.newParentId", $"{moved.Name} ligger redan under {parentUnit.Name}."));
                }
            }
            else if (step.Kind is ReorganisationKind.Merge or ReorganisationKind.Split && step.NewParentId is { } parent
                && (!units.TryGetValue(parent, out var p) || !p.IsActive || sources.Contains(parent)))
            {
                errors.Add(($"{field}.newParentId", "Den nya enheten kan bara placeras under en aktiv enhet som inte själv slås ihop eller delas."));
            }
        }

        return errors;
    }

    private static bool NameOk(string? name) => !string.IsNullOrWhiteSpace(name) && name.Trim().Length <= MaxNameLength;

    /// <summary>Whether <paramref name="unit"/> is <paramref name="ancestor"/> or lies somewhere below it.</summary>
    public static bool IsWithin(IReadOnlyDictionary<Guid, UnitState> units, Guid unit, Guid ancestor)
    {
        var seen = new HashSet<Guid>();
        for (Guid? id = unit; id is { } current && seen.Add(current); id = units.TryGetValue(current, out var u) ? u.ParentId : null)
        {
            if (current == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The proposed owner from the date of something a step's source owns: a merge's new unit; nothing for a split, where
    /// a person picks; the unit itself for a move or rename (which keep their goals and need no mapping).
    /// </summary>
    public static Guid? Proposal(ReorganisationKind kind, Guid source, IReadOnlyList<Guid> targets) => kind switch
    {
        ReorganisationKind.Merge => targets.FirstOrDefault() is var t && t != Guid.Empty ? t : null,
        ReorganisationKind.Split => null,
        _ => source,
    };

    /// <summary>How a step reads: "A och B slogs ihop till C" (done) or "A och B slås ihop till C" (planned).</summary>
    public static string Describe(ReorganisationKind kind, IReadOnlyList<string> sources, IReadOnlyList<string> targets, string? newParent, string? newName, bool done) => kind switch
    {
        ReorganisationKind.Merge => $"{List(sources)} {(done ? "slogs" : "slås")} ihop till {List(targets)}",
        ReorganisationKind.Split => $"{List(sources)} {(done ? "delades" : "delas")} i {List(targets)}",
        ReorganisationKind.Move => $"{List(sources)} {(done ? "flyttades" : "flyttas")} till {newParent}",
        _ => $"{List(sources)} {(done ? "bytte" : "byter")} namn till {newName}",
    };

    /// <summary>"A", "A och B", "A, B och C".</summary>
    public static string List(IReadOnlyList<string> names) => names.Count switch
    {
        0 => "",
        1 => names[0],
        _ => $"{string.Join(", ", names.Take(names.Count - 1))} och {names[^1]}",
    };

    public static string StateName(ReorganisationState state) => state switch
    {
        ReorganisationState.Planned => "Planerad",
        ReorganisationState.Confirmed => "Bekräftad",
        ReorganisationState.Applied => "Genomförd",
        _ => "Avbruten",
    };

    public static string KindName(ReorganisationKind kind) => kind switch
    {
        ReorganisationKind.Merge => "Sammanslagning",
        ReorganisationKind.Split => "Delning",
        ReorganisationKind.Move => "Flytt",
        _ => "Namnbyte",
    };
}
