using Kedja.Web.Public;
using Kedja.Web.Reports;

namespace Kedja.Web.Portal;

/// <summary>The portal's answers that are files, not pages: a frozen report to download (issue 13).</summary>
public static class PortalEndpoints
{
    public static void MapPortal(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/p/{slug}/rapporter/{id:guid}", [HttpMethods.Get, HttpMethods.Head], FrozenReport).AllowAnonymous().ExcludeFromDescription();

        // Any other address under /p/ is not found, for anyone: never the sign-in page, which the portal has no use for.
        app.MapMethods("/p/{**rest}", [HttpMethods.Get, HttpMethods.Head], (HttpContext http) =>
                Ui.ErrorPage.WriteAsync(http, StatusCodes.Status404NotFound, Ui.ErrorPage.PortalNotFound))
            .AllowAnonymous().ExcludeFromDescription().WithOrder(int.MaxValue);
    }

    /// <summary>
    /// The bytes exactly as frozen, with the format's content type and the file's name; a report of a period not
    /// published is a plain 404, as are an unknown municipality and an unknown report.
    /// </summary>
    private static async Task<IResult> FrozenReport(string slug, Guid id, PublicReader reader, CancellationToken cancellationToken)
    {
        var file = await reader.ReadAsync(slug, t => t.FrozenReportFileAsync(id, cancellationToken), cancellationToken);
        return file.Value is { } found ? ReportDownload.Result(found) : Results.NotFound();
    }
}
