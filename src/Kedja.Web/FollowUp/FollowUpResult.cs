namespace Kedja.Web.FollowUp;

public enum FollowUpFailure
{
    None,
    NotFound,
    Forbidden,

    /// <summary>The input is wrong; <see cref="FollowUpResult{T}.Field"/> names the field.</summary>
    Invalid,

    /// <summary>Someone else changed the row first.</summary>
    Conflict,
}

/// <summary>
/// What a follow-up service answers: the value, or why not in a Swedish sentence, so that the API, the pages and the
/// reports each say it their own way without deciding it again.
/// </summary>
public sealed record FollowUpResult<T>(T? Value, FollowUpFailure Failure, string? Field, string Message)
    where T : class
{
    public static FollowUpResult<T> Ok(T value) => new(value, FollowUpFailure.None, null, "");

    public static FollowUpResult<T> Fail(FollowUpFailure failure, string message, string? field = null) => new(null, failure, field, message);
}
