using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Organisation.Pages;

/// <summary>
/// Who changed an item and its parts, when, and from what to what. For administrators, as the audit trail is in the
/// API: the entries name the people who made them (ADR 21).
/// </summary>
[RequireTenant(TenantRole.Admin)]
public sealed class HistoryModel(TenantContext tenant, ItemHistory history, IStringLocalizer<Texts> text) : PageModel
{
    public TenantContext Tenant => tenant;

    public ItemHistoryView? View { get; private set; }

    public string? Error { get; private set; }

    /// <summary>Where the item is read, when it has a page of its own.</summary>
    public string? ItemPage { get; private set; }

    public async Task OnGetAsync(string entity, Guid id)
    {
        if (!ItemHistory.Knows(entity))
        {
            Error = text["History.Unknown"];
            Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        View = await history.ForAsync(entity, id, HttpContext.RequestAborted);
        ItemPage = entity switch
        {
            nameof(Domain.Goals.Goal) => $"/k/{tenant.Slug}/mal/{id}",
            nameof(Domain.Organisation.OrgUnit) => $"/k/{tenant.Slug}/malkort/{id}",
            _ => null,
        };
    }

    /// <summary>A field's name in the interface's language; the recorded name when no text is written for it.</summary>
    public string Field(string name) => text["Field." + name] is { ResourceNotFound: false } found ? found.Value : name;

    public string Entity(string name) => text["Entity." + name] is { ResourceNotFound: false } found ? found.Value : name;
}
