using Kedja.Data;
using Kedja.Domain;
using Kedja.Domain.Charts;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Goals;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Reports;
using Kedja.Web.Budget;
using Kedja.Web.FollowUp;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Kedja.Web.Ui;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Reports;

/// <summary>Which units a report covers, from the one it is ordered for.</summary>
public enum ReportScope
{
    /// <summary>The unit alone.</summary>
    Unit,

    /// <summary>The unit and the units directly below it: the council and its committees, a committee and its administration.</summary>
    Children,

    /// <summary>The unit and every unit below it.</summary>
    All,
}

/// <param name="PeriodKey">"2026-T2"; without one, the period being followed up now.</param>
/// <param name="TemplateKey">One of the tenant's templates (<see cref="ReportTemplates"/>).</param>
public sealed record ReportRequest(Guid UnitId, string? PeriodKey, string TemplateKey, ReportScope Scope = ReportScope.Unit);

/// <summary>
/// Builds a report's content (<see cref="ReportDocument"/>) from the scorecards of the units it covers, through the
/// same <see cref="Scorecards"/> service as the scorecard page and the API: a report never disagrees with the screen.
/// Runs inside a tenant (the request's or a job's entered one); what it reads is what that member may read.
/// </summary>
public sealed class ReportBuilder(KedjaDbContext db, Scorecards scorecards, ReportTemplates templates, TimeProvider clock, TenantContext tenant)
{
    public const string UnitMissing = "Enheten finns inte.";

    private const string OutsideFulfilment = "Ingår inte i måluppfyllelsen.";

    private sealed record UnitRow(Guid Id, Guid? ParentId, string Name, UnitKind Kind, int SortOrder);

    /// <summary>One unit's card in the report, with its place in the tree (0 for the unit ordered for).</summary>
    private sealed record Card(UnitRow Unit, int Depth, ScorecardDto Scorecard);

