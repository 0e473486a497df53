using Kedja.Data;
using Kedja.Domain;
using Kedja.Domain.Assignments;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Reports;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Reports;

/// <summary>
/// The assignments section of a report (uppdragsredovisning, ADR 46): the assignments the covered units carry or gave,
/// by giver and responsible unit, with the decision, what is due, the status and the latest report; overdue ones
/// marked; those closed during the period apart. Only what the person who ordered the report sees
/// (<see cref="UnitScope.SeesManyAsync"/> on the responsible or the giving unit); reports of follow-ups not yet
/// submitted are shown as the goal sections show assessments.
/// </summary>
public sealed class AssignmentSections(KedjaDbContext db, TenantContext tenant, TimeProvider clock)
{
    public const string NoneSeen = "Den som beställde rapporten får inte se uppdragen för någon av rapportens enheter.";

    public async Task<List<ReportBlock>> BuildAsync(List<CoveredUnit> covered, FollowUpPeriod period, CancellationToken cancellationToken)
    {
        var sees = await UnitScope.SeesManyAsync(tenant, db, cancellationToken);
        var ids = covered.Select(u => u.Id).ToHashSet();
        // The council's and the board's own assignments may have no giving unit: they belong to a report of the council or the board.
        var givers = new List<AssignmentGiver>();
        if (covered.Any(u => u.Kind == UnitKind.Council))
        {
            givers.Add(AssignmentGiver.Council);
        }

        if (covered.Any(u => u.Kind == UnitKind.ExecutiveBoard))
        {
            givers.Add(AssignmentGiver.ExecutiveBoard);
        }

        if (!covered.Any(u => sees(u.Id)))
        {
            return [new ReportParagraph(NoneSeen)];
        }

        var end = period.EndDate;
        var all = (await db.Assignments.AsNoTracking().Include(a => a.Reports).Where(a => a.DecidedOn <= end).ToListAsync(cancellationToken))
            .Where(a => ids.Contains(a.ResponsibleUnitId) || (a.GiverUnitId is { } g ? ids.Contains(g) : givers.Contains(a.Giver)))
            .Where(a => sees(a.ResponsibleUnitId) || (a.GiverUnitId is { } g && sees(g)))
            .ToList();
        var periods = await db.Periods.AsNoTracking().ToDictionaryAsync(p => p.Id, cancellationToken);
        var units = await db.Units.AsNoTracking().Select(u => new { u.Id, u.Name, u.SortOrder }).ToDictionaryAsync(u => u.Id, cancellationToken);
        var today = Deadlines.Today(clock);
        DateOnly? DueOn(Assignment a) => AssignmentDue.DueOn(a, p => periods.TryGetValue(p, out var found) ? found.EndDate : null);

        // Open at the period's end: not closed, or closed only after it. Closed during the period: listed apart.
        var current = all.Where(a => !AssignmentDue.IsClosed(a.Status) || a.ClosedOn is not { } closed || closed > end).ToList();
        var closedInPeriod = all.Where(a => AssignmentDue.IsClosed(a.Status) && a.ClosedOn is { } closed && closed >= period.StartDate && closed <= end).ToList();
        var overdue = current.Count(a => AssignmentDue.IsOverdue(a, DueOn(a), today));
        var blocks = new List<ReportBlock>
        {
            new ReportParagraph(current.Count == 0 && closedInPeriod.Count == 0
                ? $"Inga uppdrag att redovisa för {period.Name}."
                : $"{Plural(current.Count, "uppdrag är", "uppdrag är")} aktuella vid periodens slut, varav {Plural(overdue, "försenat", "försenade")}. "
                  + $"{Plural(closedInPeriod.Count, "uppdrag", "uppdrag")} avslutades under {period.Name}."),
        };

        var compare = StringComparer.Create(SwedishFormat.Culture, false);
        string GiverName(Assignment a) => a.GiverUnitId is { } g && units.TryGetValue(g, out var u) ? u.Name : AssignmentNames.Swedish(a.Giver);
        string UnitName(Guid id) => units.TryGetValue(id, out var u) ? u.Name : "–";
        foreach (var giver in current.GroupBy(a => (a.Giver, a.GiverUnitId)).OrderBy(g => g.Key.Giver).ThenBy(g => GiverName(g.First()), compare))
        {
            var name = GiverName(giver.First());
            blocks.Add(new ReportHeading(2, $"Uppdrag från {name}"));
            foreach (var responsible in giver.GroupBy(a => a.ResponsibleUnitId).OrderBy(g => units.TryGetValue(g.Key, out var u) ? u.SortOrder : 0).ThenBy(g => UnitName(g.Key), compare))
            {
                blocks.Add(new ReportTable($"Från {name} till {UnitName(responsible.Key)}",
                    [new ReportColumn("Nr", CellKind.Text, 1), new ReportColumn("Uppdrag", CellKind.Text, 3), new ReportColumn("Beslut", CellKind.Text, 1.7),
                     new ReportColumn("Klart senast", CellKind.Text, 1.7), new ReportColumn("Status", CellKind.Status, 2), new ReportColumn("Senaste rapport", CellKind.Text, 2.8)],
                    [.. responsible.OrderBy(a => a.Number).Select(a =>
                    {
                        var due = DueOn(a);
                        var late = AssignmentDue.IsOverdue(a, due, today);
                        return (IReadOnlyList<ReportCell>)
                        [
                            new ReportCell(a.Number.ToString(SwedishFormat.Culture)), new ReportCell(Described(a)), new ReportCell(Decision(a)),
                            ReportCell.Of(due is { } d ? Date(d) + (late ? " (försenat)" : "") : null), ReportCell.Of(Status(a, late)), ReportCell.Of(Latest(a, periods, end)),
                        ];
                    })]));
            }
        }

        if (closedInPeriod.Count > 0)
        {
            blocks.Add(new ReportHeading(2, $"Avslutade under {period.Name}"));
            blocks.Add(new ReportTable($"Uppdrag som avslutades under {period.Name}",
                [new ReportColumn("Nr", CellKind.Text, 0.9), new ReportColumn("Uppdrag", CellKind.Text, 3), new ReportColumn("Givet av och till", CellKind.Text, 3),
                 new ReportColumn("Avslutat", CellKind.Text, 2.4), new ReportColumn("Status", CellKind.Status, 2.9)],
                [.. closedInPeriod.OrderBy(a => a.ClosedOn).ThenBy(a => a.Number).Select(a => (IReadOnlyList<ReportCell>)
                [
                    new ReportCell(a.Number.ToString(SwedishFormat.Culture)), new ReportCell(Described(a)), new ReportCell($"{GiverName(a)} till {UnitName(a.ResponsibleUnitId)}"),
                    new ReportCell(string.Join(", ", new[] { a.ClosedOn is { } c ? Date(c) : null, a.ClosedBy }.Where(s => !string.IsNullOrWhiteSpace(s)))),
                    ReportCell.Of(Status(a, late: false, reason: true)),
                ])]));
        }

        return blocks;
    }

