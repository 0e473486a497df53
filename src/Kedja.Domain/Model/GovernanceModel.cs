using Kedja.Domain.FollowUp;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;

namespace Kedja.Domain.Model;

public enum ModelStatus
{
    Draft,
    Active,
    Archived,
}

public static class ModelStatusNames
{
    public static string Swedish(ModelStatus status) => status switch
    {
        ModelStatus.Draft => "Utkast",
        ModelStatus.Active => "Gällande",
        ModelStatus.Archived => "Arkiverad",
        _ => status.ToString(),
    };
}

/// <summary>A municipality's styrmodell for one mandate period: vision, dimensions, goal levels, scale, calendar, rules.</summary>
public class GovernanceModel : TenantEntity
{
    public required string Name { get; set; }

    /// <summary>The built-in template the model was created from, if any.</summary>
    public string? TemplateKey { get; set; }

    public ModelStatus Status { get; set; } = ModelStatus.Active;

    /// <summary>First year of the mandate period the model version covers.</summary>
    public int FirstYear { get; set; }

    public int LastYear { get; set; }

    public string Vision { get; set; } = "";

    public string? Description { get; set; }

    /// <summary>Label for the dimension concept in this model: "Perspektiv", "Strategiskt område" ...</summary>
    public string DimensionLabel { get; set; } = "Perspektiv";

    public FollowUpCadence Cadence { get; set; } = FollowUpCadence.Tertial;

    /// <summary>
    /// The month the delår ends with (3–11; August unless the municipality chose another, issue 16): the delår periods the
    /// calendar gets from now on. A delår already in the calendar keeps the month in its key.
    /// </summary>
    public int InterimEndMonth { get; set; } = PeriodRef.DefaultInterimEndMonth;

    /// <summary>Unit kinds that follow up less often than the calendar, e.g. companies once a year.</summary>
    public List<CadenceOverride> CadenceOverrides { get; set; } = [];

    public ThresholdRule DefaultThresholds { get; set; } = ThresholdRule.Standard;

    /// <summary>
    /// Whether the model's indicators take a full-year forecast at each follow-up (issue 16); those fetched from Kolada
    /// never do. On by default.
    /// </summary>
    public bool AllowsIndicatorForecasts { get; set; } = true;

    public List<Dimension> Dimensions { get; set; } = [];

    public List<GoalLevel> Levels { get; set; } = [];

    public List<ScaleLevel> Scale { get; set; } = [];
}

public sealed record CadenceOverride(UnitKind UnitKind, FollowUpCadence Cadence)
{
    /// <summary>
    /// Whether units of the kind have a follow-up in the period: a kind with an override (companies once a year) only in
    /// the periods its own calendar closes. Goals, assessments and the period workflow all ask this one rule.
    /// </summary>
    public static bool FollowsUp(IEnumerable<CadenceOverride> overrides, UnitKind kind, PeriodRef period) =>
        overrides.Where(o => o.UnitKind == kind).All(o => PeriodRef.CalendarFor(o.Cadence, period.Year, InterimEndMonthOf(period)).Any(p => p.End == period.End));

    /// <summary>A delår carries its own end month (the municipality may have moved it between years); other periods meet the default.</summary>
    private static int InterimEndMonthOf(PeriodRef period) => period.Kind == PeriodKind.Interim ? period.Number : PeriodRef.DefaultInterimEndMonth;
}

/// <summary>A perspective or strategic area goals are grouped by.</summary>
public class Dimension : TenantEntity
{
    public Guid ModelId { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    public int SortOrder { get; set; }

    public string? Colour { get; set; }

    /// <summary>Unit kinds that may set goals in this dimension; empty means all.</summary>
    public List<UnitKind> AllowedUnitKinds { get; set; } = [];
}

/// <summary>A named level in the goal chain (Inriktning, Effektmål, Förvaltningsmål ...).</summary>
public class GoalLevel : TenantEntity
{
    public Guid ModelId { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    /// <summary>0 is the top of the chain.</summary>
    public int Depth { get; set; }

    /// <summary>Unit kinds that own goals on this level.</summary>
    public List<UnitKind> UnitKinds { get; set; } = [];

    public int? HorizonMinYears { get; set; }

    public int? HorizonMaxYears { get; set; }

    /// <summary>Whether a goal on this level must contribute to at least one goal on the level above.</summary>
    public bool RequiresParent { get; set; }

    /// <summary>Whether goals on this level carry strategies (critical success factors), as in Kil.</summary>
    public bool HasStrategies { get; set; }

    public RollupRule Rollup { get; set; } = RollupRule.StandardShare;
}

/// <summary>One step on the fulfilment scale, e.g. "Delvis uppfyllt", yellow, half circle.</summary>
public class ScaleLevel : TenantEntity
{
    public Guid ModelId { get; set; }

    /// <summary>Stable key assessments refer to, e.g. "uppfyllt".</summary>
    public required string Key { get; set; }

    public required string Label { get; set; }

    /// <summary>The label after a count of several: "uppfyllda" in "2 av 3 indikatorer är uppfyllda".</summary>
    public string? Plural { get; set; }

    /// <summary>The label after one en-word: "uppfylld" in "1 indikator är uppfylld". See <see cref="FollowUp.ScaleStep"/> for the default.</summary>
    public string? SingularCommon { get; set; }

    /// <summary>The label after one ett-word: "uppfyllt" in "1 bidragande mål är uppfyllt".</summary>
    public string? SingularNeuter { get; set; }

    /// <summary>What a full-year forecast at this level is said to do: "uppfylls delvis". Null: see <see cref="FollowUp.ScaleStep.ForecastWords"/>.</summary>
    public string? ForecastPhrase { get; set; }

    public string? Description { get; set; }

    /// <summary>CSS colour, e.g. "#2e7d32".</summary>
    public string Colour { get; set; } = "#777777";

    /// <summary>A symbol that does not rely on colour alone: "●", "◐", "○", "–".</summary>
    public string Symbol { get; set; } = "";

    /// <summary>0..1; 1 is fully met. Used by share and weighted roll-ups and to order the scale.</summary>
    public decimal Score { get; set; }

    public int SortOrder { get; set; }

    public bool IsNotAssessed { get; set; }
}
