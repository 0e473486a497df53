using System.Text.Json;
using Kedja.Data;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Periods;

/// <summary>A correction of a locked follow-up as pages, the API, reports and the portal show it.</summary>
/// <param name="Marker">"Rättad 2026-12-01: {reason}", or "Rättelse pågår sedan …" while it is open.</param>
public sealed record CorrectionDto(Guid Id, Guid UnitId, string UnitName, string PeriodKey, string PeriodName, int Number, string Reason, string OpenedBy, DateTime OpenedAt,
    string? ClosedBy, DateTime? ClosedAt, List<CorrectedItem> Changes, string Marker);

/// <summary>Starts a correction of a locked follow-up: the reason, and the workflow's version the client read.</summary>
public sealed record CorrectionStartInput(Guid UnitId, string? PeriodKey, string? Reason, int? Version);

/// <summary>Finishes the open correction of a unit's follow-up, from the workflow's version the client read.</summary>
public sealed record CorrectionFinishInput(Guid UnitId, string? PeriodKey, int? Version);

/// <summary>
/// Corrections after closing (issue 16): the steps are the workflow's (<see cref="WorkflowAction.Correct"/>,
/// <see cref="WorkflowAction.FinishCorrection"/>, through <see cref="FollowUpWorkflow"/>, so the page, the API and the
/// scorecard obey one rule set); this class lists them and says where they are to be marked.
/// </summary>
public sealed class PeriodCorrections(KedjaDbContext db, FollowUpWorkflow workflow, TenantContext tenant)
{
    public Task<ServiceResult<UnitWorkflowDto>> StartAsync(CorrectionStartInput input, CancellationToken cancellationToken = default) =>
        workflow.TransitionAsync(input.UnitId, input.PeriodKey ?? "", new WorkflowInput(WorkflowAction.Correct, input.Reason, input.Version), cancellationToken);

    public Task<ServiceResult<UnitWorkflowDto>> FinishAsync(CorrectionFinishInput input, CancellationToken cancellationToken = default) =>
        workflow.TransitionAsync(input.UnitId, input.PeriodKey ?? "", new WorkflowInput(WorkflowAction.FinishCorrection, null, input.Version), cancellationToken);

    /// <summary>
    /// The tenant's corrections, newest first, optionally of one period or unit. Everyone in the organisation may read
    /// them, as they read the scorecards they are marked on; a redaktör sees those of the units they see.
    /// </summary>
    public async Task<ServiceResult<List<CorrectionDto>>> ListAsync(string? periodKey = null, Guid? unitId = null, CancellationToken cancellationToken = default)
    {
        var query = db.Corrections.AsNoTracking();
        if (!string.IsNullOrEmpty(periodKey))
        {
            var found = await FollowUpCalendar.FindAsync(db.Periods.AsNoTracking(), periodKey, cancellationToken);
            if (found.Value is not { } period)
            {
                return found.Error!;
            }

            query = query.Where(c => c.PeriodId == period.Id);
        }

        if (unitId is { } unit)
        {
            query = query.Where(c => c.UnitId == unit);
        }

        var sees = await UnitScope.SeesManyAsync(tenant, db, cancellationToken);
        var rows = (await query.OrderByDescending(c => c.OpenedAt).Take(500).ToListAsync(cancellationToken)).Where(c => sees(c.UnitId)).ToList();
        return await ToDtosAsync(db, rows, cancellationToken);
    }

    /// <summary>The corrections of one unit's follow-up of a period, oldest first: what its scorecard and reports mark.</summary>
    public static async Task<List<CorrectionDto>> OfAsync(KedjaDbContext db, IReadOnlyCollection<Guid> unitIds, Guid periodId, CancellationToken cancellationToken = default)
    {
        var rows = await db.Corrections.AsNoTracking().Where(c => c.PeriodId == periodId && unitIds.Contains(c.UnitId)).OrderBy(c => c.Number).ToListAsync(cancellationToken);
        return rows.Count == 0 ? [] : await ToDtosAsync(db, rows, cancellationToken);
    }

