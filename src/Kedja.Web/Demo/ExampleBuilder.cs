using Kedja.Domain;
using Kedja.Domain.Activities;
using Kedja.Domain.Assignments;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Indicators;
using Kedja.Domain.InternalControl;
using Kedja.Domain.Model;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Web.Exchange;
using Kedja.Web.Templates;

namespace Kedja.Web.Demo;

/// <summary>
/// Writes an example municipality in a template's own terms: the template's document (<see cref="ModelTemplates.Build"/>)
/// filled with units, goals on its levels, indicators with targets and outcomes, activities, and an assessment of every
/// goal in every follow-up with data. Outcomes run from <see cref="FirstDataYear"/> to the follow-up that ends by
/// <see cref="LastDataEnd"/>; every follow-up before that last one is published, the last one is not.
/// </summary>
internal sealed class ExampleBuilder
{
    /// <summary>The mandate period the examples plan for, as the demo municipality does.</summary>
    public const int FirstYear = 2023;

    public const int FirstDataYear = 2024;

    /// <summary>The examples have data up to the follow-up that ends here: T2 or the interim report of 2026.</summary>
    public static readonly DateOnly LastDataEnd = new(2026, 8, 31);

    private const string Controller = "controller@exempelkommun.se";

    private readonly Random random;
    private readonly TenantDocument template;
    private readonly List<UnitDoc> units;
    private readonly List<GoalDoc> goals = [];
    private readonly List<IndicatorDoc> indicators = [];
    private readonly List<OutcomeDoc> outcomes = [];
    private readonly List<ActivityDoc> activities = [];
    private readonly Dictionary<Guid, (string Cause, string Action)> reasons = [];
    private readonly Dictionary<Guid, string> deviations = [];
    private readonly string? targetNote;

    public ExampleBuilder(string templateKey, string slug, string name, int seed, string? targetNote = null)
    {
        random = new Random(seed);
        template = ModelTemplates.Build(templateKey, slug, name, null, FirstYear);
        units = [.. template.Units];
        Model = template.Models[0];
        this.targetNote = targetNote;
        DataPeriods = [.. template.Periods.Select(p => PeriodRef.Parse(p.Key)).Where(p => p.Year >= FirstDataYear && p.End <= LastDataEnd).Order()];
    }

    public ModelDoc Model { get; set; }

    public List<GoverningDocumentDoc> Documents { get; } = [];

    public List<BudgetDoc> Budget { get; } = [];

    /// <summary>The example's internal control and assignments; the tenant keeps the default risk scale.</summary>
    public ControlExamples Control { get; } = new();

    /// <summary>The follow-ups with data, oldest first; all but the last are published.</summary>
    public List<PeriodRef> DataPeriods { get; }

    public PeriodRef Unpublished => DataPeriods[^1];

    public Guid Council => units[0].Id;

    public Guid Board => units[1].Id;

    public Guid Dimension(string name) => Model.Dimensions.Single(d => d.Name == name).Id;

    public Guid Program(string name) => template.Programs.Single(p => p.Name == name).Id;

    public Guid Unit(string name, UnitKind kind, Guid parent, string? shortName = null, params Guid[] serves)
    {
        var unit = new UnitDoc(Guid.CreateVersion7(), parent, name, shortName, kind, null, units.Count, true, [.. serves]);
        units.Add(unit);
        return unit.Id;
    }

    /// <summary>
    /// A goal on the level at <paramref name="depth"/>. A level whose horizon is a whole mandate gets the mandate's years;
    /// shorter ones (one to three years) run without years of their own, as the demo's förvaltningsmål do.
    /// </summary>
    /// <param name="cause">The analysis when the goal is not met: what the municipality sees as the cause.</param>
    /// <param name="action">What is done about it, decided at a follow-up where the goal is not met.</param>
    public Guid Goal(int depth, Guid owner, string? dimension, string title, string description, int[] sdg, Guid[] parents, string cause, string action,
        params string[] strategies)
    {
        var level = Model.Levels[depth];
        var wholeMandate = level.HorizonMaxYears is null or >= 4;
        var goal = new GoalDoc
        {
            Id = Guid.CreateVersion7(), ModelId = Model.Id, LevelId = level.Id, OwnerUnitId = owner, DimensionId = dimension is null ? null : Dimension(dimension),
            Title = title, Description = description, ValidFromYear = wholeMandate ? FirstYear : null, ValidToYear = wholeMandate ? FirstYear + 3 : null,
            Agenda2030 = [.. sdg], SortOrder = goals.Count, Contributes = [.. parents.Select(p => new ParentLinkDoc(p))],
            Strategies = [.. strategies.Select((s, i) => new StrategyDoc(Guid.CreateVersion7(), s, null, i))],
        };
        goals.Add(goal);
        reasons[goal.Id] = (cause, action);
        return goal.Id;
    }

