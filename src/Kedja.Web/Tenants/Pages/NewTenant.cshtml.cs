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
public sealed class NewTenantModel(TenantCreation creation, IStringLocalizer<Texts> text) : PageModel
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

    [BindProperty]
    public int? FirstYear { get; set; }

    public Dictionary<string, string> Errors { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? Error { get; private set; }

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

    public void OnGet() => FirstYear = creation.DefaultFirstYear;

    public async Task<IActionResult> OnPostAsync()
    {
        var slug = string.IsNullOrWhiteSpace(Slug) ? TenantCreation.SuggestSlug(Name) : Slug.Trim().ToLowerInvariant();
        if (string.IsNullOrWhiteSpace(Slug) && slug.Length > 0)
        {
            Suggested = slug;
        }

        var kommunkod = string.IsNullOrWhiteSpace(Kommunkod) ? null : Kommunkod.Trim();
        var result = await creation.CreateAsync(new CreateTenantRequest(slug, (Name ?? "").Trim(), kommunkod, Template ?? "", FirstYear), User, HttpContext.RequestAborted);
        if (result.Error is null)
        {
            return LocalRedirect($"/k/{Uri.EscapeDataString(result.Value!.Slug)}");
        }

        Error = text["NewTenant.NotCreated"];
        Response.StatusCode = result.Error.StatusCode;
        Ui.Html.CopyFieldErrors(result.Error, Errors, Field);

        if (result.Error.Field is { } one && !Errors.ContainsKey(Field(one)))
        {
            Errors[Field(one)] = result.Error.Message;
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
    public IEnumerable<string> OtherErrors => Errors.Where(e => e.Key is not ("name" or "slug" or "kommunkod" or "template" or "firstYear")).Select(e => e.Value);
}
