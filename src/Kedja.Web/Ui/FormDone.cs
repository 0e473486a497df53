using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Ui;

/// <summary>
/// What a form did, said on the page it leads to: the form redirects with <c>?klart=</c> and one of these values, and the
/// page shows the sentence as a status (TempData did not survive the test client, see the hand-off). Only the values
/// listed are shown, so an address cannot put words on a page.
/// </summary>
public static class FormDone
{
    public const string Query = "klart";

    public const string GoalCreated = "mal-skapat";
    public const string GoalSaved = "mal-sparat";
    public const string GoalDeleted = "mal-borttaget";
    public const string IndicatorCreated = "indikator-skapad";
    public const string IndicatorSaved = "indikator-sparad";
    public const string IndicatorDeleted = "indikator-borttagen";
    public const string ActivityCreated = "aktivitet-skapad";
    public const string ActivitySaved = "aktivitet-sparad";
    public const string ActivityDeleted = "aktivitet-borttagen";
    public const string ActivityReported = "aktivitet-rapporterad";
    public const string ProgramCreated = "program-skapat";
    public const string ProgramSaved = "program-sparat";
    public const string ProgramDeleted = "program-borttaget";
    public const string UnitDeleted = "enhet-borttagen";
    public const string TenantCreated = "kommun-skapad";
    public const string KoladaFetched = "kolada-hamtat";
    public const string KoladaReviewed = "kolada-granskat";
    public const string PortalSaved = "portal-sparad";

    private static readonly Dictionary<string, string> Keys = new(StringComparer.Ordinal)
    {
        [GoalCreated] = "Forms.Done.GoalCreated",
        [GoalSaved] = "Forms.Done.GoalSaved",
        [GoalDeleted] = "Forms.Done.GoalDeleted",
        [IndicatorCreated] = "Forms.Done.IndicatorCreated",
        [IndicatorSaved] = "Forms.Done.IndicatorSaved",
        [IndicatorDeleted] = "Forms.Done.IndicatorDeleted",
        [ActivityCreated] = "Forms.Done.ActivityCreated",
        [ActivitySaved] = "Forms.Done.ActivitySaved",
        [ActivityDeleted] = "Forms.Done.ActivityDeleted",
        [ActivityReported] = "Forms.Done.ActivityReported",
        [ProgramCreated] = "Forms.Done.ProgramCreated",
        [ProgramSaved] = "Forms.Done.ProgramSaved",
        [ProgramDeleted] = "Forms.Done.ProgramDeleted",
        [UnitDeleted] = "Forms.Done.UnitDeleted",
        [TenantCreated] = "Closing.TenantCreated",
        [KoladaFetched] = "Kolada.Done.Fetched",
        [KoladaReviewed] = "Kolada.Done.Reviewed",
        [PortalSaved] = "PortalAdmin.Saved",
    };

    /// <summary>The address with <c>klart=</c> added before its fragment.</summary>
    public static string Url(string url, string what)
    {
        var hash = url.IndexOf('#', StringComparison.Ordinal);
        var (path, fragment) = hash < 0 ? (url, "") : (url[..hash], url[hash..]);
        return $"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}{Query}={what}{fragment}";
    }

    /// <summary>The status line for the request's <c>klart=</c>, or nothing when it names nothing a form does.</summary>
    public static IHtmlContent Status(HttpRequest request, IStringLocalizer<Texts> text) =>
        request.Query[Query].ToString() is { } what && Keys.TryGetValue(what, out var key)
            ? new HtmlContentBuilder().AppendHtml("<p class=\"done\" role=\"status\">").Append(text[key].Value).AppendHtml("</p>")
            : HtmlString.Empty;
}
