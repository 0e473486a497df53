using System.Text.Json;
using Kedja.Data;
using Kedja.Domain.Auditing;
using Kedja.Domain.Periods;
using Kedja.Domain.Reports;
using Kedja.Domain.Tenancy;
using Kedja.Reports;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Reports;

/// <summary>What is ordered; every field is checked and every error answered at once.</summary>
/// <param name="PeriodKey">"2026-T2"; without one, the period being followed up now.</param>
/// <param name="Scope">"unit" (the default), "children" or "all".</param>
/// <param name="Format">"docx", "pdf", "xlsx" or "html".</param>
public sealed record ReportOrder(Guid? UnitId, string? PeriodKey, string? TemplateKey, string? Scope, string? Format);

/// <param name="State">"queued", "running", "done" or "failed".</param>
/// <param name="Progress">0-100.</param>
/// <param name="Failure">Why it failed, in Swedish.</param>
/// <param name="FrozenId">The frozen copy made of it, if any.</param>
public sealed record ReportJobDto(Guid Id, string State, int Progress, Guid UnitId, string? UnitName, string PeriodKey, string TemplateKey, string Scope, string Format,
    string RequestedBy, DateTime RequestedAt, DateTime? StartedAt, DateTime? FinishedAt, string? Failure, string? FileName, long? Size, string? Sha256, Guid? FrozenId);


/// <param name="Sha256">SHA-256 of the file, hex: a downloaded copy can be checked against it.</param>
public sealed record FrozenReportDto(Guid Id, string Title, string Format, string FileName, string? PeriodKey, string? PeriodName, Guid? UnitId, string? UnitName,
    string TemplateKey, string Sha256, long Size, string CreatedBy, DateTime CreatedAt);

/// <summary>
/// The rules of ordering, reading, downloading and freezing reports, for the API and the pages alike (ADR 35). Any
/// member orders reports of any unit of the tenant (reports are internal: members see drafts); a person sees only
/// their own jobs unless administrator; only administrators freeze.
/// </summary>
public sealed class ReportOrdering(KedjaDbContext db, TenantContext tenant, IAuditActor actor, ReportTemplates templates, ReportQueue queue, TimeProvider clock)
{
    public const string JobMissing = "Rapporten finns inte.";

    public const string NotReady = "Rapporten är inte klar ännu. Försök igen om en stund.";

    public const string FileGone = "Filen finns inte längre: färdiga rapporter sparas i sju dagar. Beställ rapporten igen.";

    public const string FrozenMissing = "Den frysta rapporten finns inte.";

    public const string AdminsFreeze = "Bara administratörer kan frysa rapporter.";

    public const string AlreadyFrozen = "Rapporten är redan fryst.";

    /// <summary>Why a report with internal control or assignments is not frozen: frozen reports of a published period are public.</summary>
    public const string NotPublic = "En rapport med intern kontroll eller uppdrag fryses inte: frysta rapporter visas i kommunens portal när perioden är publicerad, och riskregister, kontrollresultat och nämndernas uppdrag publiceras inte så. Spara filen i stället.";

    /// <summary>The sections whose content is never made public through a frozen report (ADR 46).</summary>
    private static readonly string[] Internal = [SectionKinds.InternalControlPlan, SectionKinds.InternalControl, SectionKinds.InternalControlSummary, SectionKinds.Assignments];

    public const string UnitRequired = "Välj enheten rapporten gäller.";

    public const string FormatInvalid = "Formatet ska vara docx, pdf, xlsx eller html.";

    public const int RecentJobs = 50;

    private bool IsAdmin => tenant.Role >= TenantRole.Admin;

    public Task<List<ReportTemplate>> TemplatesAsync(CancellationToken cancellationToken = default) => templates.ListAsync(cancellationToken);

    public async Task<ServiceResult<ReportJobDto>> OrderAsync(ReportOrder order, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        if (order.UnitId is not { } unitId)
        {
            errors.Add("unitId", UnitRequired);
        }
        else if (!await db.Units.AnyAsync(u => u.Id == unitId, cancellationToken))
        {
            errors.Add("unitId", ReportBuilder.UnitMissing);
        }

        var period = FollowUpCalendar.FindOrCurrent(await db.Periods.AsNoTracking().ToListAsync(cancellationToken), order.PeriodKey?.Trim(), clock);
        if (period.Error is { } noPeriod)
        {
            errors.Add("periodKey", noPeriod.Message);
        }

        var template = await templates.GetAsync(order.TemplateKey, cancellationToken);
        if (template.Error is { } noTemplate)
        {
            errors.Add("templateKey", noTemplate.Message);
        }

        if (!ReportScopes.TryParse(order.Scope, out var scope))
        {
            errors.Add("scope", ReportScopes.Invalid);
        }

        if (!ReportFormats.TryParse(order.Format, out var format))
        {
            errors.Add("format", FormatInvalid);
        }

        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        var job = new ReportJob
        {
            RequestedById = tenant.UserId,
            RequestedByName = actor.Name,
            RequestedAt = clock.GetUtcNow().UtcDateTime,
            UnitId = order.UnitId!.Value,
            PeriodKey = period.Value!.Key,
            TemplateKey = template.Value!.Key,
            Scope = scope.Key(),
            Format = format.Key(),
            State = ReportJobState.Queued,
        };
        db.ReportJobs.Add(job);
        await db.SaveChangesAsync(cancellationToken);
        queue.Wake();
        return await DtoAsync(job, cancellationToken);
    }

