using Kedja.Data;
using Microsoft.AspNetCore.Diagnostics;

namespace Kedja.Web.Infrastructure;

/// <summary>
/// A request the database failed under a failover (issue 17): the primary died, was demoted, or is being replaced. Reads
/// were already tried again (<see cref="FailoverRetry"/>); what reaches here is a write, or a read that outlasted the
/// retries. It answers 503 with Retry-After in Swedish, Problem Details for the API and the error page for a person, and
/// closes the pooled connections so that the next request opens them to the new primary. A write is never replayed by
/// the server: its transaction either committed whole or not at all, and only the person can tell whether to send it
/// again after reading the page anew.
/// </summary>
public sealed class DatabaseUnavailableHandler(IProblemDetailsService problems, ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    public const string Title = "Databasen är tillfälligt otillgänglig. Försök igen om en stund.";

    public const string Detail = "Det som skickades har antingen sparats helt eller inte alls. Läs in sidan igen och kontrollera innan du skickar på nytt.";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!Failover.IsFailover(exception))
        {
            return false;
        }

        logger.LogWarning("Databasen svarade inte ({Error}); {Method} {Path} fick 503.", exception.GetBaseException().Message, httpContext.Request.Method, httpContext.Request.Path);
        Failover.ForgetConnections();
        return await ServiceUnavailable.WriteAsync(httpContext, problems, exception, Failover.RetryAfterSeconds, Title, Detail);
    }
}