    /// <summary>In the last published follow-up the goal is assessed one step lower than the rule suggests, with this motivation.</summary>
    public void AssessLower(Guid goal, string motivation) => deviations[goal] = motivation;

    /// <summary>
    /// An indicator with a yearly target stepping from <paramref name="start"/> toward <paramref name="target"/>, and outcomes
    /// that move by <paramref name="perYear"/> with some noise. A Kolada id makes the values Kolada's (Source = Kolada).
    /// </summary>
    public Guid Indicator(Guid owner, Guid? goal, string name, string unit, int decimals, Direction direction, PeriodKind periodicity,
        decimal start, decimal perYear, decimal target, decimal noise, string? kolada = null, Guid? program = null, bool basic = false)
    {
        var id = Guid.CreateVersion7();
        var percent = unit == "%";
        var years = Enumerable.Range(FirstDataYear, LastDataEnd.Year - FirstDataYear + 1).ToList();
        indicators.Add(new IndicatorDoc
        {
            Id = id, Name = name, UnitOfMeasure = unit, Decimals = decimals, Direction = direction, Periodicity = periodicity,
            Source = kolada is null ? ValueSource.Manual : ValueSource.Kolada, KoladaKpiId = kolada, KoladaMunicipalityId = kolada is null ? null : "9999",
            PlausibleMin = percent ? 0m : null, PlausibleMax = percent ? 100m : null,
            BaselineValue = start, BaselinePeriod = (FirstDataYear - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), OwnerUnitId = owner,
            GoalId = program is null ? goal : null, ProgramId = program, IsBasicMission = basic, SortOrder = indicators.Count,
            Targets = direction == Direction.Neutral ? [] : [.. years.Select(y => new TargetDoc(y.ToString(System.Globalization.CultureInfo.InvariantCulture), Round(Step(start, target, y), decimals), null, null,
                targetNote is null ? null : $"{targetNote} {y}"))],
        });
        foreach (var p in years.SelectMany(y => PeriodRef.EndingWithin(periodicity, new DateOnly(y, 1, 1), new DateOnly(y, 12, 31))).Where(p => p.End <= LastDataEnd))
        {
            var elapsed = (p.End.DayNumber - new DateOnly(FirstDataYear - 1, 12, 31).DayNumber) / 365.25m;
            var value = start + (perYear * elapsed) + (((decimal)random.NextDouble() - 0.5m) * 2m * noise);
            value = Math.Max(0m, percent ? Math.Min(100m, value) : value);
            outcomes.Add(new OutcomeDoc
            {
                IndicatorId = id, PeriodKey = p.Key, Value = Round(value, decimals),
                Source = kolada is null ? ValueSource.Manual : ValueSource.Kolada,
                SourceReference = kolada is null ? null : $"Kolada {kolada}, kommun 9999",
                FetchedAt = kolada is null ? null : Stamp(p.End.AddDays(60)),
                RecordedBy = kolada is null ? Controller : "kolada-import",
                RecordedAt = Stamp(p.End.AddDays(kolada is null ? 10 : 60)),
            });
        }

        return id;
    }

    /// <summary>An activity with a comment in each follow-up it runs through, up to the last one with data.</summary>
    public void Activity(string title, string text, Guid? goal, Guid? program, Guid unit, DateOnly start, DateOnly end, ActivityStatus status, int progress)
    {
        var running = DataPeriods.Where(p => p.End >= start && p.Start <= end).ToList();
        var comments = running.Select((p, n) => new ActivityCommentDoc(p.Key,
                n == 0 ? "Arbetet har kommit i gång enligt planen."
                : p.End >= end && status == ActivityStatus.Done ? "Aktiviteten är genomförd och följs nu upp i det vanliga arbetet."
                : status == ActivityStatus.Delayed ? "Arbetet går långsammare än planerat; det saknas personal för att hålla tidplanen."
                : "Arbetet fortsätter enligt planen.",
                p.End >= end ? status : status == ActivityStatus.Delayed && n > 0 ? ActivityStatus.Delayed : ActivityStatus.InProgress,
                p.End >= end ? progress : Math.Min(progress, 15 + (n * 20)), "chef@exempelkommun.se", Stamp(p.End.AddDays(12))))
            .ToList();
        activities.Add(new ActivityDoc
        {
            Id = Guid.CreateVersion7(), Title = title, Description = text, GoalId = goal, ProgramId = program, ResponsibleUnitId = unit,
            StartDate = start, EndDate = end, Status = status, Progress = progress, Comments = comments,
        });
    }

