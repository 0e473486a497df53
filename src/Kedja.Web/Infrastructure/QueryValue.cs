using System.Globalization;
using System.Runtime.CompilerServices;

namespace Kedja.Web.Infrastructure;

/// <summary>
/// Optional query values (<c>?unitId=</c>, <c>?version=</c>) reach the handlers as text and are read here. The
/// generated request delegates (ADR 18) answer an optional value that does not parse with a bare 400 and no exception,
/// so <see cref="BadRequestHandler"/> could not name the field (ADR 13); a value read here names it.
/// Required values (route ids) are still bound by the framework, which names them itself.
/// </summary>
public static class QueryValue
{
    public static Guid? Guid(string? text, [CallerArgumentExpression(nameof(text))] string name = "") =>
        string.IsNullOrEmpty(text) ? null
        : System.Guid.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value
        : throw new BadQueryValueException(name);

    public static int? Int(string? text, [CallerArgumentExpression(nameof(text))] string name = "") =>
        string.IsNullOrEmpty(text) ? null
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : throw new BadQueryValueException(name);
}

/// <summary>A query value that is not what its parameter takes; answered with 400 naming <see cref="Name"/>.</summary>
public sealed class BadQueryValueException(string name) : Exception($"Query value '{name}' has the wrong format.")
{
    public string Name { get; } = name;
}
