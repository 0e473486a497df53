using Kedja.Data;
using Kedja.Domain;
using Kedja.Domain.Charts;
using Kedja.Domain.InternalControl;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Reports;
using Kedja.Web.Infrastructure;
using Kedja.Web.InternalControl;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Reports;

/// <summary>A unit a report covers, with its place below the unit ordered for (0).</summary>
public sealed record CoveredUnit(Guid Id, Guid? ParentId, string Name, UnitKind Kind, int Depth);

/// <summary>
/// The internal control sections of a report (ADR 46): a committee's plan for the year, the follow-up of its control
/// actions, and the summary over committees that the executive board oversees. Read from the database directly and
/// only what the person who ordered the report sees (<see cref="UnitScope.SeesManyAsync"/>): a neighbouring unit's
/// editor gets none of it. Results of follow-ups not yet submitted are read as the goal sections read assessments: the
/// report is internal and shows what the unit has written so far.
/// </summary>
public sealed class InternalControlSections(KedjaDbContext db, TenantContext tenant, TimeProvider clock)
{
    public const string NoneSeen = "Den som beställde rapporten får inte se den interna kontrollen för någon av rapportens enheter.";

    private sealed record Data(RiskSettings Settings, List<ControlPlan> Plans, Dictionary<Guid, Risk> Risks, Dictionary<Guid, FollowUpPeriod> Periods,
        List<(ControlMeasure Measure, ControlAction Action, int Year, Guid UnitId)> Earlier, Dictionary<Guid, string> UnitNames, Func<Guid, bool> Sees);

    private Data? _data;

    /// <summary>The plan of each covered unit that has one for the period's year.</summary>
    public async Task<List<ReportBlock>> PlanAsync(List<CoveredUnit> covered, FollowUpPeriod period, CancellationToken cancellationToken)
    {
        var data = await LoadAsync(period.Year, cancellationToken);
        var seen = covered.Where(u => data.Sees(u.Id)).ToList();
        if (seen.Count == 0)
        {
            return [new ReportParagraph(NoneSeen)];
        }

        var blocks = new List<ReportBlock>();
        var withPlan = seen.Where(u => data.Plans.Any(p => p.UnitId == u.Id)).ToList();
        if (withPlan.Count == 0)
        {
            blocks.Add(new ReportParagraph(seen.Count == 1
                ? $"{seen[0].Name} har ingen internkontrollplan för {Year(period)}."
                : $"Ingen av rapportens enheter har en internkontrollplan för {Year(period)}."));
            return blocks;
        }

        var multiple = withPlan.Count > 1;
        foreach (var unit in withPlan)
        {
            var plan = data.Plans.Single(p => p.UnitId == unit.Id);
            if (multiple)
            {
                if (blocks.Count > 0)
                {
                    blocks.Add(new ReportPageBreak());
                }

                blocks.Add(new ReportHeading(2, unit.Name));
            }

            var level = multiple ? 3 : 2;
            blocks.Add(new ReportField("Beslut", Decision(plan)));
            if (!string.IsNullOrWhiteSpace(plan.Description))
            {
                blocks.Add(new ReportParagraph(plan.Description.Trim()));
            }

            var risks = plan.Risks.Select(r => data.Risks.GetValueOrDefault(r.RiskId)).OfType<Risk>().OrderBy(r => r.Number).ToList();
            blocks.Add(new ReportHeading(level, "Risker i planen"));
            if (risks.Count == 0)
            {
                blocks.Add(new ReportParagraph("Planen har inga risker valda."));
            }
            else
            {
                blocks.Add(RiskTable($"Risker i {unit.Name}s plan {Year(period)}", risks, data.Settings, period.Year));
                blocks.Add(Matrix($"Riskmatris {Year(period)}, {unit.Name}", risks, data.Settings, period.Year));
                blocks.Add(new ReportParagraph(
                    "I matrisen står riskernas nummer i rutan för deras sannolikhet och konsekvens, efter befintliga kontroller när de är bedömda. Rutans nivå står i ord.",
                    ParagraphKind.Note));
            }

            blocks.Add(new ReportHeading(level, "Kontrollmoment"));
            var actions = plan.Actions.OrderBy(a => a.SortOrder).ThenBy(a => a.Title, StringComparer.Create(SwedishFormat.Culture, false)).ToList();
            if (actions.Count == 0)
            {
                blocks.Add(new ReportParagraph("Planen har inga kontrollmoment ännu."));
            }
            else
            {
                blocks.Add(new ReportTable($"Kontrollmoment i {unit.Name}s plan {Year(period)}",
                    [new ReportColumn("Kontrollmoment", CellKind.Text, 3), new ReportColumn("Risk", CellKind.Text, 0.8), new ReportColumn("Metod och omfattning", CellKind.Text, 2.2),
                     new ReportColumn("Ansvarig", CellKind.Text, 2.4), new ReportColumn("Period", CellKind.Text, 1.1), new ReportColumn("Rapporteras till", CellKind.Text, 2.2)],
                    [.. actions.Select(a => (IReadOnlyList<ReportCell>)
                    [
                        new ReportCell(a.Title), ReportCell.Of(a.RiskId is { } r && data.Risks.TryGetValue(r, out var risk) ? risk.Number.ToString(SwedishFormat.Culture) : null),
                        new ReportCell(string.IsNullOrWhiteSpace(a.Scope) ? a.Method : $"{a.Method}, {a.Scope.Trim()}"), new ReportCell(Responsible(data, a)),
                        new ReportCell(PeriodName(data, a.PeriodId)), ReportCell.Of(a.ReportTo),
                    ])]));
                blocks.Add(new ReportParagraph("Risk anger riskens nummer i tabellen över planens risker.", ParagraphKind.Note));
            }

            Carried(blocks, data, unit, period, level);
        }

        return blocks;
    }

