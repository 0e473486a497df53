using Microsoft.AspNetCore.WebUtilities;

namespace Kedja.Web.Infrastructure;

/// <summary>
/// Every Problem Details the framework writes on its own (status code pages for 401, 403, 404, 405; the exception
/// handler's 500; a rate limiter's 429) gets a Swedish title. Titles our endpoints set are kept. Outside Development a
/// server error says nothing about its cause.
/// </summary>
public static class SwedishProblems
{
    private static readonly Dictionary<int, string> Titles = new()
    {
        [StatusCodes.Status400BadRequest] = "Begäran är felaktig och kunde inte behandlas. Inget har sparats.",
        [StatusCodes.Status401Unauthorized] = "Du behöver logga in. Skicka en giltig token i Authorization-huvudet.",
        [StatusCodes.Status403Forbidden] = "Du saknar behörighet för det här.",
        [StatusCodes.Status404NotFound] = "Det som efterfrågas finns inte.",
        [StatusCodes.Status405MethodNotAllowed] = "Metoden är inte tillåten på den här adressen.",
        [StatusCodes.Status406NotAcceptable] = "Svaret kan inte ges i det format som efterfrågas.",
        [StatusCodes.Status408RequestTimeout] = "Begäran tog för lång tid att ta emot.",
        [StatusCodes.Status409Conflict] = "Någon annan har ändrat uppgiften. Hämta den igen och gör om ändringen.",
        [StatusCodes.Status413PayloadTooLarge] = "Begäran är för stor. Inget har sparats.",
        [StatusCodes.Status415UnsupportedMediaType] = "Innehållstypen stöds inte. Skicka JSON med Content-Type: application/json.",
        [StatusCodes.Status429TooManyRequests] = "För många förfrågningar. Vänta en stund och försök igen.",
        [StatusCodes.Status500InternalServerError] = "Ett oväntat fel inträffade i Kedja. Försök igen om en stund.",
        [StatusCodes.Status503ServiceUnavailable] = "Kedja är tillfälligt otillgängligt. Försök igen om en stund.",
    };

    /// <summary>English titles the framework fills in beside the reason phrases; any other title was chosen by us and is kept.</summary>
    private static readonly HashSet<string> FrameworkTitles = new(StringComparer.Ordinal)
    {
        "An error occurred while processing your request.",
        "One or more validation errors occurred.",
        "Content Too Large",
    };

    public static string Title(int status) =>
        Titles.TryGetValue(status, out var title) ? title
        : status >= 500 ? Titles[StatusCodes.Status500InternalServerError]
        : Titles[StatusCodes.Status400BadRequest];

    public static void Customize(ProblemDetailsContext context, bool isDevelopment)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        if (string.IsNullOrEmpty(problem.Title) || FrameworkTitles.Contains(problem.Title) || problem.Title == ReasonPhrases.GetReasonPhrase(status))
        {
            problem.Title = Title(status);
        }

        if (status >= 500)
        {
            // The cause of a server error helps a developer and an attacker alike: only Development shows it.
            problem.Detail = isDevelopment ? context.Exception?.Message : null;
            foreach (var key in problem.Extensions.Keys.Where(k => k != "traceId").ToList())
            {
                if (!isDevelopment)
                {
                    problem.Extensions.Remove(key);
                }
            }
        }
    }
}
