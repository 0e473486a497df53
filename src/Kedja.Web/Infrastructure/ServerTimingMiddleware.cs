using System.Diagnostics;
using System.Globalization;

namespace Kedja.Web.Infrastructure;

/// <summary>Reports the server's own time for each request in a Server-Timing header, which the performance figures are read from.</summary>
public sealed class ServerTimingMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        context.Response.OnStarting(() =>
        {
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            context.Response.Headers["Server-Timing"] = "app;dur=" + ms.ToString("0.0", CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
        return next(context);
    }
}
