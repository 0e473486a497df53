using Kedja.Web.Portal.OpenData;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Portal.Pages;

/// <summary>
/// The open data page (issue 13, ADR 42): what the files hold, under which licence, their columns, and a link to every
/// file and to the DCAT-AP-SE catalogue. Reads only the published view through <see cref="OpenDataReading"/>.
/// </summary>
[AllowAnonymous]
public sealed class OpenDataModel(OpenDataReading reading) : PageModel
{
    public OpenDataCatalogue? Catalogue { get; private set; }

    public OpenDataLicenceInfo? Licence { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        var read = await reading.CatalogueAsync(slug, HttpContext.RequestAborted);
        if (read.Value is not { } catalogue)
        {
            return NotFound();
        }

        Catalogue = catalogue;
        Licence = OpenDataLicences.For(catalogue.Tenant.Licence, catalogue.Tenant.Name);
        ViewData["Municipality"] = catalogue.Tenant.Name;
        return Page();
    }
}
