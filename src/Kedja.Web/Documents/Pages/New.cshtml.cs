using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Organisation;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Documents.Pages;

/// <summary>A new governing document, with the goals it serves; administrators only, as in the API.</summary>
[RequireTenant(TenantRole.Admin)]
public sealed class NewModel(TenantContext tenant, DocumentEditing documents, UnitEditing units, IStringLocalizer<Texts> text)
    : DocumentFormModel(tenant, documents, units, text)
{
    public async Task OnGetAsync() => await LoadChoicesAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        await LoadChoicesAsync();
        var result = await Documents.CreateAsync(Read(Guid.Empty) with { Version = null }, Unreadable, HttpContext.RequestAborted);
        if (result.Error is { } error)
        {
            await ShowAsync(error, null);
            return Page();
        }

        return LocalRedirect($"/k/{Tenant.Slug}/styrdokument?klart=sparat#d-{result.Value!.Id}");
    }
}
