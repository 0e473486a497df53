using Kedja.Domain.Reports;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Reports.Pages;

/// <summary>
/// Changing a report template, or making one of the municipality's own (key "ny"): its name and, for every kind of
/// section, whether it is in, where, and under which heading. Order is a number per row, so the page needs no script.
/// Removing the municipality's version (a default comes back as shipped) asks for confirmation first.
/// </summary>
[RequireTenant(TenantRole.Admin)]
public sealed class TemplateEditModel(TenantContext tenant, ReportTemplates templates, IStringLocalizer<Texts> text) : FormPage
{
    public const string NewKey = "ny";

    public TenantContext Tenant => tenant;

    public bool IsNew { get; private set; }

    public ReportTemplate? Current { get; private set; }

    public bool Confirming { get; private set; }

    [BindProperty]
    public string Key { get; set; } = "";

    [BindProperty]
    public string Name { get; set; } = "";

    [BindProperty]
    public int? Version { get; set; }

    /// <summary>One row per kind of section, in the order the form shows them.</summary>
    [BindProperty]
    public List<SectionRow> Rows { get; set; } = [];

    public sealed class SectionRow
    {
        public string Kind { get; set; } = "";

        public bool Included { get; set; }

        public string Position { get; set; } = "";

        public string Heading { get; set; } = "";
    }

    public async Task<IActionResult> OnGetAsync([FromRoute] string key, [FromQuery(Name = "tabort")] bool confirm)
    {
        if (await FindAsync(key) is { } found)
        {
            Fill(found);
            Confirming = confirm && !found.IsDefault;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync([FromRoute] string key)
    {
        var found = await FindAsync(key);
        if (!Ready)
        {
            return Page();
        }

        var positions = new Dictionary<string, int>();
        for (var i = 0; i < Rows.Count; i++)
        {
            var row = Rows[i];
            if (!row.Included)
            {
                continue;
            }

            if (int.TryParse(row.Position?.Trim(), out var at) && at is > 0 and < 100)
            {
                positions[row.Kind] = at;
            }
            else
            {
                Unreadable.Unreadable($"sections[{row.Kind}].position", text["ReportTemplates.PositionBad"]);
            }
        }

        if (Unreadable.Count > 0)
        {
            Show(ServiceError.Invalid(Unreadable), text["ReportTemplates.NotSaved"]);
            return Page();
        }

        // Included rows in the order of their numbers; equal numbers keep the form's order.
        var included = Rows.Select((r, i) => (Row: r, Index: i)).Where(x => x.Row.Included).OrderBy(x => positions[x.Row.Kind]).ThenBy(x => x.Index).Select(x => x.Row).ToList();
        var input = new ReportTemplate(IsNew ? Key : key, Name, [.. included.Select(r => new ReportSectionTemplate(r.Kind, r.Heading))], Version: Version);
        var result = await templates.SaveAsync(IsNew ? Key : key, input, HttpContext.RequestAborted);
        if (result.Error is { } error)
        {
            if (error.Kind == ServiceErrorKind.Conflict)
            {
                Show(error, text["ReportTemplates.Conflict"]);
                Current = (await templates.GetAsync(IsNew ? Key : key, HttpContext.RequestAborted)).Value ?? found;
            }
            else
            {
                // The service names sections by their place in the saved list; the form by their kind.
                Show(error, text["ReportTemplates.NotSaved"], field => SectionField(field, included));
            }

            return Page();
        }

        return LocalRedirect($"/k/{tenant.Slug}/rapporter/mallar?klart=sparad#m-{result.Value!.Key}");
    }

    public async Task<IActionResult> OnPostResetAsync([FromRoute] string key)
    {
        if (await FindAsync(key) is not { } found)
        {
            return Page();
        }

        var result = await templates.ResetAsync(key, Version, HttpContext.RequestAborted);
        if (result.Error is { } error)
        {
            Fill((await templates.GetAsync(key, HttpContext.RequestAborted)).Value ?? found);
            Response.StatusCode = error.StatusCode;
            Error = error.Kind == ServiceErrorKind.Conflict ? text["ReportTemplates.Conflict"] : error.Message;
            return Page();
        }

        return LocalRedirect($"/k/{tenant.Slug}/rapporter/mallar?klart=aterstalld");
    }

    private static string SectionField(string field, List<SectionRow> included)
    {
        // "sections[2].heading" → "sections[goals].heading"
        if (field.StartsWith("sections[", StringComparison.Ordinal) && field.IndexOf(']', StringComparison.Ordinal) is var end and > 9
            && int.TryParse(field[9..end], out var index) && index < included.Count)
        {
            return $"sections[{included[index].Kind}]{field[(end + 1)..]}";
        }

        return field;
    }

    private async Task<ReportTemplate?> FindAsync(string key)
    {
        IsNew = key == NewKey;
        if (IsNew)
        {
            Ready = true;
            return null;
        }

        var found = await templates.GetAsync(key, HttpContext.RequestAborted);
        if (found.Value is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            Error = found.Error!.Message;
            return null;
        }

        Ready = true;
        Current = found.Value;
        return found.Value;
    }

    private void Fill(ReportTemplate? template)
    {
        Key = template?.Key ?? "";
        Name = template?.Name ?? "";
        Version = template?.Version;
        var sections = template?.Sections ?? [];
        Rows = [.. sections.Select((s, i) => new SectionRow { Kind = s.Kind, Included = true, Position = (i + 1).ToString(Language.Formats), Heading = s.Heading }),
            .. SectionKinds.All.Where(k => sections.All(s => s.Kind != k)).Select(k => new SectionRow { Kind = k, Heading = SectionKinds.DefaultHeading(k) })];
    }

    public override void OnPageHandlerExecuted(Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutedContext context)
    {
        // A new template's form, and a form posted with rows missing, still offers every kind of section.
        foreach (var kind in SectionKinds.All.Where(k => Rows.All(r => r.Kind != k)))
        {
            Rows.Add(new SectionRow { Kind = kind, Heading = SectionKinds.DefaultHeading(kind) });
        }

        base.OnPageHandlerExecuted(context);
    }
}
