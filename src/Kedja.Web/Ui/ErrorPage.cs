using Microsoft.Extensions.Localization;

namespace Kedja.Web.Ui;

/// <summary>
/// What a page answers when the request cannot reach it (an unknown municipality, one the person is not a member of,
/// a role too low): a page in the interface's language with the same Swedish message the API gives, not JSON.
/// Written before the page runs, so it stands alone (no layout); it links the stylesheet and the way back.
/// </summary>
public static class ErrorPage
{
    public static bool IsPage(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor>() is Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor;

    /// <summary>
    /// A person's browser rather than a program: a page's own address, or an address no endpoint has that a browser
    /// asked for as HTML (a mistyped link). The API and its clients keep their Problem Details.
    /// </summary>
    public static bool WantsPage(HttpContext http) =>
        IsPage(http)
        // The portal's files (a frozen report, open data) are endpoints too; a resident following an old link to one
        // that is gone gets the page, not Problem Details.
        || ((http.GetEndpoint() is null || Portal.PortalHosting.IsPortal(http.Request)) && !http.Request.Path.StartsWithSegments("/api")
            && (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
            && http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase)));

    /// <summary>The framework's empty error answers (an unknown address, a stale form) as a page for a browser, Problem Details for the rest.</summary>
    public static StatusCodePagesOptions StatusCodePages()
    {
        var options = new StatusCodePagesOptions();
        var standard = options.HandleAsync;
        options.HandleAsync = async context =>
        {
            var http = context.HttpContext;
            if (!WantsPage(http))
            {
                await standard(context);
                return;
            }

            System.Globalization.CultureInfo.CurrentUICulture = await LanguageAsync(http);
            var text = http.RequestServices.GetRequiredService<IStringLocalizer<Texts>>();
            var status = http.Response.StatusCode;
            var message = status switch
            {
                StatusCodes.Status400BadRequest => text["Walk.Error.400"],
                StatusCodes.Status404NotFound when Portal.PortalHosting.IsPortal(http.Request) => PortalNotFound,
                StatusCodes.Status404NotFound => text["Walk.Error.404"],
                _ => text["Walk.Error.Other", status],
            };
            await WriteAsync(http, status, message);
        };
        return options;
    }

    /// <summary>An address under /p/ that leads nowhere: an unknown municipality, page, period or file.</summary>
    public const string PortalNotFound = "Sidan finns inte. Kontrollera adressen, eller börja från kommunens sida för mål och resultat.";

    public static async Task WriteAsync(HttpContext http, int status, string message)
    {
        System.Globalization.CultureInfo.CurrentUICulture = await LanguageAsync(http);
        var text = http.RequestServices.GetRequiredService<IStringLocalizer<Texts>>();
        var language = System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? "en" : "sv";
        // The app's encoder, which writes å, ä and ö as themselves (Hosting.cs).
        var encoder = http.RequestServices.GetRequiredService<System.Text.Encodings.Web.HtmlEncoder>();
        string E(string s) => encoder.Encode(s);
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="{language}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
            <title>{E(text["Error.Title"])} – Kedja</title><link rel="stylesheet" href="/css/kedja.css"></head>
            <body><main id="innehall"><h1>{E(text["Error.Title"])}</h1><div class="alert" role="alert"><p>{E(message)}</p></div>
            {WayOn(http, text["Error.Start"], E)}</main></body>
            </html>
            """, http.RequestAborted);
    }

    /// <summary>
    /// The link on from the error. In the portal that is the municipality's portal page, never "/" (Kedja's sign-in, of no
    /// use to a resident); none on that page itself, whose error means the municipality has no portal.
    /// </summary>
    private static string WayOn(HttpContext http, string start, Func<string, string> encode)
    {
        if (!Portal.PortalHosting.IsPortal(http.Request))
        {
            return $"<p><a href=\"/\">{encode(start)}</a></p>";
        }

        var slug = Portal.PortalResponses.SlugOf(http.Request.Path);
        var portal = $"/p/{slug}";
        var itself = http.Request.Path.Value!.TrimEnd('/').Equals(portal, StringComparison.OrdinalIgnoreCase) && !http.Request.QueryString.HasValue;
        return slug is null || itself ? "" : $"<p><a href=\"{encode(portal)}\">Till kommunens sida för mål och resultat</a></p>";
    }

    /// <summary>
    /// The status code pages run outside the request localization (registered before it, so that they also answer what
    /// happens before it): the culture it chose is gone by then. It is taken again from what it left on the request, or
    /// from its providers (the language cookie) when the request never reached it. Returned, not set here: a culture set
    /// inside an async method does not outlive it.
    /// </summary>
    private static async Task<System.Globalization.CultureInfo> LanguageAsync(HttpContext http)
    {
        var culture = http.Features.Get<Microsoft.AspNetCore.Localization.IRequestCultureFeature>()?.RequestCulture.UICulture;
        if (culture is null)
        {
            var options = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<RequestLocalizationOptions>>().Value;
            foreach (var provider in options.RequestCultureProviders)
            {
                if (await provider.DetermineProviderCultureResult(http) is { UICultures.Count: > 0 } found
                    && options.SupportedUICultures?.FirstOrDefault(c => c.Name.Equals(found.UICultures[0].Value, StringComparison.OrdinalIgnoreCase)) is { } supported)
                {
                    culture = supported;
                    break;
                }
            }
        }

        return culture ?? System.Globalization.CultureInfo.CurrentUICulture;
    }
}
