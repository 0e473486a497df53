using Kedja.Data;
using Kedja.Domain.Reports;
using Kedja.Web.Reports;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Tests.Reports;

/// <summary>A worker of a test's own, for apps started without one.</summary>
public sealed class ReportWorkerHandle(KedjaApp app)
{
    public Task<bool> RunOnceAsync() => ActivatorUtilities.CreateInstance<ReportWorker>(app.Services).RunOnceAsync();
}

public static class ReportPageTests
{
    /// <summary>A finished report of the unit, for pages that need a job to show.</summary>
    internal static async Task<Guid> FinishedJobAsync(KedjaDbContext db, Guid unit)
    {
        var content = "<!DOCTYPE html><html lang=\"sv\"><title>Report</title><p>Report</p></html>"u8.ToArray();
        var job = new ReportJob
        {
            RequestedById = "", RequestedByName = KedjaApp.AdminEmail, RequestedAt = DateTime.UtcNow, UnitId = unit, PeriodKey = "2026-T2", TemplateKey = "tertialrapport",
            Scope = "unit", Format = "html", State = ReportJobState.Done, Progress = 100, FinishedAt = DateTime.UtcNow, FileName = "report-2026-T2.html",
            ContentType = "text/html; charset=utf-8", Content = content, ContentHash = ReportProduction.Hash(content), Size = content.Length,
        };
        db.ReportJobs.Add(job);
        await db.SaveChangesAsync();
        return job.Id;
    }
}