    /// <param name="progress">Told the share done (0-1) after each unit read: reading is most of a report's time.</param>
    public async Task<ServiceResult<ReportDocument>> BuildAsync(ReportRequest request, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var template = await templates.GetAsync(request.TemplateKey, cancellationToken);
        if (template.Error is { } noTemplate)
        {
            return ServiceError.Invalid("templateKey", noTemplate.Message);
        }

        if (!string.IsNullOrEmpty(request.PeriodKey) && FollowUpCalendar.ParseKey(request.PeriodKey).Error is { } malformed)
        {
            return malformed;
        }

        var found = FollowUpCalendar.FindOrCurrent(await db.Periods.AsNoTracking().ToListAsync(cancellationToken), request.PeriodKey, clock);
        if (found.Value is not { } period)
        {
            return found.Error!;
        }

        var now = await db.Units.AsNoTracking().Select(u => new UnitRow(u.Id, u.ParentId, u.Name, u.Kind, u.SortOrder)).ToListAsync(cancellationToken);
        if (now.FirstOrDefault(u => u.Id == request.UnitId) is null)
        {
            return ServiceError.NotFound(UnitMissing);
        }

        // The tree and names as at the period's end (review 16 finding 15): a unit moved or renamed later stands where and
        // as it was in a report of an earlier period, budget section included. A unit ordered for that did not exist then
        // is reported from its place today.
        var then = (await Kedja.Web.Organisation.OrganisationHistory.ReadAsync(db, cancellationToken)).At(period.EndDate);
        var units = then.ContainsKey(request.UnitId)
            ? [.. now.Where(u => then.ContainsKey(u.Id)).Select(u => u with { ParentId = then[u.Id].ParentId, Name = then[u.Id].Name, Kind = then[u.Id].Kind })]
            : now;
        var root = units.Single(u => u.Id == request.UnitId);

        var t = template.Value!;
        var covered = Covered(units, root, request.Scope);
        var cards = new List<Card>();
        // A report of internal control or assignments alone reads no scorecard.
        var readCards = t.Sections.Any(s => SectionKinds.FromScorecards.Contains(s.Kind));
        for (var i = 0; readCards && i < covered.Count; i++)
        {
            var (unit, depth) = covered[i];
            var card = await scorecards.ForUnitAsync(unit.Id, period, cancellationToken);
            if (card.Value is { } c && (depth == 0 || HasContent(c)))
            {
                cards.Add(new Card(unit, depth, c));
            }

            progress?.Report((i + 1) / (double)covered.Count);
        }

        var agenda = t.Has(SectionKinds.Agenda2030) ? await Agenda2030Async(cards, cancellationToken) : [];
        var budget = t.Has(SectionKinds.Budget) ? await BudgetAsync(cards, period, cancellationToken) : [];
        // In a report with a section for the companies, they report there and not among the administration's goals.
        var companies = t.Has(SectionKinds.Companies) ? cards.Where(c => c.Unit.Kind == UnitKind.Company && c.Depth > 0).ToList() : [];
        var others = cards.Except(companies).ToList();
        var coveredUnits = covered.Select(c => new CoveredUnit(c.Unit.Id, c.Unit.ParentId, c.Unit.Name, c.Unit.Kind, c.Depth)).ToList();
        var control = new InternalControlSections(db, tenant, clock);
        var sections = new List<ReportSection>();
        foreach (var s in t.Sections)
        {
            sections.Add(new ReportSection(s.Kind, s.Heading, s.Kind switch
            {
                SectionKinds.Summary => Summary(others, period),
                SectionKinds.Goals => GoalSections(others, multiple: others.Count > 1),
                SectionKinds.Scorecard => ScorecardSection(others),
                SectionKinds.Programs => ProgramSection(others),
                SectionKinds.BasicMission => BasicMissionSection(others),
                SectionKinds.Budget => budget,
                SectionKinds.Agenda2030 => agenda,
                SectionKinds.Companies => CompanySection(companies, period),
                SectionKinds.InternalControlPlan => await control.PlanAsync(coveredUnits, period, cancellationToken),
                SectionKinds.InternalControl => await control.FollowUpAsync(coveredUnits, period, cancellationToken),
                SectionKinds.InternalControlSummary => await control.SummaryAsync(coveredUnits, EveryUnit(units, root), period, cancellationToken),
                SectionKinds.Assignments => await new AssignmentSections(db, tenant, clock).BuildAsync(coveredUnits, period, cancellationToken),
                _ => [],
            }));
        }

        // Closed years (h145): a card corrected after closing is marked, with the reason, in a note of its own.
        if (await Periods.PeriodCorrections.ReportSectionAsync(db, [.. cards.Select(c => c.Unit.Id)], period, cancellationToken) is { } corrected)
        {
            sections.Add(corrected);
        }

        // A plan is the year's: its title names the year, whichever period it was ordered for.
        var yearly = t.Sections.All(s => s.Kind == SectionKinds.InternalControlPlan);
        var label = yearly ? period.Year.ToString(SwedishFormat.Culture) : PeriodLabel(period);
        return new ReportDocument($"{t.Name} {label}", root.Name, tenant.Name, yearly ? label : period.Name, clock.GetUtcNow(), sections);
    }

    /// <summary>Every unit of the tenant, the one ordered for first: what the executive board oversees.</summary>
    private static List<CoveredUnit> EveryUnit(List<UnitRow> units, UnitRow root)
    {
        var depth = new Dictionary<Guid, int>();
        int DepthOf(UnitRow u) => depth.TryGetValue(u.Id, out var d) ? d : depth[u.Id] = u.ParentId is { } p && units.FirstOrDefault(x => x.Id == p) is { } parent ? DepthOf(parent) + 1 : 0;
        return [new CoveredUnit(root.Id, root.ParentId, root.Name, root.Kind, 0),
            .. Tree(units).Where(u => u.Id != root.Id).Select(u => new CoveredUnit(u.Id, u.ParentId, u.Name, u.Kind, DepthOf(u)))];
    }

