using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Kedja.Web.Infrastructure;

/// <summary>
/// A write that met a full disk (issue 18, ADR 52): SQLite answers SQLITE_FULL and rolls the transaction back, so nothing of
/// it was kept; the database file stays whole and reads go on. It answers 503 with Retry-After in Swedish, Problem Details
/// for the API and the error page for a person, instead of a 500; writing works again by itself once space is freed.
/// </summary>
public sealed class DiskFullHandler(IProblemDetailsService problems, ILogger<DiskFullHandler> logger) : IExceptionHandler
{
    public const string Title = "Servern har slut på diskutrymme. Det du skickade sparades inte.";

    public const string Detail = "Inget av det som skickades har sparats. Försök igen senare; kontakta driften om felet består.";

    /// <summary>Seconds a client is asked to wait: freeing space is an operator's work, not a failover's seconds.</summary>
    public const int RetryAfterSeconds = 60;

    private const int SqliteFull = 13;

    private const int NoSpaceLeftOnDevice = 28; // ENOSPC

    public static bool IsDiskFull(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: SqliteFull } || (e is IOException && (e.HResult & 0xFFFF) == NoSpaceLeftOnDevice))
            {
                return true;
            }
        }

        return false;
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsDiskFull(exception))
        {
            return false;
        }

        // The operator must see this one: an error, with the path, never the request's content.
        logger.LogError("Disken är full; {Method} {Path} fick 503 och inget sparades.", httpContext.Request.Method, httpContext.Request.Path);
        return await ServiceUnavailable.WriteAsync(httpContext, problems, exception, RetryAfterSeconds, Title, Detail);
    }
}
