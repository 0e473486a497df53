namespace Kedja.Domain.Organisation;

public enum ReorganisationState
{
    /// <summary>Planned: steps and mapping may still change, and it can be cancelled.</summary>
    Planned,

    /// <summary>Confirmed by an administrator: the history (unit versions, ownerships) is written, the effective date is still ahead.</summary>
    Confirmed,

    /// <summary>The effective date has come and the units' and owners' current values are written.</summary>
    Applied,

    Cancelled,
}

public enum ReorganisationKind
{
    /// <summary>Two or more units become one new unit.</summary>
    Merge,

    /// <summary>One unit becomes two or more new units.</summary>
    Split,

    /// <summary>A unit gets another parent.</summary>
    Move,

    /// <summary>A unit gets another name.</summary>
    Rename,
}

/// <summary>What a mapping moves from one unit to another at the effective date.</summary>
public enum OwnedKind
{
    Goal,
    Indicator,
}

/// <summary>
/// A change of the organisation from an effective date, planned in advance (issue 16, ADR 47 section 5). Outcomes never
/// move: goals and indicators change owner from the date, and every period is read with the owners and units as they
/// were at its end date (<see cref="Ownership"/>, <see cref="OrgAsOf"/>).
/// </summary>
public class Reorganisation : TenantEntity
{
    public required string Name { get; set; }

    public DateOnly EffectiveDate { get; set; }

    public ReorganisationState State { get; set; }

    public required string CreatedBy { get; set; }

    public DateTime CreatedAt { get; set; }

    public string? ConfirmedBy { get; set; }

    public DateTime? ConfirmedAt { get; set; }

    public DateTime? AppliedAt { get; set; }

    public List<ReorganisationStep> Steps { get; set; } = [];

    public List<ReorganisationMapping> Mappings { get; set; } = [];
}

/// <summary>One merge, split, move or rename of a reorganisation.</summary>
public class ReorganisationStep : TenantEntity
{
    public Guid ReorganisationId { get; set; }

    public int SortOrder { get; set; }

    public ReorganisationKind Kind { get; set; }

    /// <summary>The merged units; for the other kinds the one unit the step changes.</summary>
    public List<Guid> SourceUnitIds { get; set; } = [];

    /// <summary>The new units a merge (one) or a split (two or more) creates when planned, inactive until the date.</summary>
    public List<Guid> TargetUnitIds { get; set; } = [];

    /// <summary>Where a moved unit goes; for a merge or split, where the new units are placed.</summary>
    public Guid? NewParentId { get; set; }

    /// <summary>A renamed unit's new name; a merge's new unit's name. A split's new units carry their names themselves.</summary>
    public string? NewName { get; set; }
}

/// <summary>A goal or indicator of a merged or split unit and the unit that owns it from the effective date.</summary>
public class ReorganisationMapping : TenantEntity
{
    public Guid ReorganisationId { get; set; }

    public Guid StepId { get; set; }

    public OwnedKind EntityKind { get; set; }

    public Guid EntityId { get; set; }

    /// <summary>The goal's title or indicator's name when proposed, for the summary.</summary>
    public required string Name { get; set; }

    public Guid FromUnitId { get; set; }

    /// <summary>Null until a person picks (a split); proposed for a merge.</summary>
    public Guid? ToUnitId { get; set; }

    /// <summary>Set when the reorganisation is confirmed with this mapping.</summary>
    public bool Confirmed { get; set; }
}

/// <summary>
/// What a unit was between two dates (from inclusive, to exclusive; null is open). A unit with versions is described by
/// them alone (absent where none covers a date: not yet created, or gone); a unit without uses its current row always.
/// </summary>
public class OrgUnitVersion : TenantEntity
{
    public Guid UnitId { get; set; }

    public DateOnly? ValidFrom { get; set; }

    public DateOnly? ValidTo { get; set; }

    public Guid? ParentId { get; set; }

    public required string Name { get; set; }

    public string? ShortName { get; set; }

    public UnitKind Kind { get; set; }

    public bool IsActive { get; set; }

    public Guid? ReorganisationId { get; set; }
}

/// <summary>
/// Which unit owned a goal or indicator between two dates (from inclusive, to exclusive). An entity with such rows is
/// owned as they say; one without by its current owner column.
/// </summary>
public class OwnershipPeriod : TenantEntity
{
    public OwnedKind EntityKind { get; set; }

    public Guid EntityId { get; set; }

    public Guid UnitId { get; set; }

    public DateOnly? ValidFrom { get; set; }

    public DateOnly? ValidTo { get; set; }

    public Guid? ReorganisationId { get; set; }
}
