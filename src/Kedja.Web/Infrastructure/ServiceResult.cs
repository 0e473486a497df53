namespace Kedja.Web.Infrastructure;

public enum ServiceErrorKind
{
    NotFound,
    Invalid,
    Forbidden,
    Conflict,
}

/// <summary>Why a feature service refused a request, in Swedish; <see cref="Field"/> names the input it concerns.</summary>
public sealed record ServiceError(ServiceErrorKind Kind, string Message, string? Field = null)
{
    public static ServiceError NotFound(string message) => new(ServiceErrorKind.NotFound, message);

    public static ServiceError Invalid(string field, string message) => new(ServiceErrorKind.Invalid, message, field);

    public static ServiceError Forbidden(string message) => new(ServiceErrorKind.Forbidden, message);

    public static ServiceError Conflict(string? message = null) => new(ServiceErrorKind.Conflict, message ?? ConflictMessage);

    public const string ConflictMessage = "Någon annan har ändrat uppgiften sedan du hämtade den. Hämta den igen och gör om ändringen.";

    /// <summary>The one mapping from a service's refusal to HTTP; pages show the same message beside the field.</summary>
    public IResult ToProblem() => Kind switch
    {
        ServiceErrorKind.NotFound => Problems.NotFound(Message),
        ServiceErrorKind.Forbidden => Problems.Forbidden(Message),
        ServiceErrorKind.Conflict => Problems.Conflict(Message),
        _ => Problems.Invalid(Field ?? "", Message),
    };
}

/// <summary>A feature service's answer: a value, or the reason it was refused (nothing was written then).</summary>
public readonly record struct ServiceResult<T>(T? Value, ServiceError? Error)
{
    public static implicit operator ServiceResult<T>(T value) => new(value, null);

    public static implicit operator ServiceResult<T>(ServiceError error) => new(default, error);

    /// <summary>200 with the value, or the error's Problem Details.</summary>
    public IResult ToHttp() => Error is { } error ? error.ToProblem() : TypedResults.Ok(Value);
}
