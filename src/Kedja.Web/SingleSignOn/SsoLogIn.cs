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

    public static IActionResult? Challenge(HomeRealm? realm, string? email, string? password, string? via, string? returnUrl) =>
        realm is { ProviderEnabled: true } && (string.IsNullOrEmpty(password) || via == ViaMunicipality)
            ? new ChallengeResult(realm.Scheme, SsoSignInHosting.ChallengeProperties(realm, email, returnUrl))
            : null;
}
