using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kedja.Web.Ui;

/// <summary>
/// What the edit forms' pages share (goals, indicators, activities, programs, documents): what was typed stays; what the
/// form could not read goes to the service with the rest (<see cref="Unreadable"/>), so that every error of the form is
/// said in one round, each beside its field; after a stale save the other person's values stand beside one's own; a
/// save ends on the page where the item is seen, which says what was done (<see cref="FormDone"/>). ADR 28.
/// </summary>
public abstract class FormPage : PageModel
{
    public string? Error { get; protected set; }

    /// <summary>False when the page can only say why not (<see cref="Refuse"/>): no such item, or outside the person's units.</summary>
    public bool Ready { get; protected set; }

    /// <summary>Every message of a refused save, for a summary above the form (each also stands beside its field).</summary>
    public List<string> Messages { get; } = [];

    public Dictionary<string, string> FieldErrors { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>After a stale save: what the other person saved, by field, where it differs from what was typed.</summary>
    public Dictionary<string, string> Theirs { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>What the form could not read, by the service's field names: handed to the service, which refuses it with everything else wrong.</summary>
    protected ValidationErrors Unreadable { get; } = new();

    /// <summary>The id of the other person's value beside a field (the views write it; <see cref="Beside"/> writes "nu-").</summary>
    protected virtual string TheirsId(string field) => $"nu-{field}";

    /// <summary>The ids an input's aria-describedby names: its hint, its error and the other person's value.</summary>
    public string? DescribedBy(string field, string? hint = null)
    {
        var ids = new[] { hint, Html.DescribedBy(FieldErrors, field), Theirs.ContainsKey(field) ? TheirsId(field) : null }.OfType<string>().ToList();
        return ids.Count == 0 ? null : string.Join(' ', ids);
    }

    public string? Invalid(string field) => FieldErrors.ContainsKey(field) ? "true" : null;

    /// <summary>
    /// A service's refusal on the page: its status, <paramref name="summary"/> above the form, and each field's messages
    /// beside the form's field (<paramref name="formField"/> names it where the form's name differs; several of the
    /// service's fields may stand beside one of the form's).
    /// </summary>
    protected void Show(ServiceError error, string summary, Func<string, string>? formField = null)
    {
        Response.StatusCode = error.StatusCode;
        Error = summary;
        Html.CopyFieldErrors(error, FieldErrors, formField);
        Messages.AddRange(Html.FieldMessages(error).Values.SelectMany(m => m));
    }

    /// <summary>Notes what the other person saved beside a field where it differs from what was typed ("–" for nothing).</summary>
    protected void Differs(string field, string? mine, string? theirs, Func<string, string>? say = null)
    {
        if (!string.Equals(mine?.Trim() ?? "", theirs ?? "", StringComparison.Ordinal))
        {
            var shown = string.IsNullOrEmpty(theirs) ? "–" : theirs;
            Theirs[field] = say?.Invoke(shown) ?? shown;
        }
    }

    /// <summary>The page with only why not: the service's or the page's refusal and its status, no form.</summary>
    protected PageResult Refuse(int status, string message)
    {
        Ready = false;
        Error = message;
        Response.StatusCode = status;
        return Page();
    }

    /// <summary>To the page where the item is seen, which says <paramref name="what"/> was done (<see cref="FormDone"/>).</summary>
    protected LocalRedirectResult Saved(string url, string what) => LocalRedirect(FormDone.Url(url, what));
}
