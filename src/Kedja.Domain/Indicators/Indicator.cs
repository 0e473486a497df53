using Kedja.Domain.FollowUp;
using Kedja.Domain.Periods;

namespace Kedja.Domain.Indicators;

public enum Direction
{
    HigherIsBetter,
    LowerIsBetter,

    /// <summary>Met inside [Min, Max] of the target.</summary>
    TargetRange,

    /// <summary>Followed without judging: never gets a status.</summary>
    Neutral,
}

/// <summary>Which of Kolada's values an indicator takes when it is not itself split by gender.</summary>
public enum KoladaGender
{
    Total,
    Women,
    Men,
}

public enum ValueSource
{
    Manual,
    Import,
    Kolada,
}

/// <summary>An indicator (uppföljningsmått, nyckeltal). It measures a goal, a program, or stands alone as a result on the basic mission.</summary>
public class Indicator : TenantEntity
{
    public required string Name { get; set; }

    public string? Description { get; set; }

    /// <summary>Unit of measure shown after the value: "%", "kr/inv", "antal", "dagar".</summary>
    public string UnitOfMeasure { get; set; } = "";

    public int Decimals { get; set; }

    public Direction Direction { get; set; }

    public PeriodKind Periodicity { get; set; } = PeriodKind.Year;

    public ValueSource Source { get; set; }

    public string? KoladaKpiId { get; set; }

    /// <summary>Kolada municipality id (kommunkod) or, with <see cref="KoladaOuId"/>, the organisational unit.</summary>
    public string? KoladaMunicipalityId { get; set; }

    public string? KoladaOuId { get; set; }

    public KoladaGender KoladaGender { get; set; }

    /// <summary>
    /// The lowest and highest value a person would believe (0 and 100 for a share): a value outside is refused where a
    /// person or a file enters it, as the likely typo or wrong column it usually is. Null: no bound.
    /// </summary>
    public decimal? PlausibleMin { get; set; }

    public decimal? PlausibleMax { get; set; }

    public decimal? BaselineValue { get; set; }

    public string? BaselinePeriod { get; set; }

    /// <summary>Overrides the model's default threshold rule for this indicator.</summary>
    public ThresholdRule? Thresholds { get; set; }

    public Guid OwnerUnitId { get; set; }

    public Guid? GoalId { get; set; }

    public Guid? ProgramId { get; set; }

    /// <summary>A result on the unit's basic mission (grunduppdrag), reported without a goal.</summary>
    public bool IsBasicMission { get; set; }

    public bool SplitByGender { get; set; }

    /// <summary>Weight in weighted roll-ups.</summary>
    public decimal Weight { get; set; } = 1m;

    public int SortOrder { get; set; }

    public List<IndicatorTarget> Targets { get; set; } = [];
}

/// <summary>Target value for a period (Kil's operational target for the year). Range targets use Min and Max.</summary>
public class IndicatorTarget : TenantEntity
{
    public Guid IndicatorId { get; set; }

    public required string PeriodKey { get; set; }

    public decimal? Value { get; set; }

    public decimal? Min { get; set; }

    public decimal? Max { get; set; }

    public string? Note { get; set; }
}

/// <summary>The actual value of an indicator for a period, with where it came from. Earlier values are kept as revisions.</summary>
public class Outcome : TenantEntity
{
    public Guid IndicatorId { get; set; }

    public required string PeriodKey { get; set; }

    public decimal? Value { get; set; }

    public decimal? ValueWomen { get; set; }

    public decimal? ValueMen { get; set; }

    public string? Comment { get; set; }

    public ValueSource Source { get; set; }

    /// <summary>File name, Kolada KPI and municipality, or other pointer to the source.</summary>
    public string? SourceReference { get; set; }

    /// <summary>When an imported value was fetched from its source.</summary>
    public DateTime? FetchedAt { get; set; }

    /// <summary>Set when a source later reported a different value than the one first recorded.</summary>
    public bool IsRevised { get; set; }

    public required string RecordedBy { get; set; }

    public DateTime RecordedAt { get; set; }

    public List<OutcomeRevision> Revisions { get; set; } = [];
}

/// <summary>A value an outcome held before it was changed.</summary>
public class OutcomeRevision : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OutcomeId { get; set; }

    public decimal? Value { get; set; }

    public decimal? ValueWomen { get; set; }

    public decimal? ValueMen { get; set; }

    public ValueSource Source { get; set; }

    public string? SourceReference { get; set; }

    public required string RecordedBy { get; set; }

    public DateTime RecordedAt { get; set; }

    public DateTime ReplacedAt { get; set; }
}