    /// <summary>The units in the organisation's order: each followed by those below it.</summary>
    private static List<UnitRow> Tree(List<UnitRow> units)
    {
        var children = units.Where(u => u.ParentId != null).ToLookup(u => u.ParentId!.Value);
        var ordered = new List<UnitRow>();
        void Visit(UnitRow u)
        {
            ordered.Add(u);
            foreach (var child in children[u.Id].OrderBy(c => c.SortOrder).ThenBy(c => c.Name, StringComparer.Create(SwedishFormat.Culture, false)))
            {
                Visit(child);
            }
        }

        foreach (var top in units.Where(u => u.ParentId == null || units.All(x => x.Id != u.ParentId)).OrderBy(u => u.SortOrder))
        {
            Visit(top);
        }

        return ordered;
    }

    private static string PeriodLabel(FollowUpPeriod period) => period.Kind == PeriodKind.Year ? period.Year.ToString(SwedishFormat.Culture) : period.Name;

    private static List<(UnitRow Unit, int Depth)> Covered(List<UnitRow> units, UnitRow root, ReportScope scope)
    {
        var children = units.Where(u => u.ParentId != null).ToLookup(u => u.ParentId!.Value);
        var covered = new List<(UnitRow, int)>();
        void Visit(UnitRow unit, int depth)
        {
            covered.Add((unit, depth));
            if (scope == ReportScope.All || (scope == ReportScope.Children && depth == 0))
            {
                foreach (var child in children[unit.Id].OrderBy(u => u.SortOrder).ThenBy(u => u.Name, StringComparer.Create(SwedishFormat.Culture, false)))
                {
                    Visit(child, depth + 1);
                }
            }
        }

        Visit(root, 0);
        return covered;
    }

    /// <summary>
    /// A unit below the one ordered for is in the report when it has something to report this period: goals followed
    /// up in it (a company's goals only when the period closes the year), a program or the basic mission.
    /// </summary>
    private static bool HasContent(ScorecardDto card) =>
        card.Groups.SelectMany(g => g.Goals).Any(g => g.Explanation is not UnitNotFollowedUp) || card.Programs.Count > 0 || card.BasicMission.Count > 0;

    private static IEnumerable<ScorecardGoalDto> FollowedGoals(Card card) =>
        card.Scorecard.Groups.SelectMany(g => g.Goals).Where(g => g.Explanation is not UnitNotFollowedUp);

    private static ReportStatus Status(StatusDto status) => new(status.Key, Html.Label(status), status.Symbol, status.Colour);

    private static List<ReportBlock> Summary(List<Card> cards, FollowUpPeriod period)
    {
        var scale = cards.SelectMany(c => c.Scorecard.Scale).DistinctBy(s => s.Key).ToList();
        // Each goal with its group, so that its perspective is known without searching the card for it again.
        var goals = cards.SelectMany(c => c.Scorecard.Groups.SelectMany(group => group.Goals.Where(g => g.Explanation is not UnitNotFollowedUp)
            .Select(g => (Card: c, Group: group, Goal: g)))).ToList();
        var blocks = new List<ReportBlock>();
        if (goals.Count == 0)
        {
            blocks.Add(new ReportParagraph($"Inga mål följs upp för {period.Name}."));
            return blocks;
        }

        var met = scale.FirstOrDefault();
        blocks.Add(new ReportParagraph(cards.Count == 1
            ? $"{cards[0].Unit.Name} följer upp {Count(goals.Count, "mål", "mål")} för {period.Name}."
            : $"Rapporten omfattar {Count(cards.Count, "enhet", "enheter")} med {Count(goals.Count, "mål", "mål")} som följs upp för {period.Name}."));
        var steps = scale.Select(s => new FulfilmentStep(s.Key, Html.Label(s), s.Colour, s.Symbol)).ToList();
        blocks.Add(new ReportTable("Målen per status",
            [new ReportColumn("Status", CellKind.Status, 2), new ReportColumn("Antal mål", CellKind.Number), new ReportColumn("Andel", CellKind.Percent)],
            [.. scale.Select(s =>
            {
                var n = goals.Count(g => g.Goal.Status.Key == s.Key);
                return (IReadOnlyList<ReportCell>)[ReportCell.Of(Status(s)), ReportCell.Of(n, 0), ReportCell.Share(n / (decimal)goals.Count)];
            })]));

        // Per perspective or area across the units, in the order the units' cards name them.
        var label = cards.SelectMany(c => c.Scorecard.Groups).FirstOrDefault()?.DimensionLabel ?? "Perspektiv";
        var anyDimension = goals.Any(g => g.Goal.DimensionId is not null);
        var byDimension = goals.GroupBy(g => !anyDimension ? "Alla mål" : g.Group.DimensionId is null ? "Övriga mål" : g.Group.Name).Select(x => (x.Key, x.Select(g => g.Goal.Status.Key))).ToList();
        var chart = FulfilmentChart.Of($"Måluppfyllelse per {label.ToLowerInvariant()}, {period.Name}", steps, byDimension);
        blocks.Add(new ReportChart(chart, Says(chart), label));
        if (cards.Count > 1)
        {
            var byUnit = FulfilmentChart.Of($"Måluppfyllelse per enhet, {period.Name}", steps,
                cards.Where(c => FollowedGoals(c).Any()).Select(c => (c.Unit.Name, FollowedGoals(c).Select(g => g.Status.Key))));
            blocks.Add(new ReportChart(byUnit, Says(byUnit), "Enhet"));
        }

        if (met is not null)
        {
            var share = goals.Count(g => g.Goal.Status.Key == met.Key) / (decimal)goals.Count;
            blocks.Add(new ReportParagraph($"{SwedishFormat.Percent(share)} av målen har status {Html.Label(met).ToLowerInvariant()}."));
        }

        return blocks;
    }

