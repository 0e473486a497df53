using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace Kedja.Web.Ui;

/// <summary>
/// Swedish by default, English when chosen (a cookie). Numbers and dates are Swedish in both (decimal comma, ISO dates):
/// the figures are a Swedish municipality's, and a decimal point would be read wrong beside them.
/// </summary>
public static class Language
{
    public const string Swedish = "sv";
    public const string English = "en";

    public static readonly CultureInfo Formats = CultureInfo.GetCultureInfo("sv-SE");

    public static IServiceCollection AddKedjaLanguages(this IServiceCollection services)
    {
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(Formats, CultureInfo.GetCultureInfo(Swedish));
            o.SupportedCultures = [Formats];
            o.SupportedUICultures = [CultureInfo.GetCultureInfo(Swedish), CultureInfo.GetCultureInfo(English)];
            // Only the person's own choice: a browser set to English does not change what a Swedish colleague sees. The
            // public portal speaks Swedish to everyone, whatever language a visitor chose inside Kedja (ADR 41).
            o.RequestCultureProviders =
            [
                new CustomRequestCultureProvider(http => Task.FromResult(Portal.PortalHosting.IsPortal(http.Request) ? new ProviderCultureResult(Formats.Name, Swedish) : null)),
                new CookieRequestCultureProvider(),
            ];
            o.FallBackToParentUICultures = true;
        });
        return services;
    }

    /// <summary>The cookie for a choice, formats always Swedish; null for a language Kedja does not have.</summary>
    public static string? CookieValue(string? language) => language is Swedish or English
        ? CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(Formats, CultureInfo.GetCultureInfo(language)))
        : null;

    private static readonly TimeZoneInfo Sweden = FindSweden();

    /// <summary>
    /// A stored time (UTC) as a clock in Sweden shows it, whatever the server's own time zone (a container runs on UTC):
    /// 17:24 UTC is 18:24 in winter and 19:24 in summer.
    /// </summary>
    public static DateTime InSweden(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(utc.Kind == DateTimeKind.Local ? utc.ToUniversalTime() : DateTime.SpecifyKind(utc, DateTimeKind.Utc), Sweden);

    private static TimeZoneInfo FindSweden()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");
        }
        catch (TimeZoneNotFoundException)
        {
            // A machine without the time zone database: the server's own zone is the best there is.
            return TimeZoneInfo.Local;
        }
    }
}