    /// <summary>Each covered unit's control actions with their results up to the period's end, findings, measures, and open measures of earlier years.</summary>
    public async Task<List<ReportBlock>> FollowUpAsync(List<CoveredUnit> covered, FollowUpPeriod period, CancellationToken cancellationToken)
    {
        var data = await LoadAsync(period.Year, cancellationToken);
        var seen = covered.Where(u => data.Sees(u.Id)).ToList();
        if (seen.Count == 0)
        {
            return [new ReportParagraph(NoneSeen)];
        }

        var blocks = new List<ReportBlock>();
        var withPlan = seen.Where(u => data.Plans.Any(p => p.UnitId == u.Id)).ToList();
        if (withPlan.Count == 0)
        {
            blocks.Add(new ReportParagraph(seen.Count == 1
                ? $"{seen[0].Name} har ingen internkontrollplan för {Year(period)} att följa upp."
                : $"Ingen av rapportens enheter har en internkontrollplan för {Year(period)} att följa upp."));
            return blocks;
        }

        var today = Deadlines.Today(clock);
        var multiple = withPlan.Count > 1;
        foreach (var unit in withPlan)
        {
            var plan = data.Plans.Single(p => p.UnitId == unit.Id);
            if (multiple)
            {
                if (blocks.Count > 0)
                {
                    blocks.Add(new ReportPageBreak());
                }

                blocks.Add(new ReportHeading(2, unit.Name));
            }

            var level = multiple ? 3 : 2;
            var count = Count(data, plan, period, today);
            blocks.Add(new ReportParagraph(Says(count, period)));
            var actions = plan.Actions.OrderBy(a => a.SortOrder).ThenBy(a => a.Title, StringComparer.Create(SwedishFormat.Culture, false)).ToList();
            if (actions.Count > 0)
            {
                blocks.Add(new ReportTable($"Resultat av kontrollmomenten, {unit.Name}",
                    [new ReportColumn("Kontrollmoment", CellKind.Text, 3), new ReportColumn("Period", CellKind.Text, 1.2), new ReportColumn("Resultat", CellKind.Status, 1.8),
                     new ReportColumn("Iakttagelser", CellKind.Text, 3.5)],
                    [.. actions.Select(a =>
                    {
                        var result = ResultOf(data, a, period);
                        return (IReadOnlyList<ReportCell>)[new ReportCell(a.Title), new ReportCell(PeriodName(data, a.PeriodId)), Outcome(data, a, result, period), Findings(result)];
                    })]));
            }

            var measures = actions.SelectMany(a => a.Measures.Select(m => (Measure: m, Action: a))).OrderBy(m => m.Measure.Deadline ?? DateOnly.MaxValue).ThenBy(m => m.Measure.Text, StringComparer.Create(SwedishFormat.Culture, false)).ToList();
            blocks.Add(new ReportHeading(level, "Åtgärder"));
            if (measures.Count == 0)
            {
                blocks.Add(new ReportParagraph("Inga åtgärder är beslutade efter årets kontroller."));
            }
            else
            {
                blocks.Add(MeasureTable($"Åtgärder efter kontrollerna {Year(period)}, {unit.Name}", measures.Select(m => (m.Measure, m.Action, (int?)null)), today));
            }

            Carried(blocks, data, unit, period, level);
        }

        return blocks;
    }

