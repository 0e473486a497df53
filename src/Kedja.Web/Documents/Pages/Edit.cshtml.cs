using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Organisation;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Documents.Pages;

/// <summary>
/// Changing a governing document and the goals it serves, or removing it after a confirmation (a second step, no
/// script); administrators only, as in the API. Its history is linked for them.
/// </summary>
[RequireTenant(TenantRole.Admin)]
public sealed class EditModel(TenantContext tenant, DocumentEditing documents, UnitEditing units, IStringLocalizer<Texts> text)
    : DocumentFormModel(tenant, documents, units, text)
{
    public Guid DocumentId { get; private set; }

    /// <summary>The title as saved, for the heading and the confirmation.</summary>
    public string SavedTitle { get; private set; } = "";

    public bool Found { get; private set; }

    /// <summary>The second step of removing: asked to confirm.</summary>
    public bool Confirming { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid documentId, [FromQuery(Name = "tabort")] bool confirm)
    {
        if (await FindAsync(documentId) is { } found)
        {
            Fill(found);
            Confirming = confirm;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid documentId)
    {
        if (await FindAsync(documentId) is null)
        {
            return Page();
        }

        var result = await Documents.UpdateAsync(documentId, Read(documentId), Unreadable, HttpContext.RequestAborted);
        if (result.Error is { } error)
        {
            await ShowAsync(error, documentId);
            return Page();
        }

        return LocalRedirect($"/k/{Tenant.Slug}/styrdokument?klart=sparat#d-{documentId}");
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid documentId)
    {
        if (await FindAsync(documentId) is not { } found)
        {
            return Page();
        }

        var result = await Documents.DeleteAsync(documentId, Version, HttpContext.RequestAborted);
        if (result.Error is { } error)
        {
            // Nothing typed to keep: the form shows the document as it stands, with why it was not removed.
            Fill((await Documents.GetAsync(documentId, HttpContext.RequestAborted)).Value ?? found);
            Response.StatusCode = error.StatusCode;
            Error = error.Kind == ServiceErrorKind.Conflict ? Text["Document.DeleteConflict"] : error.Message;
            return Page();
        }

        return LocalRedirect($"/k/{Tenant.Slug}/styrdokument?klart=borttaget");
    }

    private async Task<VersionedDocument?> FindAsync(Guid documentId)
    {
        DocumentId = documentId;
        await LoadChoicesAsync();
        var found = await Documents.GetAsync(documentId, HttpContext.RequestAborted);
        if (found.Error is { } missing)
        {
            Response.StatusCode = missing.StatusCode;
            Error = missing.Message;
            return null;
        }

        Found = true;
        SavedTitle = found.Value!.Title;
        return found.Value;
    }
}
