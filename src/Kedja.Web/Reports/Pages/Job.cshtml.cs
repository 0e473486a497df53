using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Reports.Pages;

/// <summary>
/// One ordered report: its state and progress, refreshing itself while it waits or runs (no script), its file when
/// done, the Swedish reason when it failed, and for administrators freezing it (after a confirm step).
/// </summary>
[RequireTenant(TenantRole.Reader)]
public sealed class JobModel(TenantContext tenant, ReportOrdering reports, IStringLocalizer<Texts> text) : FormPage
{
    public TenantContext Tenant => tenant;

    public ReportJobDto? Job { get; private set; }

    public string? TemplateName { get; private set; }

    public bool IsAdmin => tenant.Role >= TenantRole.Admin;

    /// <summary>The administrator asked to freeze: the page asks to confirm.</summary>
    public bool Confirming { get; private set; }

    public bool Waiting => Job?.State is "queued" or "running";

    public async Task<IActionResult> OnGetAsync(Guid jobId, [FromQuery(Name = "frys")] bool freeze = false)
    {
        if (!await LoadAsync(jobId))
        {
            return NotFound();
        }

        Confirming = freeze && IsAdmin && Job!.State == "done" && Job.FrozenId is null;
        return Page();
    }

    public async Task<IActionResult> OnGetFileAsync(Guid jobId)
    {
        var file = await reports.FileAsync(jobId, HttpContext.RequestAborted);
        if (file.Value is { } found)
        {
            return new ReportFileResult(found);
        }

        return file.Error!.Kind == ServiceErrorKind.NotFound && !await LoadAsync(jobId) ? NotFound() : LocalRedirect($"/k/{tenant.Slug}/rapporter/{jobId}");
    }

    public async Task<IActionResult> OnPostFreezeAsync(Guid jobId)
    {
        var frozen = await reports.FreezeAsync(jobId, HttpContext.RequestAborted);
        if (frozen.Error is { } error)
        {
            if (!await LoadAsync(jobId))
            {
                return NotFound();
            }

            Show(error, error.Message);
            return Page();
        }

        return LocalRedirect($"/k/{tenant.Slug}/rapporter/{jobId}");
    }

    private async Task<bool> LoadAsync(Guid id)
    {
        var job = await reports.GetAsync(id, HttpContext.RequestAborted);
        Job = job.Value;
        TemplateName = Job is null ? null : (await reports.TemplatesAsync(HttpContext.RequestAborted)).FirstOrDefault(t => t.Key == Job.TemplateKey) is { } t ? TemplateNames.Display(t, text) : Job.TemplateKey;
        _ = text;
        return Job is not null;
    }
}