    /// <summary>
    /// A smaller year of internal control (issue 15): the committee's register with three risks every municipality has and
    /// one of its own, its plan for the year of the last follow-up decided in January, a control action per risk spread over
    /// that year's follow-ups, and results for those already followed up, one with a deviation and a measure.
    /// <paramref name="responsible"/> checks and reports; it must be a unit whose follow-ups are marked ready (see <see cref="Build"/>).
    /// </summary>
    public void InternalControl(Guid committee, Guid responsible, (string Title, string Category, string Process, string Action, string Method) own)
    {
        var year = LastDataEnd.Year;
        var reportTo = Name(committee);
        Guid Risk(string title, string category, string process, string owner, string? description, string controls, Assessed assessed) =>
            Control.Risk(committee, title, category, process, owner, description, controls, $"Bedömd i nämndens riskanalys inför {year}.", [assessed]);
        var risks = new[]
        {
            Risk("Felaktiga utbetalningar till leverantörer", "Ekonomi och redovisning", "Leverantörsreskontra", "Ekonomichef",
                "Betalningar går till fel konto när bedragare begär ändrade bankuppgifter.", "Attest i två led.", new(year, 3, 4, 2, 4)),
            Risk("Direktupphandlingar görs utan konkurrens", "Regelefterlevnad", "Inköp", "Upphandlare",
                "Inköp görs utan att flera leverantörer tillfrågas och utan att valet dokumenteras.", "Riktlinje för direktupphandling.", new(year, 3, 3, 3, 3)),
            Risk("Delegationsbeslut anmäls inte till nämnden", "Regelefterlevnad", "Delegering", "Nämndsekreterare",
                "Beslut som fattas på delegation når inte nämnden, som då inte kan följa dem.", "Delegationsordning; anmälan vid varje sammanträde.", new(year, 2, 4, 2, 3)),
            Risk(own.Title, own.Category, own.Process, "Förvaltningschef", null, "Rutiner och egenkontroller i verksamheten.", new(year, 3, 3, 2, 4)),
        };
        var plan = Control.Plan(committee, year, new(year, 1, 27), "§ 8", $"{reportTo}s internkontrollplan för {year}.", risks);
        (string Title, string Method, string Scope, string Person)[] actions =
        [
            ("Ändrade bankuppgifter för leverantörer är kontrollerade", "Stickprov", "Samtliga ändringar under perioden", "Redovisningsansvarig"),
            ("Direktupphandlingar är dokumenterade", "Granskning", "15 slumpvis valda inköp", "Upphandlare"),
            ("Delegationsbeslut är anmälda till nämnden", "Avstämning", "Beslut i två verksamhetssystem mot protokollen", "Nämndsekreterare"),
            (own.Action, own.Method, "Ett urval i verksamheten", "Kvalitetsutvecklare"),
        ];
        var periods = template.Periods.Select(p => PeriodRef.Parse(p.Key)).Where(p => p.Year == year).Order().ToList();
        for (var i = 0; i < actions.Length; i++)
        {
            var (title, method, scope, person) = actions[i];
            var period = periods[i * periods.Count / actions.Length].Key;
            var followed = DataPeriods.Any(p => p.Key == period);
            if (followed && i == 1)
            {
                Control.Action(plan, risks[i], title, method, scope, responsible, person, period, reportTo,
                    ControlExamples.Deviation(period, "Två av inköpen saknade dokumentation av vilka leverantörer som tillfrågats."),
                    ControlExamples.Measure(period, "Rutinen gås igenom med alla som beställer och attesterar", "Ekonomichef", new(year, 11, 30), MeasureStatus.InProgress));
            }
            else
            {
                Control.Action(plan, risks[i], title, method, scope, responsible, person, period, reportTo, followed ? ControlExamples.WithoutRemark(period) : null);
            }
        }
    }

