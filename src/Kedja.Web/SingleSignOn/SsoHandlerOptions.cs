using System.Net;
using Kedja.Data;
using Kedja.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Kedja.Web.SingleSignOn;

/// <summary>
/// Builds a tenant's OpenID Connect handler options from its provider row as <see cref="SsoProviders"/> holds it (ADR 45):
/// the code flow with PKCE, answers in the query (a top-level GET, so the Lax correlation and nonce cookies come back
/// from another site), issuer, audience, signature, nonce and expiry checked with one minute's skew, the provider's
/// claims kept as sent. Nothing from the provider but its id token is kept, and only for signing out there.
/// </summary>
public sealed class SsoHandlerOptions(SsoProviders providers, IDataProtectionProvider protection, ILogger<SsoHandlerOptions> logger)
    : IConfigureNamedOptions<OpenIdConnectOptions>
{
    public const string FailedPath = "/inloggning/misslyckades";

    /// <summary>An item of the challenge's properties: the address the person typed, passed on as login_hint.</summary>
    public const string LoginHintItem = "kedja:login_hint";

    /// <summary>An item of the sign-out's properties: the id token the session kept, passed on as id_token_hint.</summary>
    public const string IdTokenHintItem = "kedja:id_token_hint";

    public void Configure(OpenIdConnectOptions options)
    {
    }

    public void Configure(string? name, OpenIdConnectOptions options)
    {
        if (SsoSchemes.SlugOf(name) is not { } slug || providers.Held(slug) is not { } provider)
        {
            return;
        }

        options.Authority = provider.Authority;
        options.ClientId = provider.ClientId;
        options.ClientSecret = Secret(provider);
        // A provider on this computer (tests, a developer's Keycloak) may serve its metadata over http; any other must not.
        options.RequireHttpsMetadata = !IsLoopback(provider.Authority);
        options.CallbackPath = SsoSchemes.CallbackPath(slug);
        options.SignedOutCallbackPath = SsoSchemes.SignedOutPath(slug);
        // Front-channel sign-out from the provider is not offered: this path is never given to the handler.
        options.RemoteSignOutPath = SsoSchemes.PathPrefix + slug + "/fran-leverantoren";
        options.SignInScheme = SsoSchemes.ExternalCookieScheme;
        options.SignOutScheme = SsoSchemes.ExternalCookieScheme;
        options.SignedOutRedirectUri = CookieSignIn.SignInPath;
        options.ResponseType = OpenIdConnectResponseType.Code;
        options.ResponseMode = OpenIdConnectResponseMode.Query;
        options.UsePkce = true;
        options.Scope.Clear();
        foreach (var scope in ("openid " + provider.Scopes).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal))
        {
            options.Scope.Add(scope);
        }

        // Claims as the provider names them (email, groups, sub), not mapped to Microsoft's long URIs.
        options.MapInboundClaims = false;
        options.GetClaimsFromUserInfoEndpoint = false;
        options.SaveTokens = true;
        options.UseTokenLifetime = false;
        options.DisableTelemetry = true;
        options.BackchannelTimeout = TimeSpan.FromSeconds(15);
        options.RemoteAuthenticationTimeout = TimeSpan.FromMinutes(15);
        // Over plain http (a test, a developer) the cookies are not Secure; over https they are. Lax, because the
        // provider's answer is a top-level GET from another site (ADR 45 "Spike").
        options.CorrelationCookie.SameSite = SameSiteMode.Lax;
        options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.NonceCookie.SameSite = SameSiteMode.Lax;
        options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;

        var validation = options.TokenValidationParameters;
        validation.ValidateIssuer = true;
        validation.ValidateAudience = true;
        validation.ValidAudience = provider.ClientId;
        validation.ValidateLifetime = true;
        validation.RequireExpirationTime = true;
        validation.RequireSignedTokens = true;
        validation.ClockSkew = TimeSpan.FromMinutes(1);
        validation.NameClaimType = provider.NameClaim;
        validation.RoleClaimType = "kedja:no-roles";

        // Signature keys come from the metadata; a token signed with a key not seen yet makes the handler ask for the
        // metadata again (at most every RefreshInterval), so a rotated key is picked up at the next sign-in.
        options.RefreshOnIssuerKeyNotFound = true;
        options.AutomaticRefreshInterval = TimeSpan.FromHours(1);
        options.RefreshInterval = TimeSpan.FromSeconds(30);

        options.Events = new OpenIdConnectEvents
        {
            OnRedirectToIdentityProvider = context =>
            {
                if (context.Properties.Items.TryGetValue(LoginHintItem, out var hint) && !string.IsNullOrEmpty(hint))
                {
                    context.ProtocolMessage.LoginHint = hint;
                }

                return Task.CompletedTask;
            },
            OnRedirectToIdentityProviderForSignOut = context =>
            {
                if (context.Properties?.Items.TryGetValue(IdTokenHintItem, out var idToken) == true && !string.IsNullOrEmpty(idToken))
                {
                    context.ProtocolMessage.IdTokenHint = idToken;
                }
                else
                {
                    // Without the id token the provider still knows whose sign-out page to show.
                    context.ProtocolMessage.ClientId = context.Options.ClientId;
                }

                return Task.CompletedTask;
            },
            OnTokenValidated = context =>
            {
                // The handler does not ask for a signature on an id token from the token endpoint (the spec lets TLS
                // stand in for it); Kedja does, so that an unsigned token ("alg": "none") is never taken (issue 14).
                if (context.SecurityToken is not { } token || string.IsNullOrEmpty(token.RawSignature)
                    || string.Equals(token.Header.Alg, "none", StringComparison.OrdinalIgnoreCase))
                {
                    context.Fail(new Microsoft.IdentityModel.Tokens.SecurityTokenInvalidSignatureException("The id token is not signed."));
                }

                return Task.CompletedTask;
            },
            OnTicketReceived = context =>
            {
                // Only what sign-out needs: no access or refresh token is kept anywhere.
                var idToken = context.Properties?.GetTokenValue(OpenIdConnectParameterNames.IdToken);
                context.Properties?.StoreTokens(idToken is null ? [] : [new AuthenticationToken { Name = OpenIdConnectParameterNames.IdToken, Value = idToken }]);
                return Task.CompletedTask;
            },
            OnRemoteFailure = context => FailedAsync(context, slug),
        };
    }

    /// <summary>
    /// Any failure on the way back from the provider (a forged or stale answer, a token that does not hold, the person
    /// cancelling): audited, logged for the operator, and answered with the Swedish "try again" page, never a 500 and
    /// never the reason (it would help whoever forged the answer).
    /// </summary>
    private async Task FailedAsync(RemoteFailureContext context, string slug)
    {
        await RefusedAsync(context.HttpContext, slug, context.Failure, logger);
        if (context.Failure is not null && Innermost(context.Failure) is Microsoft.IdentityModel.Tokens.SecurityTokenSignatureKeyNotFoundException
            && context.Properties is { } properties && !properties.Items.ContainsKey(RetriedItem))
        {
            // Signed with a key this node has not read yet (the provider rotated its keys): the failure made the handler
            // read the metadata again, so the sign-in is started once more; the provider's own session makes that
            // invisible to the person. Only once, so that a key that never appears ends on the "try again" page.
            var start = SsoLogIn.Address(SsoSchemes.PathPrefix + slug + "/start", Item(properties, LoginHintItem), Item(properties, ExternalSignIn.ReturnUrlItem));
            context.Response.Redirect(start + (start.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "igen=1");
        }
        else
        {
            context.Response.Redirect(FailedPath);
        }

        context.HandleResponse();
    }

    /// <summary>An item of the challenge's properties: this challenge is the one retry after an unknown signing key.</summary>
    public const string RetriedItem = "kedja:retried";

    private static string? Item(AuthenticationProperties properties, string key) => properties.Items.TryGetValue(key, out var value) ? value : null;

    /// <summary>Logs a failed sign-in through a provider for the operator and audits it as a refusal, the reason a type name only.</summary>
    internal static async Task RefusedAsync(HttpContext http, string slug, Exception? failure, ILogger logger)
    {
        var reason = failure is null ? "unknown" : Innermost(failure).GetType().Name;
        logger.LogWarning(failure, "Inloggningen via {Slug} misslyckades ({Reason}).", slug, reason);
        try
        {
            var db = http.RequestServices.GetRequiredService<KedjaDbContext>();
            var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            db.AuditEntries.Add(AccountAudit.Entry("SignIn", AccountAudit.UnknownAccount, ExternalSignIn.RefusedAction, "anonym", now,
                details: new { tenant = slug, address = ClientAddress.Of(http), reason }));
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Det misslyckade inloggningsförsöket via {Slug} kunde inte skrivas i granskningsloggen.", slug);
        }
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }

    private string? Secret(SsoProvider provider)
    {
        if (string.IsNullOrEmpty(provider.ClientSecretProtected))
        {
            return null;
        }

        try
        {
            return protection.CreateProtector(SsoSettings.SecretPurpose).Unprotect(provider.ClientSecretProtected);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            // The sign-in then fails at the provider's token endpoint and the person sees "try again"; the operator sees why here.
            logger.LogError(e, "Klienthemligheten för {Slug} kunde inte läsas (nyckelringen?). Ange den på nytt.", provider.Slug);
            return null;
        }
    }

    private static bool IsLoopback(string authority) =>
        Uri.TryCreate(authority, UriKind.Absolute, out var uri)
        && (uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var address) && IPAddress.IsLoopback(address)));
}
