using System.Globalization;
using Kedja.Web.Infrastructure;
using Kedja.Web.Templates;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Tenants.Pages;

/// <summary>
/// A new municipality from one of the five templates, for system administrators only (everyone else gets the 403
/// page, for GET and POST alike). <see cref="TenantCreation"/> holds the rules, as for the API.
/// </summary>
public sealed class NewTenantModel(TenantCreation creation, IStringLocalizer<Texts> text) : FormPage
{
    public IReadOnlyList<TemplateInfo> Templates { get; } = ModelTemplates.List();

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Slug { get; set; }

    [BindProperty]
    public string? Kommunkod { get; set; }

    [BindProperty]
    public string? Template { get; set; }

    /// <summary>As typed, so that a year that cannot be read is said beside the field and stays there.</summary>
    [BindProperty]
    public string? FirstYear { get; set; }

    /// <summary>The address suggested from the name when the field was left empty.</summary>
    public string? Suggested { get; private set; }

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (!TenantCreation.IsSystemAdmin(User))
        {
            await ErrorPage.WriteAsync(HttpContext, StatusCodes.Status403Forbidden, TenantCreation.SystemAdminsOnly);
            context.Result = new EmptyResult();
            return;
        }

        await next();
    }

    public void OnGet() => FirstYear = creation.DefaultFirstYear.ToString(CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnPostAsync()
    {
        var slug = string.IsNullOrWhiteSpace(Slug) ? TenantCreation.SuggestSlug(Name) : Slug.Trim().ToLowerInvariant();
        if (string.IsNullOrWhiteSpace(Slug) && slug.Length > 0)
        {
            Suggested = slug;
        }

        var kommunkod = string.IsNullOrWhiteSpace(Kommunkod) ? null : Kommunkod.Trim();
        int? firstYear = null;
        if (int.TryParse(FirstYear?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var year))
        {
            firstYear = year;
        }
        else
        {
            Unreadable.Unreadable("firstYear", text["Forms.NotAFirstYear"]);
        }

        var result = await creation.CreateAsync(new CreateTenantRequest(slug, (Name ?? "").Trim(), kommunkod, Template ?? "", firstYear), User, Unreadable,
            HttpContext.RequestAborted);
        if (result.Error is null)
        {
            return LocalRedirect(FormDone.Url($"/k/{Uri.EscapeDataString(result.Value!.Slug)}", FormDone.TenantCreated));
        }

        Show(result.Error, text["NewTenant.NotCreated"], Field);
        if (FieldErrors.ContainsKey("template"))
        {
            // The service names the templates' keys for API clients; a person is told what to choose, in their language.
            FieldErrors["template"] = text["Forms.ChooseTemplate"];
        }

        if (FieldErrors.ContainsKey("firstYear") && year > 0)
        {
            FieldErrors["firstYear"] = text["Forms.FirstYearOutside", Domain.Years.Min, Domain.Years.Max - 3];
        }

        Slug = slug;
        return Page();
    }

    /// <summary>The document's paths for what this form asks: the name and code are the tenant's in the template's document.</summary>
    private static string Field(string path) => path switch
    {
        "$.tenant.name" => "name",
        "$.tenant.kommunkod" => "kommunkod",
        "$.tenant" => "name",
        _ => path,
    };

    /// <summary>The errors no field of the form stands beside.</summary>
    public IEnumerable<string> OtherErrors => FieldErrors.Where(e => e.Key is not ("name" or "slug" or "kommunkod" or "template" or "firstYear")).Select(e => e.Value);
}
