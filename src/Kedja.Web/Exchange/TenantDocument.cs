using Kedja.Domain.Activities;
using Kedja.Domain.Documents;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Indicators;
using Kedja.Domain.Model;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Assignments;
using Kedja.Web.InternalControl;

namespace Kedja.Web.Exchange;

/// <summary>
/// A whole tenant as one JSON document ("styrmodell som kod"): model, organisation, goals, indicators, targets,
/// outcomes, assessments, activities, programs, documents, budget, internal control, assignments, forecasts and finance, with stable ids. Rows that are identified by
/// what they belong to (an outcome is an indicator and a period) carry no id of their own.
/// The JSON Schema is docs/schema/kedja-tenant.v1.schema.json.
/// </summary>
public sealed record TenantDocument
{
    public const string FormatName = "kedja-tenant";

    public string Format { get; init; } = FormatName;

    public int FormatVersion { get; init; } = 1;

    public required TenantInfo Tenant { get; init; }

    public List<ModelDoc> Models { get; init; } = [];

    public List<PeriodDoc> Periods { get; init; } = [];

    public List<UnitDoc> Units { get; init; } = [];

    public List<GoalDoc> Goals { get; init; } = [];

    public List<ProgramDoc> Programs { get; init; } = [];

    public List<IndicatorDoc> Indicators { get; init; } = [];

    public List<OutcomeDoc> Outcomes { get; init; } = [];

    public List<AssessmentDoc> Assessments { get; init; } = [];

    public List<ActivityDoc> Activities { get; init; } = [];

    public List<GoverningDocumentDoc> Documents { get; init; } = [];

    public List<BudgetDoc> Budget { get; init; } = [];

    public List<WorkflowDoc> Workflow { get; init; } = [];

    /// <summary>The risk scale, every unit's risk register and the committees' internal control plans; left out gives the default scale and none.</summary>
    public InternalControlDoc InternalControl { get; init; } = new();

    /// <summary>The council's, the executive board's and the committees' assignments (uppdrag) with their reports.</summary>
    public List<AssignmentDoc> Assignments { get; init; } = [];

    /// <summary>The public portal's settings; a document without them gives the defaults (CC0, no embedding sites, the default statement).</summary>
    public PortalDoc Portal { get; init; } = new();

    /// <summary>How staff sign in (provider without its secret, domains, group mappings, switches); left out gives local passwords only.</summary>
    public SingleSignOn.SignInDoc SignIn { get; init; } = new();

    /// <summary>How many days before a deadline reminders go out (0–30); 3 when the document has none.</summary>
    public int ReminderDaysBefore { get; init; } = 3;

    /// <summary>Reorganisations, the units' versions and the owners' history (issue 16); left out gives none.</summary>
    public OrganisationHistoryDoc OrganisationHistory { get; init; } = new();

    /// <summary>The scorecards as reported when follow-ups were locked, and the corrections after closing (issue 16); left out gives none.</summary>
    public ClosedYearsDoc ClosedYears { get; init; } = new();

    /// <summary>Years planned beside the one followed up, with their choices (issue 16); left out gives none.</summary>
    public List<PlanningYearDoc> PlanningYears { get; init; } = [];
    /// <summary>The indicators' full-year forecasts (issue 16, <see cref="ForecastSection"/>); none when left out.</summary>
    public List<ForecastDoc> Forecasts { get; init; } = [];

    /// <summary>The mapping of the finance system and the monthly budget lines it imported (issue 16, <see cref="FinanceSection"/>); none when left out.</summary>
    public FinanceDoc Finance { get; init; } = new();
}

public sealed record TenantInfo(string Slug, string Name, string? Kommunkod);

/// <summary>What a municipality decides about its public portal (issue 13, ADR 41).</summary>
/// <remarks>Also what <c>GET /portal-settings</c> gives and <c>PUT /portal-settings</c> takes (<see cref="Tenants.VersionedPortalSettings"/>).</remarks>
public record PortalDoc
{
    /// <summary>The licence of the open data.</summary>
    public OpenDataLicence Licence { get; init; } = OpenDataLicence.Cc0;

    /// <summary>Origins (https://host[:port]) whose pages may frame the portal's embeds, lowercase, each once.</summary>
    public List<string> EmbedOrigins { get; init; } = [];

    /// <summary>The accessibility statement in Markdown; null for Kedja's default text.</summary>
    public string? AccessibilityStatement { get; init; }

    /// <summary>Where residents may write about the published results and the portal; null for none.</summary>
    public string? ContactEmail { get; init; }

    /// <summary>Whether the portal shows the assignments the council gave (issue 15); off unless the municipality chooses.</summary>
    public bool PublishAssignments { get; init; }

    /// <summary>Whether the portal shows the committees' decided internal control plans (never the risk registers); off unless chosen.</summary>
    public bool PublishControlPlans { get; init; }
}

/// <remarks>Also the body of <c>PUT /model/{id}</c> (<see cref="Model.VersionedModel"/>), so the API and the document say the same.</remarks>
public record ModelDoc
{
    public Guid Id { get; init; }