    /// <summary>
    /// Counts per unit with a plan: outcomes, actions not reported, open and late measures. Ordered for the council or
    /// the executive board it covers every unit with a plan that the person sees (uppsiktsplikt), else the covered units.
    /// </summary>
    public async Task<List<ReportBlock>> SummaryAsync(List<CoveredUnit> covered, List<CoveredUnit> everyUnit, FollowUpPeriod period, CancellationToken cancellationToken)
    {
        var data = await LoadAsync(period.Year, cancellationToken);
        var root = covered[0];
        var overseeing = root.Kind is UnitKind.Council or UnitKind.ExecutiveBoard;
        var units = (overseeing ? everyUnit : covered).Where(u => data.Sees(u.Id)).ToList();
        if (units.Count == 0)
        {
            return [new ReportParagraph(NoneSeen)];
        }

        var today = Deadlines.Today(clock);
        var rows = units.Select(u => (Unit: u, Plan: data.Plans.SingleOrDefault(p => p.UnitId == u.Id))).Where(x => x.Plan is not null)
            .Select(x => (x.Unit, Plan: x.Plan!, Count: Count(data, x.Plan!, period, today))).ToList();
        var blocks = new List<ReportBlock>();
        if (rows.Count == 0)
        {
            blocks.Add(new ReportParagraph($"Ingen av enheterna har en internkontrollplan för {Year(period)}."));
        }
        else
        {
            var total = rows.Aggregate(new Counts(0, 0, 0, 0, 0, 0, 0, 0), (sum, r) => sum + r.Count);
            blocks.Add(new ReportParagraph($"{Plural(rows.Count, "enhet har", "enheter har")} en internkontrollplan för {Year(period)} med {Plural(total.Actions, "kontrollmoment", "kontrollmoment")}. " + Says(total, period)));
            blocks.Add(new ReportTable($"Kontrollmomentens resultat per enhet, {period.Name}",
                [new ReportColumn("Enhet", CellKind.Text, 3), Figure("Kontrollmoment"), Figure("Utan anmärkning"), Figure("Med avvikelse"), Figure("Ej genomförda"),
                 Figure("Ej rapporterade")],
                [.. rows.Select(r => Results(r.Unit.Name, r.Count)), Results("Totalt", total)]));
            blocks.Add(new ReportTable($"Planer och åtgärder per enhet, {period.Name}",
                [new ReportColumn("Enhet", CellKind.Text, 3), new ReportColumn("Planen", CellKind.Text, 1.2), Figure("Öppna åtgärder"), Figure("Försenade åtgärder")],
                [.. rows.Select(r => Measures(r.Unit.Name, ControlNames.Swedish(r.Plan.Status), r.Count)), Measures("Totalt", "", total)]));
        }

        if (overseeing)
        {
            // The board's oversight asks also who has no plan at all.
            var without = units.Where(u => u.Kind == UnitKind.Committee && data.Plans.All(p => p.UnitId != u.Id)).Select(u => u.Name).ToList();
            if (without.Count > 0)
            {
                blocks.Add(new ReportField($"Nämnder utan internkontrollplan för {Year(period)}", string.Join(", ", without)));
            }
        }

        return blocks;

        static ReportColumn Figure(string header) => new(header, CellKind.Number, 1, WrapHeader: true);

        static IReadOnlyList<ReportCell> Results(string name, Counts c) =>
        [
            new ReportCell(name), ReportCell.Of(c.Actions, 0), ReportCell.Of(c.WithoutRemark, 0), ReportCell.Of(c.WithDeviation, 0), ReportCell.Of(c.NotPerformed, 0),
            ReportCell.Of(c.NotReported, 0),
        ];

        static IReadOnlyList<ReportCell> Measures(string name, string plan, Counts c) =>
            [new ReportCell(name), ReportCell.Of(plan), ReportCell.Of(c.OpenMeasures, 0), ReportCell.Of(c.LateMeasures, 0)];
    }