    /// <summary>
    /// Three assignments: the council's to the executive board, still in progress and reported on in each follow-up of the year;
    /// the council's to the committee, closed last year; and the committee's to <paramref name="responsible"/>, done and
    /// waiting for the committee to close it.
    /// </summary>
    public void Assignments(Guid committee, Guid responsible, Guid councilGoal)
    {
        var year = LastDataEnd.Year;
        var thisYear = DataPeriods.Where(p => p.Year == year).ToList();
        var lastYear = DataPeriods.Last(p => p.Year == year - 1).Key;
        var yearEnd = template.Periods.Select(p => PeriodRef.Parse(p.Key)).Where(p => p.Year == year).Max().Key;
        Control.Assignment(AssignmentGiver.Council, Council, new(year - 1, 11, 24), "§ 121", Board, "Plan för kompetensförsörjning",
            $"{Name(Board)} får i uppdrag att ta fram en plan för kompetensförsörjning i kommunens verksamheter.", AssignmentStatus.InProgress,
            duePeriod: yearEnd, goals: [councilGoal],
            reports: [.. thisYear.Select((p, n) => new Reported(p.Key, AssignmentStatus.InProgress,
                n == 0 ? "Verksamheternas behov av personal till 2030 är kartlagda." : "Planen skrivs under hösten och går till kommunstyrelsen i december."))]);
        Control.Assignment(AssignmentGiver.Council, Council, new(year - 1, 4, 22), "§ 48", committee, "Översyn av taxor och avgifter",
            $"{Name(committee)} får i uppdrag att se över taxor och avgifter inom sitt ansvarsområde.", AssignmentStatus.Closed,
            due: new(year - 1, 12, 31), closedOn: new(year, 2, 16),
            reports: [new(lastYear, AssignmentStatus.Done, "Översynen är klar, och de nya taxorna gäller från den 1 januari.")]);
        // A committee gives its förvaltning an assignment; where the committee reports itself, the executive board gives it.
        var (giver, by) = committee == Board || responsible == committee ? (AssignmentGiver.ExecutiveBoard, Board) : (AssignmentGiver.Committee, committee);
        Control.Assignment(giver, by, new(year, 1, 27), "§ 9", responsible, "Digital signering av protokoll",
            $"{Name(responsible)} får i uppdrag att införa digital signering av protokoll och beslut.", AssignmentStatus.Done, due: new(year, 9, 30),
            reports: [new(Unpublished.Key, AssignmentStatus.Done, "Protokollen signeras digitalt sedan juni.")]);
    }

    private string Name(Guid unit) => units.Single(u => u.Id == unit).Name;

    public TenantDocument Build()
    {
        var published = DataPeriods.SkipLast(1).Select(p => p.Key).ToHashSet();
        var doc = template with
        {
            Models = [Model],
            Units = units,
            Goals = goals,
            Indicators = indicators,
            Outcomes = outcomes,
            Activities = activities,
            Documents = Documents,
            Budget = Budget,
            InternalControl = Control.Doc(settings: null),
            Assignments = Control.Assignments,
            Periods = [.. template.Periods.Select(p => published.Contains(p.Key)
                ? p with { IsPublished = true, PublishedAt = Stamp(PeriodRef.Parse(p.Key).End.AddDays(50)), PublishedBy = Controller }
                : p)],
        };
        // Every unit with goals or activities has marked its follow-ups ready (the council's too): an assessment is public
        // only then (ADR 41).
        var owners = goals.Select(g => g.OwnerUnitId).Concat(activities.Select(a => a.ResponsibleUnitId)).ToHashSet();
        var workflow = units.Where(u => u.Kind is UnitKind.ExecutiveBoard or UnitKind.Committee or UnitKind.Administration || owners.Contains(u.Id))
            .SelectMany(u => DataPeriods.Select(p => new WorkflowDoc(u.Id, p.Key, published.Contains(p.Key) ? WorkflowState.Locked : WorkflowState.Submitted,
                Controller, Stamp(p.End.AddDays(30)), null)))
            .ToList();
        return doc with { Assessments = Assess(doc), Workflow = workflow };
    }