    public required string Name { get; init; }

    public string? TemplateKey { get; init; }

    public ModelStatus Status { get; init; } = ModelStatus.Active;

    public int FirstYear { get; init; }

    public int LastYear { get; init; }

    public string Vision { get; init; } = "";

    public string? Description { get; init; }

    public string DimensionLabel { get; init; } = "Perspektiv";

    public FollowUpCadence Cadence { get; init; }

    public List<CadenceOverride> CadenceOverrides { get; init; } = [];

    public ThresholdRule DefaultThresholds { get; init; } = ThresholdRule.Standard;

    public List<DimensionDoc> Dimensions { get; init; } = [];

    public List<LevelDoc> Levels { get; init; } = [];

    public List<ScaleDoc> Scale { get; init; } = [];

    /// <summary>
    /// The month (3–11) the model's delår ends with (issue 16); August when the document has none. The API keeps it as
    /// it is: the calendar changes it (<see cref="Periods.CalendarEditing"/>), as that moves the delår periods too.
    /// </summary>
    public int? InterimEndMonth { get; init; }

    /// <summary>Whether the model's indicators take full-year forecasts (issue 16); yes when the document says nothing, and the API keeps it then.</summary>
    public bool? AllowsIndicatorForecasts { get; init; }
}

public sealed record DimensionDoc(Guid Id, string Name, string? Description, int SortOrder, string? Colour, List<UnitKind> AllowedUnitKinds);

public sealed record LevelDoc(Guid Id, string Name, string? Description, int Depth, List<UnitKind> UnitKinds, int? HorizonMinYears, int? HorizonMaxYears, bool RequiresParent, bool HasStrategies, RollupRule Rollup);

/// <param name="Plural">The label after a count of several: "2 av 3 indikatorer är uppfyllda".</param>
/// <param name="SingularCommon">The label after one en-word: "1 indikator är uppfylld".</param>
/// <param name="SingularNeuter">The label after one ett-word: "1 bidragande mål är uppfyllt".</param>
/// <param name="ForecastPhrase">What a forecast at this step is said to do: "uppfylls delvis"; none for Kedja's wording.</param>
public sealed record ScaleDoc(string Key, string Label, string? Plural, string? Description, string Colour, string Symbol, decimal Score, int SortOrder, bool IsNotAssessed,
    string? SingularCommon = null, string? SingularNeuter = null, string? ForecastPhrase = null);

/// <param name="Deadline">The day of every level without a day of its own.</param>
/// <param name="Deadlines">Levels with a day of their own (units by 5 May, committees by 20 May); none for the period's deadline alone.</param>
public sealed record PeriodDoc(string Key, string Name, DateOnly? Deadline, bool IsPublished, DateTime? PublishedAt, string? PublishedBy, List<LevelDeadlineDoc>? Deadlines = null);

/// <summary>One level's own deadline in a period.</summary>
public sealed record LevelDeadlineDoc(UnitKind UnitKind, DateOnly DueOn);

/// <remarks>Also what <c>GET /units</c> gives and <c>PUT /units/{id}</c> takes (<see cref="Organisation.VersionedUnit"/>).</remarks>
public record UnitDoc(Guid Id, Guid? ParentId, string Name, string? ShortName, UnitKind Kind, string? Code, int SortOrder, bool IsActive, List<Guid> Serves);

/// <remarks>Also what <c>GET /goals/{id}</c> gives and <c>PUT /goals/{id}</c> takes (<see cref="Goals.VersionedGoal"/>).</remarks>
public record GoalDoc
{
    public Guid Id { get; init; }

    public Guid ModelId { get; init; }

    public Guid LevelId { get; init; }

    public Guid OwnerUnitId { get; init; }

    public Guid? DimensionId { get; init; }

    public required string Title { get; init; }

    public string? Description { get; init; }

    public string? Code { get; init; }

    public int? ValidFromYear { get; init; }

    public int? ValidToYear { get; init; }

    public List<int> Agenda2030 { get; init; } = [];

    public int SortOrder { get; init; }

    public List<ParentLinkDoc> Contributes { get; init; } = [];

    public List<StrategyDoc> Strategies { get; init; } = [];
}

public sealed record ParentLinkDoc(Guid GoalId, decimal Weight = 1m);

public sealed record StrategyDoc(Guid Id, string Title, string? Description, int SortOrder);

/// <remarks>Also what the program endpoints give and take (<see cref="Activities.VersionedProgram"/>).</remarks>
public record ProgramDoc(Guid Id, string Name, string? Description, Guid? OwnerUnitId, int? ValidFromYear, int? ValidToYear);

/// <remarks>Also what the indicator endpoints give and take (<see cref="Indicators.VersionedIndicator"/>), so the API and the document say the same.</remarks>
public record IndicatorDoc
{
    public Guid Id { get; init; }

    public required string Name { get; init; }

    public string? Description { get; init; }

    public string UnitOfMeasure { get; init; } = "";

    public int Decimals { get; init; }

    public Direction Direction { get; init; }

    public PeriodKind Periodicity { get; init; } = PeriodKind.Year;

