using Microsoft.AspNetCore.Mvc;

namespace Kedja.Web.Infrastructure;

/// <summary>
/// The one way a fault the person can wait out is answered (a failover, a full disk): 503 with Retry-After, in Swedish,
/// Problem Details for the API and the error page for a person, so that both faults read alike wherever they meet them.
/// </summary>
public static class ServiceUnavailable
{
    public static async ValueTask<bool> WriteAsync(HttpContext http, IProblemDetailsService problems, Exception exception, int retryAfterSeconds, string title, string detail)
    {
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Ui.ErrorPage.WantsPage(http))
        {
            await Ui.ErrorPage.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, $"{title} {detail}");
            return true;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = StatusCodes.Status503ServiceUnavailable, Title = title, Detail = detail },
            Exception = exception,
        });
    }
}