    /// <summary>The job if it is one's own, or any of the tenant's for an administrator; otherwise as if it did not exist.</summary>
    public async Task<ServiceResult<ReportJobDto>> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        await Visible().AsNoTracking().Select(Without()).SingleOrDefaultAsync(j => j.Id == id, cancellationToken) is { } job
            ? await DtoAsync(job, cancellationToken)
            : ServiceError.NotFound(JobMissing);

    /// <summary>One's own recent jobs, or the tenant's for an administrator, newest first.</summary>
    public async Task<List<ReportJobDto>> ListAsync(CancellationToken cancellationToken = default)
    {
        var jobs = await Visible().AsNoTracking().OrderByDescending(j => j.RequestedAt).Take(RecentJobs).Select(Without()).ToListAsync(cancellationToken);
        var units = await UnitNamesAsync(cancellationToken);
        var frozen = await FrozenJobsAsync(jobs.Select(j => j.Id).ToList(), cancellationToken);
        return [.. jobs.Select(j => Dto(j, units, frozen))];
    }

    public async Task<ServiceResult<ReportFile>> FileAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var job = await Visible().AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, cancellationToken);
        return job switch
        {
            null => ServiceError.NotFound(JobMissing),
            { State: ReportJobState.Failed } => ServiceError.Conflict(job.Failure ?? ReportWorker.Unexpected),
            { State: not ReportJobState.Done } => ServiceError.Conflict(NotReady),
            { Content: null } => ServiceError.NotFound(FileGone),
            _ => File(job.FileName!, job.Format, job.Content, job.ContentHash!),
        };
    }

    /// <summary>Keeps a finished report's file as it is, for good: listed per period, downloaded byte for byte.</summary>
    public async Task<ServiceResult<FrozenReportDto>> FreezeAsync(Guid id, CancellationToken cancellationToken = default)
    {
        if (!IsAdmin)
        {
            return ServiceError.Forbidden(AdminsFreeze);
        }

        var job = await Visible().AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, cancellationToken);
        if (job is null)
        {
            return ServiceError.NotFound(JobMissing);
        }

        if (job.State != ReportJobState.Done)
        {
            return ServiceError.Conflict(job.State == ReportJobState.Failed ? job.Failure ?? ReportWorker.Unexpected : NotReady);
        }

        if (job.Content is null)
        {
            return ServiceError.NotFound(FileGone);
        }

        if (await db.ReportSnapshots.AnyAsync(r => r.JobId == id, cancellationToken))
        {
            return ServiceError.Conflict(AlreadyFrozen);
        }

        // The template as it is now; one edited since the job ran is judged by its present sections.
        var found = (await templates.GetAsync(job.TemplateKey, cancellationToken)).Value;
        if (found is null || Internal.Any(found.Has))
        {
            return ServiceError.Conflict(NotPublic);
        }

        var period = await db.Periods.AsNoTracking().SingleOrDefaultAsync(p => p.Key == job.PeriodKey, cancellationToken);
        var unit = await db.Units.AsNoTracking().Where(u => u.Id == job.UnitId).Select(u => u.Name).SingleOrDefaultAsync(cancellationToken);
        var template = found.Name;
        var snapshot = new ReportSnapshot
        {
            PeriodId = period?.Id,
            UnitId = unit is null ? null : job.UnitId,
            Title = string.Join(' ', new[] { template, period?.Name, unit }.Where(s => !string.IsNullOrEmpty(s))),
            Format = job.Format,
            Content = job.Content,
            ContentHash = job.ContentHash!,
            CreatedBy = actor.Name,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            FileName = job.FileName,
            TemplateKey = job.TemplateKey,
            JobId = job.Id,
        };
        db.ReportSnapshots.Add(snapshot);
        // One entry that names the file and its hash, rather than the row with its bytes.
        db.SuppressRowAudit = true;
        db.AuditEntries.Add(new AuditEntry
        {
            TenantId = tenant.TenantId,
            UserName = actor.Name,
            At = snapshot.CreatedAt,
            Entity = nameof(ReportSnapshot),
            EntityId = snapshot.Id.ToString(),
            Action = "Frozen",
            After = JsonSerializer.Serialize(new { snapshot.Title, snapshot.FileName, snapshot.Format, snapshot.TemplateKey, PeriodKey = period?.Key, snapshot.UnitId, snapshot.JobId, snapshot.ContentHash, Size = job.Content.LongLength }),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e))
        {
            return ServiceError.Conflict(AlreadyFrozen);
        }
        finally
        {
            db.SuppressRowAudit = false;
        }

        return new FrozenReportDto(snapshot.Id, snapshot.Title, snapshot.Format, snapshot.FileName!, period?.Key, period?.Name, snapshot.UnitId, unit, job.TemplateKey,
            snapshot.ContentHash, job.Content.LongLength, snapshot.CreatedBy, snapshot.CreatedAt);
    }

    /// <summary>The tenant's frozen reports, of one period when asked, newest first.</summary>
    public async Task<ServiceResult<List<FrozenReportDto>>> FrozenAsync(string? periodKey, CancellationToken cancellationToken = default)
    {
        Guid? periodId = null;
        if (!string.IsNullOrWhiteSpace(periodKey))
        {
            var period = await FollowUpCalendar.FindAsync(db.Periods.AsNoTracking(), periodKey.Trim(), cancellationToken);
            if (period.Error is { } error)
            {
                return error;
            }

            periodId = period.Value!.Id;
        }

        var rows = await db.ReportSnapshots.AsNoTracking().Where(r => periodId == null || r.PeriodId == periodId).OrderByDescending(r => r.CreatedAt)
            .Select(r => new { r.Id, r.Title, r.Format, r.FileName, r.PeriodId, r.UnitId, r.TemplateKey, r.ContentHash, Size = (long)r.Content.Length, r.CreatedBy, r.CreatedAt })
            .ToListAsync(cancellationToken);
        var periods = await db.Periods.AsNoTracking().ToDictionaryAsync(p => p.Id, p => (p.Key, p.Name), cancellationToken);
        var units = await UnitNamesAsync(cancellationToken);
        return rows.Select(r => new FrozenReportDto(r.Id, r.Title, r.Format, r.FileName ?? r.Title, r.PeriodId is { } p && periods.TryGetValue(p, out var pk) ? pk.Key : null,
            r.PeriodId is { } q && periods.TryGetValue(q, out var pn) ? pn.Name : null, r.UnitId, r.UnitId is { } u ? units.GetValueOrDefault(u) : null, r.TemplateKey ?? "",
            r.ContentHash, r.Size, r.CreatedBy, r.CreatedAt)).ToList();
    }

    public async Task<ServiceResult<ReportFile>> FrozenFileAsync(Guid id, CancellationToken cancellationToken = default) =>
        await db.ReportSnapshots.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken) is { } r
            ? File(r.FileName ?? r.Title, r.Format, r.Content, r.ContentHash)
            : ServiceError.NotFound(FrozenMissing);

    internal static ReportFile File(string fileName, string formatKey, byte[] content, string hash)
    {
        var format = ReportScopes.StoredFormat(formatKey);
        return new ReportFile(fileName, format.ContentType(), format, content, hash);
    }

    private IQueryable<ReportJob> Visible()
    {
        var userId = tenant.UserId;
        return IsAdmin ? db.ReportJobs : db.ReportJobs.Where(j => j.RequestedById == userId);
    }

    /// <summary>A job without its file: lists and status answers never read the bytes.</summary>
    private static System.Linq.Expressions.Expression<Func<ReportJob, ReportJob>> Without() => j => new ReportJob
    {
        TenantId = j.TenantId, Id = j.Id, RequestedById = j.RequestedById, RequestedByName = j.RequestedByName, RequestedAt = j.RequestedAt, UnitId = j.UnitId,
        PeriodKey = j.PeriodKey, TemplateKey = j.TemplateKey, Scope = j.Scope, Format = j.Format, State = j.State, Progress = j.Progress, Failure = j.Failure,
        StartedAt = j.StartedAt, FinishedAt = j.FinishedAt, FileName = j.FileName, ContentType = j.ContentType, ContentHash = j.ContentHash, Size = j.Size,
    };

    private Task<Dictionary<Guid, string>> UnitNamesAsync(CancellationToken cancellationToken) =>
        db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);

    private async Task<Dictionary<Guid, Guid>> FrozenJobsAsync(List<Guid> jobs, CancellationToken cancellationToken) =>
        (await db.ReportSnapshots.AsNoTracking().Where(r => r.JobId != null && jobs.Contains(r.JobId.Value)).Select(r => new { r.Id, JobId = r.JobId!.Value }).ToListAsync(cancellationToken))
        .ToDictionary(r => r.JobId, r => r.Id);

    private async Task<ReportJobDto> DtoAsync(ReportJob job, CancellationToken cancellationToken) =>
        Dto(job, await UnitNamesAsync(cancellationToken), await FrozenJobsAsync([job.Id], cancellationToken));

    private static ReportJobDto Dto(ReportJob j, Dictionary<Guid, string> units, Dictionary<Guid, Guid> frozen) =>
        new(j.Id, j.State.Key(), j.Progress, j.UnitId, units.GetValueOrDefault(j.UnitId), j.PeriodKey, j.TemplateKey, j.Scope, j.Format, j.RequestedByName, j.RequestedAt,
            j.StartedAt, j.FinishedAt, j.Failure, j.FileName, j.Size, j.ContentHash, frozen.TryGetValue(j.Id, out var f) ? f : null);
}