    private static string Says(FulfilmentChart chart) =>
        string.Join("; ", chart.Rows.Where(r => r.Total > 0).Select(r =>
            $"{r.Name}: {string.Join(", ", r.Counts.Select((n, i) => (n, i)).Where(x => x.n > 0).Select(x => $"{chart.Steps[x.i].Label.ToLowerInvariant()} {x.n}"))}")) + ".";

    private static string Count(int n, string one, string many) => $"{n.ToString("N0", SwedishFormat.Culture)} {(n == 1 ? one : many)}";

    private static List<ReportBlock> GoalSections(List<Card> cards, bool multiple)
    {
        var blocks = new List<ReportBlock>();
        var level = multiple ? 3 : 2;
        foreach (var card in cards)
        {
            var groups = card.Scorecard.Groups.Select(g => (Group: g, Goals: g.Goals.Where(x => x.Explanation is not UnitNotFollowedUp).ToList())).Where(g => g.Goals.Count > 0).ToList();
            if (groups.Count == 0 && multiple)
            {
                continue;
            }

            if (multiple)
            {
                if (blocks.Count > 0)
                {
                    blocks.Add(new ReportPageBreak());
                }

                blocks.Add(new ReportHeading(2, card.Unit.Name));
            }

            if (groups.Count == 0)
            {
                blocks.Add(new ReportParagraph($"{card.Unit.Name} har inga mål som följs upp för {card.Scorecard.PeriodName}."));
            }

            foreach (var (group, goals) in groups)
            {
                blocks.Add(new ReportHeading(level, group.DimensionId is null ? (groups.Count == 1 ? "Mål" : "Övriga mål") : group.Name));
                foreach (var goal in goals)
                {
                    Goal(blocks, goal, Math.Min(level + 1, 4), card.Scorecard.PeriodKey);
                }
            }
        }

        return blocks;
    }

