using System.Text.Encodings.Web;
using Kedja.Web.FollowUp;
using Microsoft.AspNetCore.Html;

namespace Kedja.Web.Ui;

/// <summary>Pieces of markup every page writes the same way.</summary>
public static class Html
{
    /// <summary>A status never told by colour alone: a swatch (an SVG attribute, which the CSP allows), its symbol and its words.</summary>
    public static IHtmlContent Status(StatusDto status)
    {
        var e = HtmlEncoder.Default;
        return new HtmlString(
            $"<span class=\"status\"><svg class=\"swatch\" width=\"14\" height=\"14\" aria-hidden=\"true\" focusable=\"false\"><circle cx=\"7\" cy=\"7\" r=\"6\" fill=\"{e.Encode(status.Colour)}\" stroke=\"#1b1b1f\"/></svg>"
            + $"<span aria-hidden=\"true\">{e.Encode(status.Symbol)}</span> {e.Encode(Label(status))}</span>");
    }

    /// <summary>
    /// A period's name in the reader's language: the calendar's names are the standard Swedish labels unless a tenant
    /// renamed a period, and a renamed period keeps its own name.
    /// </summary>
    public static string Period(string key, string name) =>
        System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en"
        && Domain.Periods.PeriodRef.TryParse(key, out var period) && period.Label == name ? period.EnglishLabel : name;

    /// <summary>The status's label in the reader's language: the standard scale's words in English, a tenant's own labels as written.</summary>
    public static string Label(StatusDto status) =>
        System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? Domain.FollowUp.ScaleStep.English(status.Label) : status.Label;

    /// <summary>A field's error beside it, with the id its input's aria-describedby names (<see cref="DescribedBy"/>).</summary>
    public static IHtmlContent FieldError(IReadOnlyDictionary<string, string> errors, string field) =>
        errors.TryGetValue(field, out var message)
            ? new HtmlString($"<span class=\"field-error\" id=\"fel-{field}\">{HtmlEncoder.Default.Encode(message)}</span>")
            : HtmlString.Empty;

    public static string? DescribedBy(IReadOnlyDictionary<string, string> errors, string field) => errors.ContainsKey(field) ? $"fel-{field}" : null;

    /// <summary>
    /// Said where a link to assess or report would be when the unit's follow-up of the period is closed (submitted,
    /// approved or locked): the service would refuse the change.
    /// </summary>
    public static IHtmlContent Closed(Domain.Periods.WorkflowState state, Microsoft.Extensions.Localization.IStringLocalizer<Texts> text) =>
        new HtmlContentBuilder().AppendHtml("<span class=\"closed muted\">")
            .Append(text["Closing.Closed", text["Workflow." + state].Value.ToLower(System.Globalization.CultureInfo.CurrentUICulture)].Value).AppendHtml("</span>");

    /// <summary>
    /// A unit's kind to write beside its name, or null when the name already says it: a council named "Kommunfullmäktige"
    /// would otherwise read "Kommunfullmäktige Kommunfullmäktige".
    /// </summary>
    public static string? KindBeside(string unitName, string kindName) =>
        string.Equals(unitName.Trim(), kindName.Trim(), StringComparison.OrdinalIgnoreCase) ? null : kindName;

    /// <summary>
    /// The service's field errors beside the page's fields, each field's messages as one text (a refusal of one field
    /// without a list counts too); <paramref name="key"/> names the page's field where it differs from the service's
    /// ("serves[2]" and "serves[3]" said together beside "serves").
    /// </summary>
    public static void CopyFieldErrors(Infrastructure.ServiceError error, IDictionary<string, string> fields, Func<string, string>? key = null)
    {
        var written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (field, messages) in FieldMessages(error))
        {
            var at = key?.Invoke(field) ?? field;
            var said = string.Join(" ", messages);
            fields[at] = written.Add(at) ? said : $"{fields[at]} {said}";
        }
    }

    /// <summary>Every field a service's refusal names, with its messages.</summary>
    public static IReadOnlyDictionary<string, string[]> FieldMessages(Infrastructure.ServiceError error) =>
        error.Errors ?? (error.Field is { } one ? new Dictionary<string, string[]> { [one] = [error.Message] } : new Dictionary<string, string[]>());
}
