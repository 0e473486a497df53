using Kedja.Data;
using Kedja.Domain.Assignments;
using Kedja.Web.Assignments;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Exchange;

/// <summary>
/// Assignments (uppdrag) in the tenant document (issue 15, ADR 46): read by number, checked with <see cref="AssignmentRules"/>
/// against the document itself, and written with the ids and numbers it gives.
/// </summary>
public static class AssignmentSection
{
    private const string Path = "$.assignments";

    public static async Task<List<AssignmentDoc>> ExportAsync(KedjaDbContext db, IReadOnlyDictionary<Guid, string> periodKeys, CancellationToken cancellationToken)
    {
        var assignments = await db.Assignments.AsNoTracking().Include(a => a.Reports).Include(a => a.Goals).ToListAsync(cancellationToken);
        return [.. assignments.OrderBy(a => a.Number).Select(a => InDocumentOrder(AssignmentEditing.Doc(a, id => periodKeys[id])))];

        // The API's shape, in the document's order: goals and reports by keys that depend only on the data.
        static AssignmentDoc InDocumentOrder(AssignmentDoc doc) => doc with
        {
            GoalIds = [.. doc.GoalIds.OrderBy(TenantExporter.Key)],
            Reports = [.. doc.Reports.OrderBy(r => r.PeriodKey, StringComparer.Ordinal)],
        };
    }

    /// <summary>Every error of the section with its path; units, goals and periods are looked up in the document.</summary>
    public static void Validate(ValidationErrors e, List<AssignmentDoc>? assignments, IReadOnlySet<Guid> units, IReadOnlySet<Guid> goals, IReadOnlySet<string> periods)
    {
        if (assignments is null)
        {
            e.Add(Path, "Uppdragen saknas. Utelämna dem hellre: då har kommunen inga uppdrag.");
            return;
        }

        TenantDocumentValidator.Unique(e, Path, assignments, a => a.Id);
        var references = new AssignmentReferences(units.Contains, goals.Contains, periods.Contains);
        var numbers = new HashSet<int>();
        for (var i = 0; i < assignments.Count; i++)
        {
            AssignmentRules.Check(e, $"{Path}[{i}]", assignments[i], references);
            if (assignments[i].Number > 0 && !numbers.Add(assignments[i].Number))
            {
                e.Add($"{Path}[{i}].number", $"Numret {assignments[i].Number} har redan ett annat uppdrag.");
            }
        }
    }

    /// <summary>Adds the assignments as the document gives them; one without a number gets the next after the document's highest.</summary>
    public static void Add(KedjaDbContext db, List<AssignmentDoc> assignments, IReadOnlyDictionary<string, Guid> periods)
    {
        var next = assignments.Select(a => a.Number).DefaultIfEmpty(0).Max();
        foreach (var a in assignments)
        {
            db.Assignments.Add(new Assignment
            {
                Id = a.Id, Number = a.Number > 0 ? a.Number : ++next, Title = a.Title, Text = a.Text, Giver = a.Giver, GiverUnitId = a.GiverUnitId,
                DecidedOn = a.DecidedOn, DecisionParagraph = a.DecisionParagraph, ResponsibleUnitId = a.ResponsibleUnitId, DueDate = a.DueDate,
                DuePeriodId = a.DuePeriodKey is null ? null : periods[a.DuePeriodKey], Status = a.Status, StatusReason = a.StatusReason, ClosedOn = a.ClosedOn,
                ClosedBy = a.ClosedBy,
                Goals = [.. a.GoalIds.Select(g => new AssignmentGoalLink { AssignmentId = a.Id, GoalId = g })],
                Reports = [.. a.Reports.Select(r => new AssignmentReport
                {
                    AssignmentId = a.Id, PeriodId = periods[r.PeriodKey], Text = r.Text, Status = r.Status, WrittenBy = r.WrittenBy, WrittenAt = r.WrittenAt,
                })],
            });
        }
    }
}