    /// <param name="Later">Actions followed up in a period after the report's.</param>
    private sealed record Counts(int Actions, int WithoutRemark, int WithDeviation, int NotPerformed, int NotReported, int Later, int OpenMeasures, int LateMeasures)
    {
        public static Counts operator +(Counts a, Counts b) => new(a.Actions + b.Actions, a.WithoutRemark + b.WithoutRemark, a.WithDeviation + b.WithDeviation,
            a.NotPerformed + b.NotPerformed, a.NotReported + b.NotReported, a.Later + b.Later, a.OpenMeasures + b.OpenMeasures, a.LateMeasures + b.LateMeasures);
    }

    private static Counts Count(Data data, ControlPlan plan, FollowUpPeriod period, DateOnly today)
    {
        var results = plan.Actions.Select(a => (Action: a, Result: ResultOf(data, a, period))).ToList();
        var measures = plan.Actions.SelectMany(a => a.Measures).Concat(CarriedFor(data, plan.UnitId, period.Year).Select(c => c.Measure)).ToList();
        return new Counts(
            plan.Actions.Count,
            results.Count(r => r.Result?.Outcome == ControlOutcome.WithoutRemark),
            results.Count(r => r.Result?.Outcome == ControlOutcome.WithDeviation),
            results.Count(r => r.Result?.Outcome == ControlOutcome.NotPerformed),
            results.Count(r => r.Result is null && IsDue(data, r.Action, period)),
            results.Count(r => r.Result is null && !IsDue(data, r.Action, period)),
            measures.Count(m => m.Status != MeasureStatus.Done),
            measures.Count(m => RiskScale.IsLate(m, today)));
    }

    private static string Says(Counts c, FollowUpPeriod period)
    {
        var parts = new List<string>();
        if (c.WithoutRemark > 0)
        {
            parts.Add($"{Plural(c.WithoutRemark, "utan anmärkning", "utan anmärkning")}");
        }

        if (c.WithDeviation > 0)
        {
            parts.Add(Plural(c.WithDeviation, "med avvikelse", "med avvikelse"));
        }

        if (c.NotPerformed > 0)
        {
            parts.Add(Plural(c.NotPerformed, "ej genomfört", "ej genomförda"));
        }

        if (c.NotReported > 0)
        {
            parts.Add(Plural(c.NotReported, "ej rapporterat", "ej rapporterade"));
        }

        var reported = parts.Count == 0 ? $"Inga kontrollmoment är rapporterade till och med {period.Name}." : $"Till och med {period.Name}: {string.Join(", ", parts)}.";
        var later = c.Later > 0 ? $" {Plural(c.Later, "kontrollmoment följs", "kontrollmoment följs")} upp senare under året." : "";
        var measures = c.OpenMeasures > 0
            ? $" {Plural(c.OpenMeasures, "åtgärd är öppen", "åtgärder är öppna")}{(c.LateMeasures > 0 ? $", varav {Plural(c.LateMeasures, "försenad", "försenade")}" : "")}."
            : " Inga åtgärder är öppna.";
        return reported + later + measures;
    }