    private static void Goal(List<ReportBlock> blocks, ScorecardGoalDto goal, int level, string periodKey)
    {
        blocks.Add(new ReportHeading(level, string.IsNullOrWhiteSpace(goal.Code) ? goal.Title : $"{goal.Code} {goal.Title}"));
        blocks.Add(new ReportStatusLine(goal.IsManual ? "Bedömning" : "Status", Status(goal.Status), goal.Explanation.Swedish));
        if (goal.Assessment is { } a)
        {
            if (a.DeviatesFromRule && goal.Suggested.Key != goal.Status.Key)
            {
                blocks.Add(new ReportParagraph($"Bedömningen avviker från regeln, som ger {Html.Label(goal.Suggested).ToLowerInvariant()}.", ParagraphKind.Note));
            }

            if (a.BasedOnForecast)
            {
                blocks.Add(new ReportParagraph(new AssessmentBasedOnForecast().Swedish, ParagraphKind.Note));
            }

            AddField(blocks, "Motivering", a.Motivation);
            AddField(blocks, "Analys", a.Analysis);
            AddField(blocks, a.ActionsClosedAt is null ? "Åtgärder" : "Åtgärder (avslutade)", a.Actions);
        }

        if (goal.Indicators.Count > 0)
        {
            blocks.Add(IndicatorTable($"Indikatorer för målet {goal.Code ?? goal.Title}".Trim(), goal.Indicators, periodKey));
        }

        if (goal.Activities.Count > 0)
        {
            blocks.Add(ActivityTable($"Aktiviteter för målet {goal.Code ?? goal.Title}".Trim(), goal.Activities));
        }

        if (goal.Deviations.Count > 0)
        {
            blocks.Add(new ReportTable($"Mål under {goal.Code ?? goal.Title} som inte är uppfyllda",
                [new ReportColumn("Mål", CellKind.Text, 3), new ReportColumn("Enhet", CellKind.Text, 2), new ReportColumn("Status", CellKind.Status, 1.5),
                 new ReportColumn("Analys", CellKind.Text, 3), new ReportColumn("Åtgärder", CellKind.Text, 3)],
                [.. goal.Deviations.Select(d => (IReadOnlyList<ReportCell>)[new ReportCell(string.IsNullOrWhiteSpace(d.Code) ? d.Title : $"{d.Code} {d.Title}"),
                    new ReportCell(d.Unit), ReportCell.Of(Status(d.Status)), ReportCell.Of(d.Analysis), ReportCell.Of(d.Actions)])]));
        }
    }