    /// <summary>For the item history: each audit entry made in a finished correction, with the correction's marker.</summary>
    public static async Task<Dictionary<long, string>> MarkersByAuditEntryAsync(KedjaDbContext db, IReadOnlyCollection<long> sequences, CancellationToken cancellationToken = default)
    {
        if (sequences.Count == 0)
        {
            return [];
        }

        var (from, to) = (sequences.Min(), sequences.Max());
        var rows = await db.Corrections.AsNoTracking().Where(c => c.ClosedAt != null && c.AuditFrom < to).ToListAsync(cancellationToken);
        var markers = new Dictionary<long, string>();
        foreach (var row in rows)
        {
            foreach (var sequence in Sequences(row).Where(s => s >= from && s <= to))
            {
                markers[sequence] = Marker(row);
            }
        }

        return markers;
    }

    /// <summary>
    /// The note a report carries when a card in it was corrected after closing: each correction's marker with its unit
    /// and what it changed; null when none was (the report is then as it always was).
    /// </summary>
    public static async Task<Kedja.Reports.ReportSection?> ReportSectionAsync(KedjaDbContext db, IReadOnlyCollection<Guid> unitIds, FollowUpPeriod period, CancellationToken cancellationToken)
    {
        if (unitIds.Count == 0)
        {
            return null;
        }

        var corrections = (await OfAsync(db, unitIds, period.Id, cancellationToken)).Where(c => c.ClosedAt is not null).ToList();
        if (corrections.Count == 0)
        {
            return null;
        }

        var blocks = new List<Kedja.Reports.ReportBlock>
        {
            new Kedja.Reports.ReportParagraph($"Uppföljningen för {period.Name} rättades efter att den låsts. Målkorten i rapporten visar det rättade; här står vad som rättades och varför.",
                Kedja.Reports.ParagraphKind.Note),
        };
        foreach (var c in corrections)
        {
            blocks.Add(new Kedja.Reports.ReportField(c.UnitName, c.Marker));
            blocks.AddRange(c.Changes.Select(x => new Kedja.Reports.ReportParagraph($"{x.Name}: {x.Field} {x.Before ?? "–"} → {x.After ?? "–"}")));
        }

        return new Kedja.Reports.ReportSection("rattelser", "Rättelser efter låsning", blocks);
    }

    public static string Marker(Correction c) => c.ClosedAt is { } closed
        ? $"Rättad {Ui.Language.InSweden(closed):yyyy-MM-dd}: {c.Reason}"
        : $"Rättelse pågår sedan {Ui.Language.InSweden(c.OpenedAt):yyyy-MM-dd}: {c.Reason}";

    private static List<long> Sequences(Correction c) => string.IsNullOrEmpty(c.AuditEntries) ? [] : JsonSerializer.Deserialize<List<long>>(c.AuditEntries) ?? [];

    private static async Task<List<CorrectionDto>> ToDtosAsync(KedjaDbContext db, List<Correction> rows, CancellationToken cancellationToken)
    {
        var unitIds = rows.Select(r => r.UnitId).Distinct().ToList();
        var periodIds = rows.Select(r => r.PeriodId).Distinct().ToList();
        var units = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        var periods = await db.Periods.AsNoTracking().Where(p => periodIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        return [.. rows.Where(r => periods.ContainsKey(r.PeriodId)).Select(r => new CorrectionDto(r.Id, r.UnitId, units.GetValueOrDefault(r.UnitId, ""), periods[r.PeriodId].Key,
            periods[r.PeriodId].Name, r.Number, r.Reason, r.OpenedBy, r.OpenedAt, r.ClosedBy, r.ClosedAt,
            string.IsNullOrEmpty(r.Changes) ? [] : JsonSerializer.Deserialize<List<CorrectedItem>>(r.Changes) ?? [], Marker(r)))];
    }

    /// <summary>Whether the signed-in person may start and finish corrections: the administrator only.</summary>
    public bool MayCorrect => tenant.Role == TenantRole.Admin;
}
