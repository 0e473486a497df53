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

    /// <summary>Every field's errors when a rule check found several (<see cref="Invalid(ValidationErrors)"/>); otherwise null.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    public static ServiceError NotFound(string message) => new(ServiceErrorKind.NotFound, message);

    public static ServiceError Invalid(string field, string message) => new(ServiceErrorKind.Invalid, message, field);

    /// <summary>All the errors a rule check collected, each under its field (at least one).</summary>
    public static ServiceError Invalid(ValidationErrors errors)
    {
        var all = errors.ToDictionary();
        var (field, messages) = all.First();
        return new(ServiceErrorKind.Invalid, messages[0], field) { Errors = all };
    }

    /// <summary>The error as Problem Details: a validation problem listing the fields, or a problem with the kind's status.</summary>
    public IResult ToProblem() => Kind switch
    {
        ServiceErrorKind.NotFound => Problems.NotFound(Message),
        ServiceErrorKind.Forbidden => Problems.Forbidden(Message),
        ServiceErrorKind.Conflict => Problems.Conflict(Message),
        _ => Errors is { } all ? Problems.Invalid(all.ToDictionary(x => x.Key, x => x.Value, StringComparer.Ordinal)) : Problems.Invalid(Field ?? "", Message),
    };

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
    public Results<Ok<T>, ValidationProblem, ProblemHttpResult> ToHttp() => Error is null ? TypedResults.Ok(Value!) : Error.ToResults<Ok<T>>();

    /// <summary>201 with the value and where to read it, or the error's Problem Details.</summary>
    public Results<Created<T>, ValidationProblem, ProblemHttpResult> ToCreated(Func<T, string> location) =>
        Error is null ? TypedResults.Created(location(Value!), Value!) : Error.ToResults<Created<T>>();
}

public static class ServiceErrorHttp
{
    /// <summary>204 when the service did it (no error), or the error's Problem Details.</summary>
    public static Results<NoContent, ValidationProblem, ProblemHttpResult> ToNoContent(this ServiceError? error) =>
        error is null ? TypedResults.NoContent() : error.ToResults<NoContent>();

    internal static Results<TSuccess, ValidationProblem, ProblemHttpResult> ToResults<TSuccess>(this ServiceError error)
        where TSuccess : IResult =>
        error.ToProblem() switch
        {
            ValidationProblem invalid => invalid,
            var problem => (ProblemHttpResult)problem,
        };
}
