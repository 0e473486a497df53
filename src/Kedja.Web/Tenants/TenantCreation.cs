using System.Globalization;
using System.Security.Claims;
using System.Text;
using Kedja.Web.Auth;
using Kedja.Web.Exchange;
using Kedja.Web.Infrastructure;
using Kedja.Web.Templates;

namespace Kedja.Web.Tenants;

/// <summary>
/// Creates a municipality from one of the built-in templates, for system administrators only: the API's
/// <c>POST /api/v1/tenants</c> and the page <c>/ny-kommun</c> both come here, so the same request is refused the same way.
/// </summary>
public sealed class TenantCreation(TenantImporter importer, TimeProvider clock)
{
    public const string SystemAdminsOnly = "Endast systemadministratörer kan skapa kommuner.";

    public static bool IsSystemAdmin(ClaimsPrincipal user) => user.HasClaim(TokenAuthenticationHandler.SystemAdminClaim, "true");

    /// <summary>The first year of the mandate period running now: what a new municipality plans from unless told otherwise.</summary>
    public int DefaultFirstYear => ModelTemplates.MandateStart(clock.GetUtcNow().Year);

    /// <param name="unreadable">What the form could not read (a first year in letters): refused together with everything else wrong.</param>
    public async Task<ServiceResult<TenantSummary>> CreateAsync(CreateTenantRequest request, ClaimsPrincipal user, ValidationErrors? unreadable = null,
        CancellationToken cancellationToken = default)
    {
        if (!IsSystemAdmin(user))
        {
            return ServiceError.Forbidden(SystemAdminsOnly);
        }

        var errors = new ValidationErrors(unreadable);
        var template = request.Template ?? "";
        if (!ModelTemplates.Exists(template))
        {
            errors.Add("template", $"Mallen finns inte. Välj en av: {string.Join(", ", ModelTemplates.Keys)}.");
        }

        // The template plans four years from the first: all of them must lie in the years Kedja accepts.
        var firstYear = request.FirstYear ?? DefaultFirstYear;
        if (!Domain.Years.Contains(firstYear) || !Domain.Years.Contains(firstYear + 3))
        {
            errors.Add("firstYear", $"Mandatperiodens första år ska ligga mellan {Domain.Years.Min} och {Domain.Years.Max - 3}.");
            firstYear = DefaultFirstYear;
        }

        if (errors.Count > 0)
        {
            // The name, code and address are checked too, with a stand-in template, so that one answer says everything wrong.
            var standIn = ModelTemplates.Build(ModelTemplates.Exists(template) ? template : ModelTemplates.Keys[0], request.Slug, request.Name, request.Kommunkod, firstYear);
            foreach (var (path, messages) in await importer.CheckAsync(standIn, request.Slug, cancellationToken))
            {
                foreach (var message in messages)
                {
                    errors.Add(path, message);
                }
            }

            return ServiceError.Invalid(errors);
        }

        var doc = ModelTemplates.Build(template, request.Slug, request.Name, request.Kommunkod, firstYear);
        var result = await importer.ImportAsync(doc, request.Slug, request.Name, cancellationToken);
        if (!result.Succeeded)
        {
            var first = result.Errors.First();
            return new ServiceError(ServiceErrorKind.Invalid, first.Value[0], first.Key, result.Errors);
        }

        return new TenantSummary(result.Tenant!.Slug, result.Tenant.Name, result.Tenant.Kommunkod);
    }

    /// <summary>A template's description cut to its first sentence, for a one-line choice.</summary>
    public static string FirstSentence(string text) => text.IndexOf(". ", StringComparison.Ordinal) is var end and > 0 ? text[..(end + 1)] : text;

    /// <summary>A short name for the address from the municipality's name: "Kils kommun" → "kils-kommun".</summary>
    public static string SuggestSlug(string? name)
    {
        var plain = new StringBuilder();
        foreach (var c in (name ?? "").Trim().ToLowerInvariant().Replace("å", "a").Replace("ä", "a").Replace("ö", "o").Normalize(NormalizationForm.FormD))
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                plain.Append(c);
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && plain.Length > 0 && plain[^1] != '-')
            {
                plain.Append('-');
            }
        }

        var slug = plain.ToString().Trim('-');
        return slug.Length > 60 ? slug[..60].TrimEnd('-') : slug;
    }
}
