using System.Globalization;
using Kedja.Domain.Organisation;
using Kedja.Domain.Periods;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Periods.Pages;

/// <summary>
/// A period's deadlines per level of the organisation, and the reminder day, for the municipality's administrators.
/// The year before's deadlines can be filled in as a proposal; nothing is saved until the administrator saves. Saved
/// through <see cref="DeadlineSettings"/>, as the API saves them.
/// </summary>
[RequireTenant(TenantRole.Admin)]
public sealed class DeadlinesModel(TenantContext tenant, DeadlineSettings settings, IStringLocalizer<Texts> text) : FormPage
{
    public sealed class LevelInput
    {
        public UnitKind Kind { get; set; }

        public string? DueOn { get; set; }
    }

    public TenantContext Tenant => tenant;

    [FromRoute(Name = "periodKey")]
    public string? Key { get; set; }

    public PeriodDeadlines? Period { get; private set; }

    [BindProperty]
    public string? Deadline { get; set; }

    [BindProperty]
    public List<LevelInput> Levels { get; set; } = [];

    [BindProperty]
    public int? Version { get; set; }

    [BindProperty]
    public string? ReminderDays { get; set; }

    [BindProperty]
    public int? TenantVersion { get; set; }

    /// <summary>The proposal filled into the form, or why there is none; null when none was asked for.</summary>
    public string? ProposalNote { get; private set; }

    public bool ReminderError { get; private set; }

    /// <summary>The same period the year before, whose deadlines a proposal starts from.</summary>
    public string YearBefore => PeriodRef.TryParse(Key, out var period) ? (period with { Year = period.Year - 1 }).Label : "";

    public string Here => $"/k/{tenant.Slug}/perioder/{Uri.EscapeDataString(Period?.PeriodKey ?? Key ?? "")}/sista-dagar";

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "forslag")] bool propose)
    {
        if (await LoadAsync() is { } refused)
        {
            return refused;
        }

        Fill(Period!);
        if (propose)
        {
            var proposal = await settings.ProposalAsync(Key!, HttpContext.RequestAborted);
            if (proposal.Value is { } p)
            {
                Deadline = Day(p.Deadline);
                foreach (var level in Levels)
                {
                    level.DueOn = Day(p.Levels.FirstOrDefault(l => l.UnitKind == level.Kind)?.DueOn);
                }

                ProposalNote = text["Deadlines.Proposed", p.FromPeriodName];
            }
            else
            {
                ProposalNote = proposal.Error!.Message;
            }
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await LoadAsync() is { } refused)
        {
            return refused;
        }

        var unreadable = new ValidationErrors();
        var deadline = Parse(Deadline, "deadline", text["Deadlines.Default"], unreadable);
        var levels = Levels.Select((l, i) => new LevelDeadline(l.Kind, Parse(l.DueOn, $"levels[{i}].dueOn", text["UnitKind." + l.Kind], unreadable))).ToList();
        var result = unreadable.Count > 0
            ? ServiceError.Invalid(unreadable)
            : (await settings.SaveAsync(Key!, new PeriodDeadlines(null, null, null, null, deadline, levels, Version), HttpContext.RequestAborted)).Error;
        if (result is null)
        {
            return LocalRedirect($"{Here}?klart=true");
        }

        if (result.Kind is ServiceErrorKind.Forbidden or ServiceErrorKind.NotFound)
        {
            return Refuse(result.StatusCode, result.Message);
        }

        Show(result, result.Kind == ServiceErrorKind.Conflict ? text["Deadlines.Conflict"] : text["Deadlines.NotSaved"]);
        if (result.Kind == ServiceErrorKind.Conflict)
        {
            // Theirs beside each field where it differs; their version, so that saving again is a knowing choice.
            Differs("deadline", Deadline, Day(Period!.Deadline));
            for (var i = 0; i < Levels.Count; i++)
            {
                Differs($"levels[{i}].dueOn", Levels[i].DueOn, Day(Period.Levels?.FirstOrDefault(l => l.UnitKind == Levels[i].Kind)?.DueOn));
            }

            Version = Period.Version;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostRemindersAsync()
    {
        var typed = ReminderDays?.Trim() ?? "";
        var version = TenantVersion;
        if (await LoadAsync() is { } refused)
        {
            return refused;
        }

        Fill(Period!);
        var days = int.TryParse(typed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : (int?)null;
        var result = typed.Length > 0 && days is null
            ? ServiceError.Invalid("reminderDaysBefore", text["Deadlines.ReminderBad"])
            : (await settings.SaveRemindersAsync(new ReminderDaysSetting(days, version), HttpContext.RequestAborted)).Error;
        if (result is null)
        {
            return LocalRedirect($"{Here}?klart=true#paminnelse");
        }

        (ReminderDays, TenantVersion) = (typed, version);
        ReminderError = true;
        Show(result, result.Kind == ServiceErrorKind.Conflict ? text["Deadlines.Conflict"] : text["Deadlines.NotSaved"]);
        if (result.Kind == ServiceErrorKind.Conflict && (await settings.GetRemindersAsync(HttpContext.RequestAborted)).Value is { } now)
        {
            Differs("reminderDaysBefore", typed, now.ReminderDaysBefore?.ToString(CultureInfo.InvariantCulture));
            TenantVersion = now.Version;
        }

        return Page();
    }

    protected override string TheirsId(string field) => $"nu-{field}";

    private async Task<IActionResult?> LoadAsync()
    {
        var found = await settings.GetAsync(Key ?? "", HttpContext.RequestAborted);
        var reminders = await settings.GetRemindersAsync(HttpContext.RequestAborted);
        if ((found.Error ?? reminders.Error) is { } error)
        {
            return Refuse(error.StatusCode, error.Message);
        }

        Period = found.Value;
        Ready = true;
        ReminderDays ??= reminders.Value!.ReminderDaysBefore?.ToString(CultureInfo.InvariantCulture);
        TenantVersion ??= reminders.Value!.Version;

        return null;
    }

    /// <summary>The form as the period's deadlines stand now (a posted form keeps what was typed).</summary>
    private void Fill(PeriodDeadlines period)
    {
        Deadline = Day(period.Deadline);
        Levels = [.. (period.Levels ?? []).Select(l => new LevelInput { Kind = l.UnitKind!.Value, DueOn = Day(l.DueOn) })];
        Version = period.Version;
    }

    private static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The typed day, or null with an error that names the field (the list above the form shows it without its label).</summary>
    private DateOnly? Parse(string? typed, string field, string label, ValidationErrors errors)
    {
        var value = typed?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        errors.Add(field, $"{label}: {text["ModelAdmin.DateBad"]}");
        return null;
    }
}