    private static void AddField(List<ReportBlock> blocks, string label, string? text)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            blocks.Add(new ReportField(label, text.Trim()));
        }
    }

    private static readonly ReportColumn[] IndicatorColumns =
    [
        new("Indikator", CellKind.Text, 3), new("Målvärde", CellKind.Number), new("Utfall", CellKind.Number), new("Samma period i fjol", CellKind.Number),
        new("Trend", CellKind.Text), new("Status", CellKind.Status, 1.5),
    ];

    /// <param name="periodKey">The report's period: an outcome of another period (a yearly figure in a tertial) is named with its own.</param>
    private static ReportTable IndicatorTable(string caption, IEnumerable<ScorecardIndicatorDto> indicators, string periodKey)
    {
        var table = new ReportTable(caption, IndicatorColumns, [.. indicators.Select(i => (IReadOnlyList<ReportCell>)
        [
            new ReportCell(string.IsNullOrWhiteSpace(i.OutcomePeriod) || i.OutcomePeriod == periodKey ? i.Name : $"{i.Name} ({PeriodName(i.OutcomePeriod)})"),
            Target(i), Figure(i.Outcome, i.UnitOfMeasure), Figure(i.LastYear, i.UnitOfMeasure), Trend(i), ReportCell.Of(Status(i.Status)),
        ])]);
        return WithForecasts(table, [.. indicators]);
    }

    // Full-year forecasts (issue 16, h143): a table whose indicators have forecasts gets the forecast, its status and comment.
    private static readonly ReportColumn[] ForecastColumns =
        [new("Prognos helår", CellKind.Number), new("Prognosstatus", CellKind.Status, 1.5), new("Kommentar till prognosen", CellKind.Text, 2.5)];

    private static ReportTable WithForecasts(ReportTable table, List<ScorecardIndicatorDto> indicators)
    {
        if (!indicators.Any(i => i.Forecast is not null))
        {
            return table;
        }

        return table with
        {
            Columns = [.. table.Columns, .. ForecastColumns],
            Rows = [.. table.Rows.Zip(indicators, (row, i) => (IReadOnlyList<ReportCell>)[.. row,
                i.Forecast is { } f ? Figure(f.Value, i.UnitOfMeasure) : ReportCell.Empty,
                i.Forecast?.Status is { } status ? ReportCell.Of(Status(status)) : i.Forecast is { } said ? new ReportCell(said.Explanation.Swedish) : ReportCell.Empty,
                ReportCell.Of(i.Forecast?.Comment)])],
        };
    }

    private static string PeriodName(string key) => PeriodRef.TryParse(key, out var period) ? period.Label : key;

    private static ReportCell Figure(decimal? value, string unitOfMeasure) => ReportCell.Of(value, Decimals(value), unitOfMeasure);

    /// <summary>As the scorecard page writes figures: the value's own decimals, at most two.</summary>
    private static int Decimals(decimal? value) => value is { } v ? Math.Min((int)(Math.Round(v, 2) / 1.0000000000000000000000000000m).Scale, 2) : 0;

    private static ReportCell Target(ScorecardIndicatorDto i) =>
        i.Target is not null ? Figure(i.Target, i.UnitOfMeasure)
        : i.TargetMin is { } min && i.TargetMax is { } max ? new ReportCell($"{SwedishFormat.Number(min, Decimals(min))}–{SwedishFormat.Number(max, Decimals(max))} {i.UnitOfMeasure}".Trim())
        : ReportCell.Empty;

    /// <summary>The outcome against the same period a year before, in words beside the arrow.</summary>
    private static ReportCell Trend(ScorecardIndicatorDto i) => (i.Outcome, i.LastYear) switch
    {
        ({ } now, { } before) when now > before => new ReportCell("↑ Högre än i fjol"),
        ({ } now, { } before) when now < before => new ReportCell("↓ Lägre än i fjol"),
        ({ }, { }) => new ReportCell("→ Som i fjol"),
        _ => ReportCell.Empty,
    };

    private static ReportTable ActivityTable(string caption, IEnumerable<ScorecardActivityDto> activities) =>
        new(caption,
            [new ReportColumn("Aktivitet", CellKind.Text, 3), new ReportColumn("Ansvarig", CellKind.Text, 2), new ReportColumn("Tid", CellKind.Text, 1.5),
             new ReportColumn("Status", CellKind.Text), new ReportColumn("Klart", CellKind.Percent), new ReportColumn("Kommentar", CellKind.Text, 3)],
            [.. activities.Select(a => (IReadOnlyList<ReportCell>)
            [
                new ReportCell(a.Title), new ReportCell(a.ResponsibleUnit), ReportCell.Of(Dates(a.StartDate, a.EndDate)), new ReportCell(a.StatusName),
                ReportCell.Share(a.Progress / 100m), ReportCell.Of(a.Comment),
            ])]);

    private static string? Dates(DateOnly? start, DateOnly? end) => (start, end) switch
    {
        (null, null) => null,
        _ => $"{start?.ToString("yyyy-MM-dd", SwedishFormat.Culture) ?? ""}–{end?.ToString("yyyy-MM-dd", SwedishFormat.Culture) ?? ""}",
    };

    private static List<ReportBlock> ScorecardSection(List<Card> cards)
    {
        var blocks = new List<ReportBlock>();
        foreach (var card in cards)
        {
            var goals = FollowedGoals(card).ToList();
            if (goals.Count == 0)
            {
                continue;
            }

            blocks.Add(new ReportHeading(2, card.Unit.Name));
            foreach (var group in card.Scorecard.Groups)
            {
                var rows = group.Goals.Where(g => g.Explanation is not UnitNotFollowedUp).ToList();
                if (rows.Count == 0)
                {
                    continue;
                }

                blocks.Add(new ReportTable(group.DimensionId is null ? $"{card.Unit.Name}: mål" : $"{card.Unit.Name}: {group.Name}",
                    [new ReportColumn("Mål", CellKind.Text, 3), new ReportColumn("Status", CellKind.Status, 1.5), new ReportColumn("Förklaring", CellKind.Text, 4)],
                    [.. rows.Select(g => (IReadOnlyList<ReportCell>)[new ReportCell(string.IsNullOrWhiteSpace(g.Code) ? g.Title : $"{g.Code} {g.Title}"),
                        ReportCell.Of(Status(g.Status)), ReportCell.Of(g.Explanation.Swedish)])]));
                var indicators = rows.SelectMany(g => g.Indicators).ToList();
                if (indicators.Count > 0)
                {
                    blocks.Add(IndicatorTable($"{card.Unit.Name}: indikatorer, {(group.DimensionId is null ? "mål" : group.Name)}", indicators, card.Scorecard.PeriodKey));
                }
            }
        }

        return blocks;
    }

    private static List<ReportBlock> ProgramSection(List<Card> cards)
    {
        var blocks = new List<ReportBlock> { new ReportParagraph(OutsideFulfilment, ParagraphKind.Note) };
        var any = false;
        foreach (var card in cards.Where(c => c.Scorecard.Programs.Count > 0))
        {
            foreach (var program in card.Scorecard.Programs)
            {
                any = true;
                blocks.Add(new ReportHeading(2, cards.Count > 1 ? $"{program.Name} – {card.Unit.Name}" : program.Name));
                if (program.Indicators.Count > 0)
                {
                    blocks.Add(IndicatorTable($"Indikatorer i {program.Name}", program.Indicators, card.Scorecard.PeriodKey));
                }

                if (program.Activities.Count > 0)
                {
                    blocks.Add(ActivityTable($"Aktiviteter i {program.Name}", program.Activities));
                }
            }
        }

        if (!any)
        {
            blocks.Add(new ReportParagraph("Inga program eller planer följs upp i perioden."));
        }

        return blocks;
    }

    private static List<ReportBlock> BasicMissionSection(List<Card> cards)
    {
        var blocks = new List<ReportBlock> { new ReportParagraph(OutsideFulfilment, ParagraphKind.Note) };
        var with = cards.Where(c => c.Scorecard.BasicMission.Count > 0).ToList();
        foreach (var card in with)
        {
            if (cards.Count > 1)
            {
                blocks.Add(new ReportHeading(2, card.Unit.Name));
            }

            blocks.Add(IndicatorTable($"Grunduppdragets indikatorer, {card.Unit.Name}", card.Scorecard.BasicMission, card.Scorecard.PeriodKey));
        }

        if (with.Count == 0)
        {
            blocks.Add(new ReportParagraph("Inga indikatorer för grunduppdraget följs upp i perioden."));
        }

        return blocks;
    }

    private async Task<List<ReportBlock>> BudgetAsync(List<Card> cards, FollowUpPeriod period, CancellationToken cancellationToken)
    {
        var ids = cards.Select(c => c.Unit.Id).ToList();
        var frames = await db.RealBudgetFrames().AsNoTracking().Include(f => f.Outcomes).Where(f => f.Year == period.Year && ids.Contains(f.UnitId)).ToListAsync(cancellationToken);
        if (frames.Count == 0)
        {
            return [new ReportParagraph($"Ingen budgetram är angiven för {period.Year.ToString(SwedishFormat.Culture)}.")];
        }

        var byUnit = frames.ToDictionary(f => f.UnitId);
        var rows = new List<IReadOnlyList<ReportCell>>();
        foreach (var card in cards.Where(c => byUnit.ContainsKey(c.Unit.Id)))
        {
            var frame = byUnit[card.Unit.Id];
            // The latest outcome reported up to the period's end: a tertial report shows the year to date.
            var outcome = Budget.BudgetPosition.LatestUpTo(frame.Outcomes, period.Ref);
            var expected = Budget.BudgetPosition.Expected(outcome?.Forecast, outcome?.Actual, period.Kind == PeriodKind.Year || period.Ref.ClosesYear);
            var deviation = expected is { } e ? frame.Amount - e : (decimal?)null;
            var explained = outcome?.DeviationExplanation is { } why
                ? $"{why} ({outcome.ExplainedBy}, {(outcome.ExplainedAt is { } at ? Ui.Language.InSweden(at).ToString("d MMM yyyy", SwedishFormat.Culture) : "–")})"
                : null;
            rows.Add([new ReportCell(card.Unit.Name), ReportCell.Of(frame.Amount, 0), ReportCell.Of(outcome?.Actual, 0),
                outcome is null ? ReportCell.Empty : new ReportCell(PeriodName(outcome.PeriodKey)),
                ReportCell.Of(outcome?.Forecast, 0), deviation is { } d ? ReportCell.Of(d, 0) : ReportCell.Empty,
                deviation is { } w ? new ReportCell(w > 0 ? "Överskott" : w < 0 ? "Underskott" : "Ingen avvikelse") : ReportCell.Empty,
                outcome?.ForecastComment is { } comment ? new ReportCell(comment) : ReportCell.Empty,
                explained is null ? ReportCell.Empty : new ReportCell(explained)]);
        }

        return
        [
            new ReportTable($"Budgetram, utfall och prognos {period.Year.ToString(SwedishFormat.Culture)}, tkr",
                [new ReportColumn("Enhet", CellKind.Text, 2), new ReportColumn("Budgetram", CellKind.Number), new ReportColumn("Utfall", CellKind.Number),
                 new ReportColumn("Utfall till och med", CellKind.Text, 1.2), new ReportColumn("Prognos helår", CellKind.Number),
                 new ReportColumn("Avvikelse mot ram", CellKind.Number), new ReportColumn("Över- eller underskott", CellKind.Text, 1.2),
                 new ReportColumn("Kommentar till prognosen", CellKind.Text, 2.5), new ReportColumn("Förklaring till avvikelsen", CellKind.Text, 2.5)],
                rows),
            new ReportParagraph("Avvikelsen är ramen minus prognosen för helåret (vid årets slut minus utfallet): ett positivt tal är ett överskott, ett negativt ett underskott, där prognosen är högre än ramen.", ParagraphKind.Note),
        ];
    }

    private async Task<List<ReportBlock>> Agenda2030Async(List<Card> cards, CancellationToken cancellationToken)
    {
        var goals = cards.SelectMany(c => FollowedGoals(c).Select(g => (Card: c, Goal: g))).ToList();
        var ids = goals.Select(g => g.Goal.Id).ToList();
        // The list of global goals is a column of its own per goal; read only those of the report's goals.
        var served = ids.Count == 0 ? [] : (await db.Goals.AsNoTracking().Where(g => ids.Contains(g.Id)).Select(g => new { g.Id, g.Agenda2030 }).ToListAsync(cancellationToken))
            .Where(g => g.Agenda2030.Count > 0).ToDictionary(g => g.Id, g => g.Agenda2030);
        if (served.Count == 0)
        {
            return [new ReportParagraph("Inga av rapportens mål är kopplade till Agenda 2030.")];
        }

        var rows = goals.Where(g => served.ContainsKey(g.Goal.Id))
            .SelectMany(g => served[g.Goal.Id].Select(n => (Number: n, g.Card, g.Goal)))
            .OrderBy(x => x.Number).ThenBy(x => x.Card.Unit.Name).ThenBy(x => x.Goal.Title)
            .Select(x => (IReadOnlyList<ReportCell>)[new ReportCell($"{x.Number}. {Domain.Goals.Agenda2030.Title(x.Number, SwedishFormat.Culture)}"),
                new ReportCell(string.IsNullOrWhiteSpace(x.Goal.Code) ? x.Goal.Title : $"{x.Goal.Code} {x.Goal.Title}"), new ReportCell(x.Card.Unit.Name), ReportCell.Of(Status(x.Goal.Status))])
            .ToList();
        var count = served.Values.SelectMany(n => n).Distinct().Count();
        return
        [
            new ReportParagraph($"{Count(served.Count, "mål", "mål")} i rapporten bidrar till {Count(count, "globalt mål", "globala mål")} i Agenda 2030."),
            new ReportTable("Mål som bidrar till Agenda 2030",
                [new ReportColumn("Globalt mål", CellKind.Text, 2.5), new ReportColumn("Mål", CellKind.Text, 3), new ReportColumn("Enhet", CellKind.Text, 2), new ReportColumn("Status", CellKind.Status, 1.5)],
                rows),
        ];
    }

    private static List<ReportBlock> CompanySection(List<Card> companies, FollowUpPeriod period)
    {
        var reporting = companies.Where(c => FollowedGoals(c).Any()).ToList();
        if (reporting.Count == 0)
        {
            return [new ReportParagraph(period.Kind == PeriodKind.Year || period.Ref.End.Month == 12
                ? "Inga bolag har mål som följs upp för året."
                : "Bolagen följs upp en gång om året och redovisas i årsredovisningen.")];
        }

        return GoalSections(reporting, multiple: true);
    }
}
