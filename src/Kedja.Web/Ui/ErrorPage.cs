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

    public static async Task WriteAsync(HttpContext http, int status, string message)
    {
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
            <p><a href="/">{E(text["Error.Start"])}</a></p></main></body>
            </html>
            """, http.RequestAborted);
    }
}
