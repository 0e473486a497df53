using System.Text.Json;
using System.Text.RegularExpressions;
using Kedja.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Diagnostics;

namespace Kedja.Web.Infrastructure;

/// <summary>
/// A request that cannot be read (malformed JSON, wrong type, a missing or null body, an unknown enum value, a query
/// value that is not a guid or a number, a body that is too large or not JSON) answers with a Swedish Problem Details
/// naming the field, instead of the framework's bare "Bad Request". Minimal APIs throw on bad requests in every
/// environment (see <see cref="HttpHardening"/>) so that this one handler answers them all alike. A text that does not
/// fit its column (<see cref="InputBoundsException"/>) answers 400 too. Nothing has been written in either case.
/// </summary>
public sealed partial class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails? problem = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } bad => Unreadable(bad),
            BadQueryValueException query => Unreadable(query.Name, WrongFormat),
            BadHttpRequestException bad => new ProblemDetails { Status = bad.StatusCode, Title = SwedishProblems.Title(bad.StatusCode), Detail = Detail(bad.StatusCode) },
            InputBoundsException bounds => new HttpValidationProblemDetails(new Dictionary<string, string[]> { [JsonNamingPolicy.CamelCase.ConvertName(bounds.Property)] = [bounds.Message] })
            {
                Title = "Uppgifterna innehåller fel. Inget har sparats.",
                Status = StatusCodes.Status400BadRequest,
            },
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private const string WrongFormat = "Värdet saknas eller har fel format.";

    private static HttpValidationProblemDetails Unreadable(BadHttpRequestException bad)
    {
        var (field, message) = bad.InnerException is JsonException json
            ? (json.Path ?? "$", "Värdet kan inte läsas. Kontrollera att det är giltig JSON med rätt typ (text, tal, sant/falskt, ett känt värde).")
            : bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase)
                ? ("$", "Begäran saknar innehåll. Skicka uppgifterna som ett JSON-objekt.")
            : ParameterName().Match(bad.Message) is { Success: true } m
                ? (m.Groups["name"].Value, WrongFormat)
                : ("$", "Begäran kan inte läsas. Kontrollera att alla värden har rätt format.");
        return Unreadable(field, message);
    }

    private static HttpValidationProblemDetails Unreadable(string field, string message) =>
        new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Title = "Uppgifterna kunde inte läsas. Inget har sparats.",
            Status = StatusCodes.Status400BadRequest,
        };

    private static string? Detail(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "Gränsen för begärans storlek anges i Kedjas konfiguration (Kedja:Limits).",
        _ => null,
    };

    /// <summary>The framework names the parameter it could not bind: 'Failed to bind parameter "Guid? unitId" from "x".'</summary>
    [GeneratedRegex("parameter \"[^\"]*?(?<name>\\w+)\"")]
    private static partial Regex ParameterName();
}
