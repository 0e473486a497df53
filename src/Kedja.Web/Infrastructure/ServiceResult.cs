using Microsoft.AspNetCore.Http.HttpResults;

namespace Kedja.Web.Infrastructure;

public enum ServiceErrorKind
{
    NotFound,

    /// <summary>The input is wrong; <see cref="ServiceError.Field"/> names the field.</summary>
    Invalid,
    Forbidden,

    /// <summary>Someone else changed the row first, or the row's state forbids the change.</summary>
    Conflict,
}

/// <summary>Why a feature service refused a request, in Swedish; <see cref="Field"/> names the input it concerns.</summary>
/// <param name="Errors">For input with several errors: each field and its messages (<see cref="Message"/> and <see cref="Field"/> give the first).</param>
public sealed record ServiceError(ServiceErrorKind Kind, string Message, string? Field = null, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public const string ConflictMessage = "Någon annan har ändrat uppgiften sedan du hämtade den. Hämta den igen och gör om ändringen.";

    /// <summary>Said when a change comes without the version it was made from, so that nobody else's change is overwritten.</summary>
    public const string VersionToChange = "Ange versionen du ändrar (från GET), så att ingen annans ändring skrivs över.";

    public const string VersionToRemove = "Ange versionen du tar bort.";

    /// <summary>The HTTP status this refusal answers with, on a page as in the API.</summary>
    public int StatusCode => Kind switch
    {
        ServiceErrorKind.NotFound => StatusCodes.Status404NotFound,
        ServiceErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ServiceErrorKind.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };

    public static ServiceError NotFound(string message) => new(ServiceErrorKind.NotFound, message);

    public static ServiceError Invalid(string field, string message) => new(ServiceErrorKind.Invalid, message, field);

    /// <summary>Every error of an input at once, by field, as the document importer reports them.</summary>
    public static ServiceError Invalid(ValidationErrors errors)
    {
        var all = errors.ToDictionary();
        var first = all.First();
        return new(ServiceErrorKind.Invalid, first.Value[0], first.Key, all);
    }

    public static ServiceError Forbidden(string message) => new(ServiceErrorKind.Forbidden, message);

    public static ServiceError Conflict(string? message = null) => new(ServiceErrorKind.Conflict, message ?? ConflictMessage);
}

/// <summary>
/// A feature service's answer: the value, or why not in a Swedish sentence (nothing was written then), so that the API,
/// the pages and the reports each say it their own way without deciding it again.
/// </summary>
public readonly record struct ServiceResult<T>(T? Value, ServiceError? Error)
{
    public static implicit operator ServiceResult<T>(T value) => new(value, null);

    public static implicit operator ServiceResult<T>(ServiceError error) => new(default, error);

    public static ServiceResult<T> Of(T value) => new(value, null);

    /// <summary>The one mapping from a service's answer to HTTP: 200 with the value, or the error's Problem Details.</summary>
    public Results<Ok<T>, ValidationProblem, ProblemHttpResult> ToHttp() => Error switch
    {
        null => TypedResults.Ok(Value!),
        { Kind: ServiceErrorKind.Invalid } e => Invalid(e),
        { } e => Problem(e),
    };

    /// <summary>The value as <paramref name="ok"/> writes it (bytes already serialized), or the error's Problem Details.</summary>
    public Results<TOk, ValidationProblem, ProblemHttpResult> ToHttp<TOk>(Func<T, TOk> ok)
        where TOk : IResult => Error switch
    {
        null => ok(Value!),
        { Kind: ServiceErrorKind.Invalid } e => Invalid(e),
        { } e => Problem(e),
    };

    /// <summary>201 with the new resource and where it lives, or the error's Problem Details.</summary>
    public Results<Created<T>, ValidationProblem, ProblemHttpResult> ToCreated(Func<T, string> location) => Error switch
    {
        null => TypedResults.Created(location(Value!), Value),
        { Kind: ServiceErrorKind.Invalid } e => Invalid(e),
        { } e => Problem(e),
    };

    /// <summary>204 when the service did it, or the error's Problem Details: for a removal, which answers nothing.</summary>
    public Results<NoContent, ValidationProblem, ProblemHttpResult> ToNoContent() => Error switch
    {
        null => TypedResults.NoContent(),
        { Kind: ServiceErrorKind.Invalid } e => Invalid(e),
        { } e => Problem(e),
    };

    private static ValidationProblem Invalid(ServiceError e) =>
        e.Errors is { } errors ? Problems.Invalid(errors.ToDictionary()) : Problems.Invalid(e.Field ?? "", e.Message);

    private static ProblemHttpResult Problem(ServiceError e) => e.Kind switch
    {
        ServiceErrorKind.NotFound => Problems.NotFound(e.Message),
        ServiceErrorKind.Forbidden => Problems.Forbidden(e.Message),
        _ => Problems.Conflict(e.Message),
    };
}

/// <summary>What a service answers for a change that has nothing to give back (a removal).</summary>
public readonly record struct Done;
