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
public sealed record ServiceError(ServiceErrorKind Kind, string Message, string? Field = null)
{
    public const string ConflictMessage = "Någon annan har ändrat uppgiften sedan du hämtade den. Hämta den igen och gör om ändringen.";

    public static ServiceError NotFound(string message) => new(ServiceErrorKind.NotFound, message);

    public static ServiceError Invalid(string field, string message) => new(ServiceErrorKind.Invalid, message, field);

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
        { Kind: ServiceErrorKind.NotFound } e => Problems.NotFound(e.Message),
        { Kind: ServiceErrorKind.Forbidden } e => Problems.Forbidden(e.Message),
        { Kind: ServiceErrorKind.Conflict } e => Problems.Conflict(e.Message),
        { } e => Problems.Invalid(e.Field ?? "", e.Message),
    };
}
