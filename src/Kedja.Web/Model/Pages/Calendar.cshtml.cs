using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Model.Pages;

/// <summary>The follow-up calendar: each period's last day to report, set by <see cref="PeriodPublishing"/> as the API sets it; whether it is published.</summary>
[RequireTenant(TenantRole.Admin)]
public sealed class CalendarModel(TenantContext tenant, ModelEditing models, PeriodPublishing periods, IStringLocalizer<Texts> text) : ModelPageBase(tenant, models, text)
{
    public List<PeriodDto> Periods { get; private set; } = [];

    [BindProperty]
    public string? Key { get; set; }

    [BindProperty]
    public string? Deadline { get; set; }

    [BindProperty]
    public int? Version { get; set; }

    /// <summary>After a refused save because someone else saved first: the deadline they set.</summary>
    public string? Theirs { get; private set; }

    public async Task OnGetAsync() => await LoadAllAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await LoadAllAsync())
        {
            return Page();
        }

        var typed = (Deadline ?? "").Trim();
        DateOnly? deadline = null;
        if (typed.Length > 0)
        {
            if (!DateOnly.TryParseExact(typed, "yyyy-MM-dd", Language.Formats, System.Globalization.DateTimeStyles.None, out var parsed))
            {
                Show(ServiceError.Invalid("deadline", Text["ModelAdmin.DateBad"]));
                return Page();
            }

            deadline = parsed;
        }

        var result = await periods.SetDeadlineAsync(Key ?? "", new DeadlineInput(deadline, Version), HttpContext.RequestAborted);
        if (result.Error is null)
        {
            return LocalRedirect(Here("/kalender") + (Models.Count > 1 ? "&" : "?") + "klart=true#p-" + result.Value!.Key);
        }

        Show(result.Error);
        Periods = await periods.ListAsync(HttpContext.RequestAborted);
        if (Conflicted && Periods.FirstOrDefault(p => p.Key == Key) is { } now)
        {
            Theirs = Text["ModelAdmin.TheirValue", now.Deadline?.ToString("yyyy-MM-dd") ?? "–"];
        }

        return Page();
    }

    /// <summary>
    /// Publishes a period to residents, or withdraws it, as the API's publication does: only an administrator reaches
    /// the page, and a stale version is refused.
    /// </summary>
    public async Task<IActionResult> OnPostPublishAsync([FromForm(Name = "publicera")] bool publish)
    {
        if (!await LoadAllAsync())
        {
            return Page();
        }

        var result = await periods.SetAsync(Key ?? "", new PublicationInput(publish, Version), HttpContext.RequestAborted);
        if (result.Error is null)
        {
            return LocalRedirect(Here("/kalender") + (Models.Count > 1 ? "&" : "?") + "klart=true#p-" + result.Value!.Key);
        }

        Show(result.Error);
        Periods = await periods.ListAsync(HttpContext.RequestAborted);
        return Page();
    }

    /// <summary>The row whose form was posted: it shows what was typed, its errors and the other person's value.</summary>
    public bool IsPosted(PeriodDto period) => Request.Method == HttpMethods.Post && period.Key == Key;

    protected override bool Beside(string field) => field is "deadline";

    private async Task<bool> LoadAllAsync()
    {
        var found = await LoadAsync();
        Periods = await periods.ListAsync(HttpContext.RequestAborted);
        return found;
    }
}
