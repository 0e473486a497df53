using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Members.Pages;

/// <summary>
/// Who works in the municipality, with which role and for which unit; inviting a person (who sets their own password
/// through the link in the mail), sending the invitation again, and removing a role. <see cref="Memberships"/> holds
/// the rules, as for the API. Ending all of a person's sessions and keys (<see cref="MemberSessions"/>) asks first on
/// the page itself (<c>?avsluta={id}</c>), so it needs no script.
/// </summary>
[RequireTenant(TenantRole.Admin)]
public sealed class MembersModel(TenantContext tenant, Memberships memberships, MemberSessions sessions, KedjaDbContext db) : PageModel
{
    public TenantContext Tenant => tenant;

    public List<MemberDto> Members { get; private set; } = [];

    public List<(Guid Id, string Name)> Units { get; private set; } = [];

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public TenantRole Role { get; set; } = TenantRole.Editor;

    [BindProperty]
    public Guid? UnitId { get; set; }

    public Dictionary<string, string> Errors { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? Error { get; private set; }

    public string? Done { get; private set; }

    /// <summary>The member whose sessions the administrator is asked to confirm ending.</summary>
    public MemberDto? Ending { get; private set; }

    /// <summary>The member whose sessions were just ended.</summary>
    public MemberDto? Ended { get; private set; }

    public async Task OnGetAsync([FromQuery(Name = "klart")] string? done, [FromQuery(Name = "avsluta")] Guid? ending, [FromQuery(Name = "avslutade")] Guid? ended)
    {
        Done = done;
        await LoadAsync();
        Ending = Members.FirstOrDefault(m => m.Id == ending);
        Ended = Members.FirstOrDefault(m => m.Id == ended);
    }

    public async Task<IActionResult> OnPostEndSessionsAsync([FromForm(Name = "id")] Guid id)
    {
        var result = await sessions.EndAllAsync(id, HttpContext.RequestAborted);
        if (result.Error is null)
        {
            return LocalRedirect($"/k/{tenant.Slug}/behorigheter?avslutade={id}");
        }

        Show(result.Error);
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostInviteAsync()
    {
        var result = await memberships.AddAsync(new NewMemberInput(Email ?? "", DisplayName, Role, UnitId), HttpContext.RequestAborted);
        if (result.Error is null)
        {
            return LocalRedirect($"/k/{tenant.Slug}/behorigheter?klart={Uri.EscapeDataString(result.Value!.Email)}");
        }

        Show(result.Error);
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync([FromForm(Name = "id")] Guid id, [FromForm(Name = "version")] int? version)
    {
        var result = await memberships.RemoveAsync(id, version, HttpContext.RequestAborted);
        if (result.Error is null)
        {
            return LocalRedirect($"/k/{tenant.Slug}/behorigheter");
        }

        Show(result.Error);
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostResendAsync([FromForm(Name = "id")] Guid id)
    {
        if (!await memberships.ResendInvitationAsync(id, HttpContext.RequestAborted))
        {
            Show(ServiceError.NotFound(Memberships.NotFound));
        }

        await LoadAsync();
        return Page();
    }

    private void Show(ServiceError error)
    {
        Error = error.Message;
        Response.StatusCode = error.StatusCode;
        foreach (var (field, messages) in error.Errors ?? new Dictionary<string, string[]>())
        {
            Errors[field] = string.Join(" ", messages);
        }
    }

    private async Task LoadAsync()
    {
        Members = await memberships.ListAsync(HttpContext.RequestAborted);
        var active = await db.Units.AsNoTracking().Where(u => u.IsActive).Select(u => new { u.Id, u.Name, u.ParentId, u.SortOrder }).ToListAsync(HttpContext.RequestAborted);
        Units = [.. Ui.UnitTree.Order(active, u => u.Id, u => u.ParentId, u => u.SortOrder, u => u.Name).Select(x => (x.Unit.Id, Ui.UnitTree.Indented(x.Unit.Name, x.Depth)))];
    }
}
