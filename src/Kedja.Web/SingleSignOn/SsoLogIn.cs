using Microsoft.AspNetCore.Mvc;

namespace Kedja.Web.SingleSignOn;

/// <summary>What the sign-in page shows beside the password form for an address of a municipality with its own sign-in.</summary>
public sealed record RealmSignIn(HomeRealm? Realm, string? Email, string? ReturnUrl);

/// <summary>
/// The sign-in page's one decision about the municipality's own sign-in (ADR 45, "As built"): an address whose domain
/// has an enabled provider goes there when no password was typed, or when the person chose the municipality's
/// sign-in; with a password typed, the password is checked as before (system administrators, and tenants that keep
/// local passwords beside the provider).
/// </summary>
public static class SsoLogIn
{
    /// <summary>The value of the form field <c>via</c> with which the person asks for the municipality's sign-in.</summary>
    public const string ViaMunicipality = "kommun";

    /// <summary>
    /// Where the sign-in form sends an address of a municipality with its own sign-in: a page of Kedja's that moves on
    /// to the provider. Not straight to the provider: the page's Content-Security-Policy (form-action 'self') stops a
    /// form's redirect to another site, so the browser leaves the form first.
    /// </summary>
    public static IActionResult? Challenge(HomeRealm? realm, string? email, string? password, string? via, string? returnUrl) =>
        realm is { ProviderEnabled: true } && (string.IsNullOrEmpty(password) || via == ViaMunicipality)
            ? new LocalRedirectResult(Address(SsoSchemes.PathPrefix + realm.Slug + "/vidare", email, returnUrl))
            : null;

    /// <summary>A path with the e-mail address (login_hint) and the return address in its query.</summary>
    public static string Address(string path, string? email, string? returnUrl)
    {
        var query = new Dictionary<string, string?>();
        if (!string.IsNullOrWhiteSpace(email))
        {
            query["epost"] = email.Trim();
        }

        if (!string.IsNullOrEmpty(returnUrl))
        {
            query["tillbaka"] = returnUrl;
        }

        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(path, query);
    }
}
