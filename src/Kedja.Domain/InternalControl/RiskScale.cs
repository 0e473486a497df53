namespace Kedja.Domain.InternalControl;

/// <summary>
/// The rules of risk assessment, with no database: risk value (likelihood × consequence), its band, which risks are
/// proposed for a plan and which measures follow into a year's plan. Settings are read as the tenant has them or,
/// when it has none, as <see cref="Default"/>.
/// </summary>
public static class RiskScale
{
    public const int MinSteps = 2;

    public const int MaxSteps = 10;

    /// <summary>The common Swedish 4 × 4 scale (SKR's guidance and most municipalities' plans).</summary>
    public static RiskSettings Default(Guid tenantId = default) => new()
    {
        TenantId = tenantId,
        LikelihoodLabels = ["Osannolik", "Mindre sannolik", "Möjlig", "Sannolik"],
        ConsequenceLabels = ["Försumbar", "Lindrig", "Kännbar", "Allvarlig"],
        Bands =
        [
            new RiskBand(1, "Låg", "#2e7d32"),
            new RiskBand(4, "Medel", "#f9a825"),
            new RiskBand(8, "Hög", "#ef6c00"),
            new RiskBand(12, "Mycket hög", "#c62828"),
        ],
        Categories = ["Omvärld", "Verksamhet", "Regelefterlevnad", "IT och informationssäkerhet", "Ekonomi och redovisning", "Oegentligheter"],
        PlanThreshold = 8,
    };

    /// <summary>The risk value: likelihood × consequence, each 1-based on its axis.</summary>
    public static int Value(int likelihood, int consequence) => likelihood * consequence;

    /// <summary>The largest value the scale gives.</summary>
    public static int MaxValue(RiskSettings settings) => settings.LikelihoodLabels.Count * settings.ConsequenceLabels.Count;

    /// <summary>The band a value falls in: the one with the highest start at or below it (the first band for anything lower).</summary>
    public static RiskBand Band(RiskSettings settings, int value)
    {
        var bands = settings.Bands.Count > 0 ? settings.Bands : Default().Bands;
        var band = bands[0];
        foreach (var b in bands.OrderBy(b => b.MinValue))
        {
            if (b.MinValue <= value)
            {
                band = b;
            }
        }

        return band;
    }

    /// <summary>Whether a step is on the axis (1 up to the number of labels).</summary>
    public static bool OnAxis(IReadOnlyList<string> labels, int step) => step >= 1 && step <= labels.Count;

    /// <summary>
    /// The risks to propose for a year's plan: those in the register that year whose assessment for the year reaches the
    /// tenant's threshold, highest value first. A person decides; this is only the proposal.
    /// </summary>
    public static IReadOnlyList<Risk> Proposal(RiskSettings settings, IEnumerable<Risk> risks, int year) =>
    [
        .. risks
            .Where(r => InRegister(r, year))
            .Select(r => (Risk: r, Assessment: r.Assessments.FirstOrDefault(a => a.Year == year)))
            .Where(x => x.Assessment is { } a && a.Value >= settings.PlanThreshold)
            .OrderByDescending(x => x.Assessment!.Value).ThenBy(x => x.Risk.Number)
            .Select(x => x.Risk),
    ];

    /// <summary>Whether the risk is in the register in the year.</summary>
    public static bool InRegister(Risk risk, int year) => risk.FirstYear <= year && (risk.LastYear is not { } last || year <= last);

    /// <summary>
    /// The latest assessment at or before the year: a risk not yet assessed again this year is shown as it was last
    /// assessed, and says from which year.
    /// </summary>
    public static RiskAssessment? Latest(Risk risk, int year) => risk.Assessments.Where(a => a.Year <= year).MaxBy(a => a.Year);

    /// <summary>
    /// The measures a year's plan carries: those decided in earlier years and still open, and those done during the year
    /// (shown once more as done). <paramref name="yearOf"/> gives the year a measure was decided (its plan's year).
    /// </summary>
    public static IReadOnlyList<ControlMeasure> CarriedInto(int year, IEnumerable<ControlMeasure> measures, Func<ControlMeasure, int> yearOf) =>
    [
        .. measures.Where(m => yearOf(m) < year && (m.Status != MeasureStatus.Done || m.DoneOn is not { } done || done.Year >= year)),
    ];

    /// <summary>Whether a measure is past its deadline and not done, on the Swedish day <paramref name="today"/>.</summary>
    public static bool IsLate(ControlMeasure measure, DateOnly today) => measure.Status != MeasureStatus.Done && measure.Deadline is { } d && d < today;
}

public static class ControlNames
{
    public static string Swedish(ControlPlanStatus status) => status switch
    {
        ControlPlanStatus.Proposal => "Förslag",
        ControlPlanStatus.Decided => "Beslutad",
        _ => status.ToString(),
    };

    public static string Swedish(ControlOutcome outcome) => outcome switch
    {
        ControlOutcome.WithoutRemark => "Utan anmärkning",
        ControlOutcome.WithDeviation => "Med avvikelse",
        ControlOutcome.NotPerformed => "Ej genomförd",
        _ => outcome.ToString(),
    };

    public static string Swedish(MeasureStatus status) => status switch
    {
        MeasureStatus.NotStarted => "Ej påbörjad",
        MeasureStatus.InProgress => "Pågår",
        MeasureStatus.Done => "Klar",
        _ => status.ToString(),
    };

    /// <summary>The signal of a result as colour, symbol and text together (never colour alone), as goal statuses are shown.</summary>
    public static (string Colour, string Symbol) Signal(ControlOutcome outcome) => outcome switch
    {
        ControlOutcome.WithoutRemark => ("#2e7d32", "●"),
        ControlOutcome.WithDeviation => ("#ef6c00", "▲"),
        _ => ("#c62828", "■"),
    };

    public static (string Colour, string Symbol) Signal(MeasureStatus status) => status switch
    {
        MeasureStatus.Done => ("#2e7d32", "●"),
        MeasureStatus.InProgress => ("#f9a825", "◆"),
        _ => ("#757575", "○"),
    };

    /// <summary>The methods offered for a control action; any other text is allowed.</summary>
    public static readonly IReadOnlyList<string> Methods = ["Stickprov", "Granskning", "Avstämning", "Genomgång", "Analys", "Enkät", "Intervju"];
}