    private static string Plural(int n, string one, string many) => $"{n.ToString("N0", SwedishFormat.Culture)} {(n == 1 ? one : many)}";

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", SwedishFormat.Culture);

    private static string Described(Assignment a) =>
        string.IsNullOrWhiteSpace(a.Text) || a.Text.Trim() == a.Title.Trim() ? a.Title.Trim() : $"{a.Title.Trim()}: {a.Text.Trim()}";

    /// <summary>"2026-02-20, §&#160;12": the paragraph's sign stays with its number.</summary>
    private static string Decision(Assignment a) =>
        string.IsNullOrWhiteSpace(a.DecisionParagraph) ? Date(a.DecidedOn) : $"{Date(a.DecidedOn)}, {a.DecisionParagraph.Trim().Replace("§ ", "§\u00a0", StringComparison.Ordinal)}";

    private static ReportStatus Status(Assignment a, bool late, bool reason = false)
    {
        var (colour, symbol) = AssignmentNames.Signal(a.Status);
        var label = AssignmentNames.Swedish(a.Status) + (late ? ", försenat" : "")
            + (reason && a.Status == AssignmentStatus.NotDone && !string.IsNullOrWhiteSpace(a.StatusReason) ? $" ({a.StatusReason.Trim()})" : "");
        return new ReportStatus(a.Status.ToString(), label, symbol, colour);
    }

    /// <summary>The latest report written for a period ending by the report's period's end: "Tertial 2 2026 (Pågår): …".</summary>
    private static string? Latest(Assignment a, Dictionary<Guid, FollowUpPeriod> periods, DateOnly end)
    {
        var latest = a.Reports.Where(r => periods.TryGetValue(r.PeriodId, out var p) && p.EndDate <= end).OrderBy(r => periods[r.PeriodId].EndDate).LastOrDefault();
        return latest is null ? null : $"{periods[latest.PeriodId].Name} ({AssignmentNames.Swedish(latest.Status).ToLower(SwedishFormat.Culture)}): {latest.Text.Trim()}";
    }
}