    public ValueSource Source { get; init; }

    public string? KoladaKpiId { get; init; }

    public string? KoladaMunicipalityId { get; init; }

    public string? KoladaOuId { get; init; }

    public KoladaGender KoladaGender { get; init; }

    public decimal? PlausibleMin { get; init; }

    public decimal? PlausibleMax { get; init; }

    public decimal? BaselineValue { get; init; }

    public string? BaselinePeriod { get; init; }

    public ThresholdRule? Thresholds { get; init; }

    public Guid OwnerUnitId { get; init; }

    public Guid? GoalId { get; init; }

    public Guid? ProgramId { get; init; }

    public bool IsBasicMission { get; init; }

    public bool SplitByGender { get; init; }

    public decimal Weight { get; init; } = 1m;

    public int SortOrder { get; init; }

    public List<TargetDoc> Targets { get; init; } = [];
}

public sealed record TargetDoc(string PeriodKey, decimal? Value, decimal? Min, decimal? Max, string? Note);

/// <remarks>Also what the outcome endpoints give (<see cref="Indicators.VersionedOutcome"/>).</remarks>
public record OutcomeDoc
{
    public Guid IndicatorId { get; init; }

    public required string PeriodKey { get; init; }

    public decimal? Value { get; init; }

    public decimal? ValueWomen { get; init; }

    public decimal? ValueMen { get; init; }

    public string? Comment { get; init; }

    public ValueSource Source { get; init; }

    public string? SourceReference { get; init; }

    public DateTime? FetchedAt { get; init; }

    public bool IsRevised { get; init; }

    public required string RecordedBy { get; init; }

    public DateTime RecordedAt { get; init; }

    public List<RevisionDoc> Revisions { get; init; } = [];
}

public sealed record RevisionDoc(decimal? Value, decimal? ValueWomen, decimal? ValueMen, ValueSource Source, string? SourceReference, string RecordedBy, DateTime RecordedAt, DateTime ReplacedAt);

/// <param name="ActionsClosedAt">When the actions were closed; absent while they are open.</param>
/// <remarks>Also what the assessment endpoints give (<see cref="FollowUp.VersionedAssessment"/>).</remarks>
public record AssessmentDoc(Guid GoalId, string PeriodKey, string Status, string? SuggestedStatus, bool DeviatesFromRule, string? Motivation, string? Analysis, string? Actions, string AssessedBy, DateTime AssessedAt,
    DateTime? ActionsClosedAt = null, string? ActionsClosedBy = null)
{
    /// <summary>The assessment rests on the indicators' full-year forecasts (issue 16); written only when true.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool BasedOnForecast { get; init; }
}

/// <remarks>Also what the activity endpoints give and take (<see cref="Activities.VersionedActivity"/>).</remarks>
public record ActivityDoc
{
    public Guid Id { get; init; }

    public required string Title { get; init; }

    public string? Description { get; init; }

    public Guid? GoalId { get; init; }

    public Guid? ProgramId { get; init; }

    public Guid ResponsibleUnitId { get; init; }

    public DateOnly? StartDate { get; init; }

    public DateOnly? EndDate { get; init; }

    public ActivityStatus Status { get; init; }

    public int Progress { get; init; }

    public List<ActivityCommentDoc> Comments { get; init; } = [];
}

public sealed record ActivityCommentDoc(string PeriodKey, string Text, ActivityStatus Status, int Progress, string WrittenBy, DateTime WrittenAt);

public record GoverningDocumentDoc(Guid Id, DocumentKind Kind, string Title, string? Description, Guid? DecidedByUnitId, DateOnly? DecidedOn, DateOnly? ValidFrom, DateOnly? ValidTo, string? Url, List<Guid> GoalIds);

/// <param name="IsDraft">A frame proposed in next year's planning (issue 16), read by no budget page until the year is activated.</param>
public sealed record BudgetDoc(Guid UnitId, int Year, decimal Amount, string? Note, List<BudgetOutcomeDoc> Outcomes, bool IsDraft = false);

public record BudgetOutcomeDoc(string PeriodKey, decimal Actual, decimal? Forecast)
{
    // Budget in follow-up (issue 16): after the figures, so a reader finds them first.

    /// <summary>What the full-year forecast rests on, in the unit's words.</summary>
    [System.Text.Json.Serialization.JsonPropertyOrder(1)]
    public string? ForecastComment { get; init; }

    /// <summary>Why the forecast deviates from the frame; written through its own PUT, with who gave it and when.</summary>
    [System.Text.Json.Serialization.JsonPropertyOrder(1)]
    public string? DeviationExplanation { get; init; }

    [System.Text.Json.Serialization.JsonPropertyOrder(1)]
    public string? ExplainedBy { get; init; }

    [System.Text.Json.Serialization.JsonPropertyOrder(1)]
    public DateTime? ExplainedAt { get; init; }
}

public sealed record WorkflowDoc(Guid UnitId, string PeriodKey, WorkflowState State, string? ChangedBy, DateTime? ChangedAt, string? ReopenReason);
