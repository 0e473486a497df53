using Kedja.Web.Public;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Portal.Pages;

/// <summary>
/// Search across the published goals and indicators (<see cref="PublishedTenant.SearchAsync"/>), asked through the
/// layout's search field: a GET form, so no token and no cookie, and it works without JavaScript.
/// </summary>
[AllowAnonymous]
public sealed class SearchModel(PublicReader reader) : PageModel
{
    public PublicTenantDto Tenant { get; private set; } = null!;

    /// <summary>The query as asked, trimmed; empty when none was.</summary>
    public string Query { get; private set; } = "";

    public PublicSearchDto? Result { get; private set; }

    public bool TooShort => Query.Length > 0 && Tenants.Search.Words(Query).Count == 0;

    /// <summary>Why the query was not searched (too long), in Swedish.</summary>
    public string? Refused { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, [FromQuery(Name = "q")] string? query)
    {
        var ct = HttpContext.RequestAborted;
        var read = await reader.ReadAsync<(PublicTenantDto, Infrastructure.ServiceResult<PublicSearchDto>)>(slug, async t =>
        {
            var summary = await t.SummaryAsync(ct);
            return summary.Error is { } error ? error : (summary.Value!, await t.SearchAsync(query, ct));
        }, ct);
        if (read.Error is not null)
        {
            return NotFound();
        }

        (Tenant, var search) = read.Value;
        Query = (query ?? "").Trim();
        Result = search.Value;
        Refused = search.Error?.Message;
        ViewData["Municipality"] = Tenant.Name;
        ViewData["Slug"] = Tenant.Slug;
        ViewData["PortalPage"] = "sok";
        ViewData["Query"] = Query.Length > PublishedTenant.MaxSearchLength ? Query[..PublishedTenant.MaxSearchLength] : Query;
        return Page();
    }

    /// <summary>The beginning of a description, cut at a word.</summary>
    public static string? Excerpt(string? text, int length = 200)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length <= length)
        {
            return text;
        }

        var cut = text.LastIndexOf(' ', length);
        return text[..(cut > length / 2 ? cut : length)].TrimEnd(' ', ',', '.', ';', ':') + " …";
    }
}