    private static string Plural(int n, string one, string many) => $"{n.ToString("N0", SwedishFormat.Culture)} {(n == 1 ? one : many)}";

    private static string Year(FollowUpPeriod period) => period.Year.ToString(SwedishFormat.Culture);

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", SwedishFormat.Culture);

    private static string Decision(ControlPlan plan) => plan.Status == ControlPlanStatus.Decided
        ? string.Join(", ", new[] { "Beslutad" + (plan.DecidedOn is { } on ? " " + Date(on) : ""), plan.DecisionParagraph?.Trim().Replace("§ ", "§\u00a0", StringComparison.Ordinal) }
            .Where(s => !string.IsNullOrEmpty(s)))
        : "Förslag, ännu inte beslutad";

    private static string PeriodName(Data data, Guid periodId) => data.Periods.TryGetValue(periodId, out var p) ? p.Name : "–";

    private static string Responsible(Data data, ControlAction action)
    {
        var unit = data.UnitNames.GetValueOrDefault(action.ResponsibleUnitId) ?? "–";
        return string.IsNullOrWhiteSpace(action.ResponsiblePerson) ? unit : $"{action.ResponsiblePerson.Trim()}, {unit}";
    }

    /// <summary>Whether the action's period has ended by the end of the report's period: then a missing result is missing.</summary>
    private static bool IsDue(Data data, ControlAction action, FollowUpPeriod period) =>
        data.Periods.TryGetValue(action.PeriodId, out var p) && p.EndDate <= period.EndDate;

    /// <summary>The latest result written for a period ending by the report's period's end.</summary>
    private static ControlResult? ResultOf(Data data, ControlAction action, FollowUpPeriod period) =>
        action.Results.Where(r => data.Periods.TryGetValue(r.PeriodId, out var p) && p.EndDate <= period.EndDate)
            .OrderBy(r => data.Periods[r.PeriodId].EndDate).LastOrDefault();

    private static ReportCell Outcome(Data data, ControlAction action, ControlResult? result, FollowUpPeriod period)
    {
        if (result is not null)
        {
            var (colour, symbol) = ControlNames.Signal(result.Outcome);
            return ReportCell.Of(new ReportStatus(result.Outcome.ToString(), ControlNames.Swedish(result.Outcome), symbol, colour));
        }

        return IsDue(data, action, period)
            ? ReportCell.Of(new ReportStatus("not-reported", "Ej rapporterat", "–", "#757575"))
            : new ReportCell($"Följs upp {PeriodName(data, action.PeriodId)}");
    }

    private static ReportCell Findings(ControlResult? result) => result switch
    {
        { Outcome: ControlOutcome.NotPerformed } => ReportCell.Of(string.IsNullOrWhiteSpace(result.Reason) ? result.Findings : $"Skäl: {result.Reason.Trim()}"),
        { } r => ReportCell.Of(r.Findings?.Trim()),
        _ => ReportCell.Empty,
    };

