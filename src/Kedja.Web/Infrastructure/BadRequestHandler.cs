using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Kedja.Web.Infrastructure;

/// <summary>
/// A body that cannot be read (malformed JSON, wrong type, missing required field) answers 400 with a Swedish
/// Problem Details naming the JSON path, instead of the framework's bare "Bad Request".
/// </summary>
public sealed class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var path = (bad.InnerException as JsonException)?.Path ?? "$";
        var message = bad.InnerException is JsonException json ? $"Värdet kan inte läsas: {json.Message}" : "Begäran kan inte läsas. Kontrollera att alla värden har rätt format.";
        httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new Microsoft.AspNetCore.Http.HttpValidationProblemDetails(new Dictionary<string, string[]> { [path] = [message] })
            {
                Title = "Uppgifterna kunde inte läsas. Inget har sparats.",
                Status = StatusCodes.Status400BadRequest,
            },
        });
    }
}
