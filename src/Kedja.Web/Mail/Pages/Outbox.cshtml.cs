using Kedja.Data;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Mail.Pages;

/// <summary>
/// The municipality's mails for its administrators: how mail leaves (SMTP or files), how many are in each state, and
/// the newest with recipient, subject, tries and error; a failed mail can be sent again, an uncertain one when the
/// administrator confirms. A system administrator may widen it to the whole installation (<c>?alla=1</c>).
/// </summary>
[RequireTenant(TenantRole.Admin)]
public sealed class OutboxModel(TenantContext tenant, OutboxAdministration outbox) : PageModel
{
    public TenantContext Tenant => tenant;

    public OutboxView View { get; private set; } = null!;

    public OutboxMailState? State { get; private set; }

    public string? Error { get; private set; }

    public bool Retried { get; private set; }

    public async Task OnGetAsync([FromQuery(Name = "tillstand")] OutboxMailState? state, [FromQuery(Name = "alla")] string? all, [FromQuery(Name = "klart")] string? done)
    {
        State = state;
        Retried = done == "igen";
        View = await outbox.ListAsync(state, all == "1", HttpContext.RequestAborted);
    }

    public async Task<IActionResult> OnPostRetryAsync([FromForm(Name = "id")] Guid id, [FromForm(Name = "bekrafta")] bool confirm, [FromQuery(Name = "alla")] string? all,
        [FromQuery(Name = "tillstand")] OutboxMailState? state)
    {
        var result = await outbox.RetryAsync(id, confirm, all == "1", HttpContext.RequestAborted);
        if (result.Error is { } error)
        {
            Error = error.Message;
            Response.StatusCode = error.StatusCode;
            await OnGetAsync(state, all, null);
            return Page();
        }

        return LocalRedirect($"/k/{tenant.Slug}/utskick?klart=igen{(all == "1" ? "&alla=1" : "")}{(state is { } s ? $"&tillstand={s}" : "")}");
    }
}