    private static ReportTable MeasureTable(string caption, IEnumerable<(ControlMeasure Measure, ControlAction Action, int? Year)> measures, DateOnly today)
    {
        var list = measures.ToList();
        var earlier = list.Any(m => m.Year is not null);
        List<ReportColumn> columns = [new("Åtgärd", CellKind.Text, 3), new("Kontrollmoment", CellKind.Text, 2)];
        if (earlier)
        {
            columns.Add(new ReportColumn("Från år", CellKind.Text, 0.8));
        }

        columns.AddRange([new ReportColumn("Ansvarig", CellKind.Text, 1.5), new ReportColumn("Senast", CellKind.Text, 1.4), new ReportColumn("Status", CellKind.Status, 1.8)]);
        return new ReportTable(caption, columns, [.. list.Select(x =>
        {
            var (colour, symbol) = ControlNames.Signal(x.Measure.Status);
            var late = RiskScale.IsLate(x.Measure, today);
            var label = ControlNames.Swedish(x.Measure.Status) + (late ? ", försenad" : "") + (x.Measure is { Status: MeasureStatus.Done, DoneOn: { } done } ? " " + Date(done) : "");
            List<ReportCell> row = [new ReportCell(x.Measure.Text), new ReportCell(x.Action.Title)];
            if (earlier)
            {
                row.Add(new ReportCell(x.Year?.ToString(SwedishFormat.Culture) ?? "–"));
            }

            row.AddRange([ReportCell.Of(x.Measure.Owner), ReportCell.Of(x.Measure.Deadline is { } d ? Date(d) : null),
                ReportCell.Of(new ReportStatus(x.Measure.Status.ToString(), label, symbol, colour))]);
            return (IReadOnlyList<ReportCell>)row;
        })]);
    }

    private static IEnumerable<(ControlMeasure Measure, ControlAction Action, int Year, Guid UnitId)> CarriedFor(Data data, Guid unitId, int year)
    {
        var mine = data.Earlier.Where(e => e.UnitId == unitId).ToList();
        var years = mine.ToDictionary(e => e.Measure.Id, e => e.Year);
        var carried = RiskScale.CarriedInto(year, mine.Select(e => e.Measure), m => years[m.Id]).Select(m => m.Id).ToHashSet();
        return mine.Where(e => carried.Contains(e.Measure.Id));
    }

    private void Carried(List<ReportBlock> blocks, Data data, CoveredUnit unit, FollowUpPeriod period, int level)
    {
        var carried = CarriedFor(data, unit.Id, period.Year).OrderBy(c => c.Year).ThenBy(c => c.Measure.Deadline).ToList();
        if (carried.Count == 0)
        {
            return;
        }

        blocks.Add(new ReportHeading(level, "Åtgärder från tidigare år"));
        blocks.Add(new ReportParagraph("Åtgärder som beslutades efter tidigare års kontroller följer med tills de är klara.", ParagraphKind.Note));
        blocks.Add(MeasureTable($"Öppna åtgärder från tidigare år, {unit.Name}", carried.Select(c => (c.Measure, c.Action, (int?)c.Year)), Deadlines.Today(clock)));
    }

    private static ReportTable RiskTable(string caption, List<Risk> risks, RiskSettings settings, int year) =>
        new(caption,
            [new ReportColumn("Nr", CellKind.Text, 0.8), new ReportColumn("Risk", CellKind.Text, 3), new ReportColumn("Kategori", CellKind.Text, 2.4),
             new ReportColumn("Sannolikhet × konsekvens", CellKind.Text, 1.4), new ReportColumn("Riskvärde", CellKind.Number, 1), new ReportColumn("Nivå", CellKind.Status, 1.5)],
            [.. risks.Select(r =>
            {
                var a = RiskScale.Latest(r, year);
                var (likelihood, consequence) = Counting(a);
                var title = a is null ? $"{r.Title} (inte bedömd)" : a.Year < year ? $"{r.Title} (bedömd {a.Year.ToString(SwedishFormat.Culture)})" : r.Title;
                return (IReadOnlyList<ReportCell>)
                [
                    new ReportCell(r.Number.ToString(SwedishFormat.Culture)), new ReportCell(title), ReportCell.Of(r.Category),
                    ReportCell.Of(a is null ? null : $"{likelihood} × {consequence}"), ReportCell.Of(a?.Value, 0), a is null ? ReportCell.Empty : ReportCell.Of(Band(settings, a.Value)),
                ];
            })]);

    private static (int? Likelihood, int? Consequence) Counting(RiskAssessment? a) => a switch
    {
        null => (null, null),
        { LikelihoodAfter: { } l, ConsequenceAfter: { } c } => (l, c),
        _ => (a.Likelihood, a.Consequence),
    };

