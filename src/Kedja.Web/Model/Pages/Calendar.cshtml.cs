using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Periods;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Model.Pages;

/// <summary>The follow-up calendar: each period's last day to report, set by <see cref="PeriodPublishing"/> as the API sets it; whether it is published.</summary>
[RequireTenant(TenantRole.Admin)]
public sealed class CalendarModel(TenantContext tenant, ModelEditing models, PeriodPublishing periods, CalendarEditing calendar, TimeProvider clock,
    IStringLocalizer<Texts> text) : ModelPageBase(tenant, models, text)
{
    public List<PeriodDto> Periods { get; private set; } = [];

    /// <summary>The month the current model's delår ends with.</summary>
    public int InterimEndMonth { get; private set; } = Domain.Periods.PeriodRef.DefaultInterimEndMonth;

    /// <summary>After the delår's month was chosen: which periods moved and which kept their month.</summary>
    public InterimMonthResult? InterimOutcome { get; private set; }

    /// <summary>The form that was posted, so that its errors and what was typed stand beside it.</summary>
    public string? Posted { get; private set; }

    /// <summary>What was typed into the form that adds a period (after a refusal), or the defaults.</summary>
    public (string Kind, int Year, int Month, string? Deadline) New { get; private set; }

    /// <summary>A month or forecast period the editor added can be removed (while it holds nothing); the rest follow the model.</summary>
    public static bool Removable(PeriodDto period) =>
        Domain.Periods.PeriodRef.TryParse(period.Key, out var r) && r.Kind is Domain.Periods.PeriodKind.Month or Domain.Periods.PeriodKind.Forecast;

    /// <summary>The delår's month is offered where a delår is followed up: the model's cadence, an override, or the calendar has one.</summary>
    public bool ShowsInterim => Current is { } m
        && (m.Cadence == Domain.Periods.FollowUpCadence.InterimAndAnnual || m.CadenceOverrides.Any(o => o.Cadence == Domain.Periods.FollowUpCadence.InterimAndAnnual)
            || Periods.Any(p => Domain.Periods.PeriodRef.TryParse(p.Key, out var r) && r.Kind == Domain.Periods.PeriodKind.Interim));

    public static bool IsForecast(PeriodDto period) => Domain.Periods.PeriodRef.TryParse(period.Key, out var r) && r.Kind == Domain.Periods.PeriodKind.Forecast;

    /// <summary>The month's name in the page's language.</summary>
    public static string MonthName(int month) =>
        System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en"
            ? System.Globalization.CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month)
            : Language.Formats.DateTimeFormat.GetMonthName(month);

    /// <summary>Adds a month or a forecast period to a year, as <c>POST /periods</c> does.</summary>
    public async Task<IActionResult> OnPostAddAsync([FromForm(Name = "typ")] string? kind, [FromForm(Name = "ar")] string? year, [FromForm(Name = "manad")] string? month,
        [FromForm(Name = "sista")] string? deadline)
    {
        Posted = "add";
        if (!await LoadAllAsync())
        {
            return Page();
        }

        New = (kind ?? CalendarEditing.MonthKind, int.TryParse(year, out var y) ? y : New.Year, int.TryParse(month, out var mo) ? mo : 0, deadline);
        var typed = (deadline ?? "").Trim();
        DateOnly? day = null;
        if (typed.Length > 0)
        {
            if (!DateOnly.TryParseExact(typed, "yyyy-MM-dd", Language.Formats, System.Globalization.DateTimeStyles.None, out var parsed))
            {
                Show(ServiceError.Invalid("deadline", Text["ModelAdmin.DateBad"]));
                return Page();
            }

            day = parsed;
        }

        var result = await calendar.AddAsync(new NewPeriodInput(kind, int.TryParse(year, out var yy) ? yy : null, int.TryParse(month, out var mm) ? mm : null, day),
            HttpContext.RequestAborted);
        if (result.Error is null)
        {
            return LocalRedirect(Here("/kalender") + (Models.Count > 1 ? "&" : "?") + "klart=true#p-" + result.Value!.Key);
        }

        Show(result.Error);
        return Page();
    }

    /// <summary>Removes a month or forecast period that holds nothing, as <c>DELETE /periods/{key}</c> does.</summary>
    public async Task<IActionResult> OnPostRemoveAsync()
    {
        Posted = "remove";
        if (!await LoadAllAsync())
        {
            return Page();
        }

        var result = await calendar.RemoveAsync(Key ?? "", Version, HttpContext.RequestAborted);
        if (result.Error is null)
        {
            return LocalRedirect(Here("/kalender") + (Models.Count > 1 ? "&" : "?") + "klart=true");
        }

        Show(result.Error);
        Periods = await periods.ListAsync(HttpContext.RequestAborted);
        return Page();
    }

    /// <summary>Chooses the month the model's delår ends with; the page then says which periods moved and which kept their month.</summary>
    public async Task<IActionResult> OnPostInterimAsync([FromForm(Name = "delarsmanad")] string? month, [FromForm(Name = "modellversion")] string? version)
    {
        Posted = "interim";
        if (!await LoadAllAsync())
        {
            return Page();
        }

        var result = await calendar.SetInterimMonthAsync(Current!.Id,
            new InterimMonthInput(int.TryParse(month, out var m) ? m : null, int.TryParse(version, out var v) ? v : null), HttpContext.RequestAborted);
        if (result.Error is not null)
        {
            Show(result.Error);
            return Page();
        }

        // Shown at once rather than after a redirect: which delår kept its month, and why, is the point of the answer.
        InterimOutcome = result.Value;
        await LoadAllAsync();
        return Page();
    }

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

    protected override bool Beside(string field) => field is "deadline" or "periodKey" || (Posted == "add" && field is "kind" or "year" or "month")
        || (Posted == "interim" && field is "interimEndMonth");

    private async Task<bool> LoadAllAsync()
    {
        var found = await LoadAsync();
        Periods = await periods.ListAsync(HttpContext.RequestAborted);
        if (Current is not null)
        {
            InterimEndMonth = await calendar.InterimEndMonthAsync(Current.Id, HttpContext.RequestAborted) ?? InterimEndMonth;
            var thisYear = Deadlines.Today(clock).Year;
            New = (CalendarEditing.ForecastKind, Math.Clamp(thisYear, Current.FirstYear, Math.Max(Current.FirstYear, Current.LastYear)), 10, null);
        }

        return found;
    }
}
