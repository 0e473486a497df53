using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace Kedja.Web.Ui;

/// <summary>
/// What stands beside a field of an edit form after a refused save: its error (<see cref="Html.FieldError"/>) and, after
/// a stale save, what another person saved meanwhile; the input names both in its aria-describedby.
/// </summary>
public static class Beside
{
    public static IHtmlContent Field(IReadOnlyDictionary<string, string> errors, IReadOnlyDictionary<string, string> theirs, string field)
    {
        var builder = new HtmlContentBuilder();
        builder.AppendHtml(Html.FieldError(errors, field));
        if (theirs.TryGetValue(field, out var saved))
        {
            builder.AppendHtml($"<span class=\"theirs\" id=\"nu-{HtmlEncoder.Default.Encode(field)}\">{HtmlEncoder.Default.Encode(saved)}</span>");
        }

        return builder;
    }

    public static string? DescribedBy(IReadOnlyDictionary<string, string> errors, IReadOnlyDictionary<string, string> theirs, string field, string? hint = null)
    {
        var ids = new[] { hint, Html.DescribedBy(errors, field), theirs.ContainsKey(field) ? $"nu-{field}" : null }.OfType<string>().ToList();
        return ids.Count == 0 ? null : string.Join(' ', ids);
    }

    public static string? Invalid(IReadOnlyDictionary<string, string> errors, string field) => errors.ContainsKey(field) ? "true" : null;
}
