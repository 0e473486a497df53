using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Periods.Pages;

/// <summary>Every correction of a locked follow-up (issue 16), newest first, for the units the reader sees.</summary>
[RequireTenant]
public sealed class CorrectionsModel(TenantContext tenant, PeriodCorrections corrections) : PageModel
{
    public TenantContext Tenant => tenant;

    public List<CorrectionDto> Corrections { get; private set; } = [];

    public bool MayCorrect => corrections.MayCorrect;

    public async Task<IActionResult> OnGetAsync()
    {
        Corrections = (await corrections.ListAsync(cancellationToken: HttpContext.RequestAborted)).Value ?? [];
        return Page();
    }
}
