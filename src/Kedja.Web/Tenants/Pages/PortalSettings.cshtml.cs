using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Tenants.Pages;

/// <summary>
/// The public portal's settings for the municipality's administrators: the open data's licence, the sites that may
/// embed its views, whether the council's assignments and the decided internal control plans are published, the
/// accessibility statement (Kedja's default shown to start from), and how to embed. Saved through
/// <see cref="PortalSettings"/>, as the API saves them.
/// </summary>
[RequireTenant(TenantRole.Admin)]
public sealed class PortalSettingsModel(TenantContext tenant, PortalSettings settings, IStringLocalizer<Texts> text, IOptions<Portal.PortalOptions> portal) : FormPage
{
    public TenantContext Tenant => tenant;

    [BindProperty]
    public OpenDataLicence Licence { get; set; }

    /// <summary>One origin a line, as the textarea holds them.</summary>
    [BindProperty]
    public string? EmbedOrigins { get; set; }

    [BindProperty]
    public string? AccessibilityStatement { get; set; }

    [BindProperty]
    public string? ContactEmail { get; set; }

    [BindProperty]
    public bool PublishAssignments { get; set; }

    [BindProperty]
    public bool PublishControlPlans { get; set; }

    [BindProperty]
    public int? Version { get; set; }

    /// <summary>
    /// The portal's address as a visitor and an embedding site reach it: Kedja:Portal:PublicBaseUrl when set (staff may
    /// use an inner address), as open data and the catalogue name it.
    /// </summary>
    public string PortalUrl => $"{portal.Value.BaseFor(Request)}/p/{tenant.Slug}";

    protected override string TheirsId(string field) => $"theirs-{field}";

    public async Task<IActionResult> OnGetAsync()
    {
        var found = await settings.GetAsync(HttpContext.RequestAborted);
        if (found.Error is { } error)
        {
            return Refuse(error.StatusCode, error.Message);
        }

        Fill(found.Value!);
        Ready = true;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var input = new VersionedPortalSettings
        {
            Licence = Licence,
            EmbedOrigins = [.. (EmbedOrigins ?? "").Split('\n').Select(line => line.Trim())],
            AccessibilityStatement = AccessibilityStatement,
            ContactEmail = ContactEmail,
            PublishAssignments = PublishAssignments,
            PublishControlPlans = PublishControlPlans,
            Version = Version,
        };
        var result = await settings.SaveAsync(input, HttpContext.RequestAborted);
        if (result.Error is null)
        {
            return Saved($"/k/{tenant.Slug}/portal", FormDone.PortalSaved);
        }

        if (result.Error.Kind is ServiceErrorKind.Forbidden or ServiceErrorKind.NotFound)
        {
            return Refuse(result.Error.StatusCode, result.Error.Message);
        }

        Ready = true;
        // Every line's error beside the one box the lines are typed in; each message quotes its line.
        Show(result.Error, result.Error.Kind == ServiceErrorKind.Conflict ? text["PortalAdmin.Conflict"] : text["PortalAdmin.NotSaved"],
            field => field.StartsWith("embedOrigins", StringComparison.Ordinal) ? "embedOrigins" : field);
        if (result.Error.Kind == ServiceErrorKind.Conflict && (await settings.GetAsync(HttpContext.RequestAborted)).Value is { } now)
        {
            ShowTheirs(now);
        }

        return Page();
    }

    private void Fill(VersionedPortalSettings s)
    {
        Licence = s.Licence;
        EmbedOrigins = string.Join('\n', s.EmbedOrigins);
        AccessibilityStatement = s.AccessibilityStatement ?? settings.DefaultStatement;
        ContactEmail = s.ContactEmail;
        PublishAssignments = s.PublishAssignments;
        PublishControlPlans = s.PublishControlPlans;
        Version = s.Version;
    }

    /// <summary>After someone else saved first: their values beside the fields where they differ, and their version to save over knowingly.</summary>
    private void ShowTheirs(VersionedPortalSettings now)
    {
        if (now.Licence != Licence)
        {
            Theirs["licence"] = text["PortalAdmin.Licence." + now.Licence];
        }

        var typed = string.Join(", ", (EmbedOrigins ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
        Differs("embedOrigins", typed, string.Join(", ", now.EmbedOrigins));
        Differs("contactEmail", ContactEmail?.Trim() ?? "", now.ContactEmail ?? "");
        foreach (var (field, mine, theirs) in new[] { ("publishAssignments", PublishAssignments, now.PublishAssignments), ("publishControlPlans", PublishControlPlans, now.PublishControlPlans) })
        {
            if (mine != theirs)
            {
                Theirs[field] = text[theirs ? "PortalAdmin.TheirsOn" : "PortalAdmin.TheirsOff"];
            }
        }

        if (PortalRules.Statement(AccessibilityStatement, tenant.Name) != now.AccessibilityStatement)
        {
            Theirs["accessibilityStatement"] = text["PortalAdmin.TheirStatement"];
        }

        Version = now.Version;
    }
}
