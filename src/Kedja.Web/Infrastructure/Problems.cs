using Microsoft.AspNetCore.Http.HttpResults;

namespace Kedja.Web.Infrastructure;

/// <summary>Problem Details with Swedish titles.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string title) => TypedResults.Problem(title: title, statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult Forbidden(string title) => TypedResults.Problem(title: title, statusCode: StatusCodes.Status403Forbidden);

    public static ProblemHttpResult Conflict(string title = ServiceError.ConflictMessage) =>
        TypedResults.Problem(title: title, statusCode: StatusCodes.Status409Conflict);

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors, string title = "Uppgifterna innehåller fel. Inget har sparats.") =>
        TypedResults.ValidationProblem(errors, title: title);

    public static ValidationProblem Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });
}