    /// <summary>
    /// Every goal in every follow-up with data, from the lowest level up, so that a level above rolls up the statuses
    /// decided below it. The status is the rule's suggestion; where the rule has nothing to go on (yearly measures in an
    /// interim report) the goal is assessed partly met, with a motivation. Actions are closed at the next follow-up.
    /// </summary>
    private List<AssessmentDoc> Assess(TenantDocument doc)
    {
        var assessments = new List<AssessmentDoc>();
        var depths = Model.Levels.ToDictionary(l => l.Id, l => l.Depth);
        var kinds = units.ToDictionary(u => u.Id, u => u.Kind);
        var lastPublished = DataPeriods[^2];
        for (var n = 0; n < DataPeriods.Count; n++)
        {
            var period = DataPeriods[n];
            var next = n + 1 < DataPeriods.Count ? DataPeriods[n + 1] : (PeriodRef?)null;
            var manual = new Dictionary<Guid, string>();
            foreach (var depth in depths.Values.Distinct().OrderDescending())
            {
                var result = DocumentEngine.Compute(doc, period.Key, manual);
                foreach (var goal in goals.Where(g => depths[g.LevelId] == depth))
                {
                    if (!CadenceOverride.FollowsUp(Model.CadenceOverrides, kinds[goal.OwnerUnitId], period))
                    {
                        continue;
                    }

                    var suggested = result.Goals[goal.Id].SuggestedStatus;
                    var status = suggested == StandardScale.NotAssessed ? StandardScale.PartlyMet : suggested;
                    var motivation = suggested == StandardScale.NotAssessed
                        ? "Flera av måtten redovisas först vid årets slut. Bedömningen bygger på verksamhetens egen uppföljning under perioden."
                        : null;
                    var deviates = false;
                    if (period == lastPublished && deviations.TryGetValue(goal.Id, out var why) && status == StandardScale.Met)
                    {
                        (status, motivation, deviates) = (StandardScale.PartlyMet, why, true);
                    }

                    manual[goal.Id] = status;
                    var (cause, action) = reasons[goal.Id];
                    var facts = Facts(goal.Id, period, result, manual);
                    var analysis = status == StandardScale.Met
                        ? $"{facts}Utvecklingen går åt rätt håll och arbetssättet behålls.".Trim()
                        : $"{facts}{cause}".Trim();
                    var actions = status == StandardScale.Met ? null : action;
                    DateTime? closed = actions is null || next is null ? null : Stamp(next.Value.End.AddDays(25));
                    assessments.Add(new AssessmentDoc(goal.Id, period.Key, status, suggested, deviates, motivation, analysis, actions,
                        "namndsekreterare@exempelkommun.se", Stamp(period.End.AddDays(25)), closed, closed is null ? null : "namndsekreterare@exempelkommun.se"));
                }
            }
        }

        return assessments;
    }

    /// <summary>
    /// The goal's own measures as the engine read them ("Sjukfrånvaro: 7,1 % mot målvärdet 7,0 %.") and how the goals
    /// that contribute to it were assessed.
    /// </summary>
    private string Facts(Guid goal, PeriodRef period, EngineResult result, Dictionary<Guid, string> decided)
    {
        var said = indicators.Where(i => i.GoalId == goal && i.ProgramId is null)
            .Select(i => (Indicator: i, Result: result.Indicators.GetValueOrDefault(i.Id)))
            .Where(x => x.Result is { Outcome: not null, Target.Value: not null })
            .Select(x => $"{x.Indicator.Name}: {Figure(x.Result!.Outcome!.Value, x.Indicator)}{Earlier(x.Result.OutcomePeriod, period)} mot målvärdet {Figure(x.Result.Target!.Value!.Value, x.Indicator)}. ")
            .ToList();
        var below = goals.Where(g => g.Contributes.Any(c => c.GoalId == goal) && decided.ContainsKey(g.Id)).ToList();
        if (below.Count > 0)
        {
            var met = below.Count(g => decided[g.Id] == StandardScale.Met);
            said.Add((below.Count, met) switch
            {
                (1, 1) => "Det bidragande målet är uppfyllt. ",
                (1, _) => "Det bidragande målet är inte helt uppfyllt. ",
                (_, 0) => $"Inget av de {below.Count} bidragande målen är helt uppfyllt. ",
                _ => $"{met} av {below.Count} bidragande mål är uppfyllda. ",
            });
        }

        return string.Concat(said);
    }

    /// <summary>A value from an earlier year (the latest available, in an interim report) says which year it is.</summary>
    private static string Earlier(string? outcomePeriod, PeriodRef followUp) =>
        outcomePeriod is not null && PeriodRef.Parse(outcomePeriod) is var measured && measured.Year < followUp.Year ? $" ({measured.Label.ToLowerInvariant()})" : "";

    private static string Figure(decimal value, IndicatorDoc indicator)
    {
        var number = SwedishFormat.Number(value, indicator.Decimals);
        return indicator.UnitOfMeasure switch
        {
            "antal" or "" => number,
            "index" => $"index {number}",
            var unit => $"{number}\u00a0{unit}",
        };
    }

    private static decimal Step(decimal start, decimal target, int year) =>
        start + ((target - start) * (year - FirstDataYear + 1) / (LastDataEnd.Year - FirstDataYear + 1));

    private static decimal Round(decimal value, int decimals) => Math.Round(value, decimals, MidpointRounding.AwayFromZero);

    private static DateTime Stamp(DateOnly day) => new(day.Year, day.Month, day.Day, 9, 30, 0, DateTimeKind.Utc);
}