    private static ReportStatus Band(RiskSettings settings, int value, string? label = null)
    {
        var band = RiskScale.Band(settings, value);
        return new ReportStatus("band-" + band.MinValue.ToString(SwedishFormat.Culture), label ?? band.Name, "", band.Colour);
    }

    /// <summary>
    /// The risk matrix as a table, from the same model the pages draw as SVG (<see cref="RiskMatrix"/>): likelihood down
    /// the side (highest first), consequence along the top, each cell its band in words and the numbers of the risks in
    /// it. The report writers (Word, Excel, PDF) draw tables, not SVG, so every format gets the grid with the band's
    /// colour beside the words, which is also the matrix's text alternative.
    /// </summary>
    private static ReportTable Matrix(string caption, List<Risk> risks, RiskSettings settings, int year)
    {
        var matrix = RiskMatrix.Of(caption, settings, risks, year);
        List<ReportColumn> columns = [new("Sannolikhet", CellKind.Text, 1.6), .. matrix.ConsequenceLabels.Select((c, i) => new ReportColumn($"{i + 1} {c}", CellKind.Status, 1.2))];
        var rows = matrix.Cells.GroupBy(c => c.Likelihood).Select(line => (IReadOnlyList<ReportCell>)
        [
            new ReportCell($"{line.Key} {matrix.LikelihoodLabels[line.Key - 1]}"),
            .. line.OrderBy(c => c.Consequence).Select(c => ReportCell.Of(Band(settings, c.Value,
                c.Numbers.Count == 0 ? c.Band.Name : $"{c.Band.Name}: {string.Join(", ", c.Numbers.Select(n => n.ToString(SwedishFormat.Culture)))}"))),
        ]).ToList();
        return new ReportTable(caption, columns, rows);
    }

    private async Task<Data> LoadAsync(int year, CancellationToken cancellationToken)
    {
        if (_data is { } known)
        {
            return known;
        }

        var settings = await RiskSettingsEditing.ScaleAsync(db, tenant.TenantId, cancellationToken);
        var sees = await UnitScope.SeesManyAsync(tenant, db, cancellationToken);
        var plans = (await db.ControlPlans.AsNoTracking().Where(p => p.Year == year).Include(p => p.Risks)
            .Include(p => p.Actions).ThenInclude(a => a.Results).Include(p => p.Actions).ThenInclude(a => a.Measures).AsSplitQuery()
            .ToListAsync(cancellationToken)).Where(p => sees(p.UnitId)).ToList();
        var riskIds = plans.SelectMany(p => p.Risks.Select(r => r.RiskId).Concat(p.Actions.Where(a => a.RiskId != null).Select(a => a.RiskId!.Value))).Distinct().ToList();
        var risks = riskIds.Count == 0 ? [] : await db.Risks.AsNoTracking().Where(r => riskIds.Contains(r.Id)).Include(r => r.Assessments).ToDictionaryAsync(r => r.Id, cancellationToken);
        var periods = await db.Periods.AsNoTracking().ToDictionaryAsync(p => p.Id, cancellationToken);
        // Measures of earlier years' plans that are still open, or were done during this year: the carried ones.
        var yearStart = new DateOnly(year, 1, 1);
        var earlier = (await (from m in db.ControlMeasures.AsNoTracking()
                              join a in db.ControlActions.AsNoTracking() on m.ActionId equals a.Id
                              join p in db.ControlPlans.AsNoTracking() on a.PlanId equals p.Id
                              where p.Year < year && (m.Status != MeasureStatus.Done || m.DoneOn == null || m.DoneOn >= yearStart)
                              select new { Measure = m, Action = a, p.Year, p.UnitId }).ToListAsync(cancellationToken))
            .Where(x => sees(x.UnitId)).Select(x => (x.Measure, x.Action, x.Year, x.UnitId)).ToList();
        var units = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        return _data = new Data(settings, plans, risks, periods, earlier, units, sees);
    }
}
