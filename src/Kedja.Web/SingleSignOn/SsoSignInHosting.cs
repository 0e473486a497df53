using Kedja.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kedja.Web.SingleSignOn;

/// <summary>Wires the sign-in through the tenants' own providers (ADR 45). Call after AddKedjaAuthentication.</summary>
public static class SsoSignInHosting
{
    public static IServiceCollection AddSsoSignIn(this IServiceCollection services)
    {
        services.AddOptions<SsoSignInOptions>().BindConfiguration(SsoSignInOptions.Section)
            .Validate(o => o.ProviderRefreshSeconds is >= 0 and <= 300, "Kedja:Sso:ProviderRefreshSeconds ska vara 0–300 sekunder.")
            .ValidateOnStart();
        services.AddSingleton<SsoProviders>();
        services.AddScoped<HomeRealms>();
        services.AddScoped<ExternalSignIn>();
        services.Replace(ServiceDescriptor.Singleton<IAuthenticationSchemeProvider, TenantSchemeProvider>());
        services.AddSingleton<IConfigureOptions<OpenIdConnectOptions>, SsoHandlerOptions>();
        // AddOpenIdConnect would register this; the schemes are not added through it, so it is added here.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<OpenIdConnectOptions>, OpenIdConnectPostConfigureOptions>());
        services.AddAuthentication().AddCookie(SsoSchemes.ExternalCookieScheme, o =>
        {
            // Carries the provider's answer from the callback to /inloggning/oidc/{slug}/klar, a moment later, and only there.
            o.Cookie.Name = "kedja.extern";
            o.Cookie.Path = SsoSchemes.PathPrefix.TrimEnd('/');
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromMinutes(5);
            o.SlidingExpiration = false;
            o.Events.OnRedirectToLogin = context =>
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
        });
        return services;
    }

    public static IEndpointRouteBuilder MapSsoSignIn(this IEndpointRouteBuilder app)
    {
        // Reached from the sign-in page's "onward" page (a navigation, not a form): the challenge to the provider.
        app.MapGet(SsoSchemes.PathPrefix + "{slug}/start", async (HttpContext http, string slug, string? epost, string? tillbaka, string? igen, SsoProviders providers, ILogger<SsoProviders> logger) =>
        {
            if (await providers.FindAsync(slug, http.RequestAborted) is null)
            {
                return Results.LocalRedirect(CookieSignIn.SignInPath);
            }

            try
            {
                var properties = ChallengeProperties(new HomeRealm(slug, true, true), epost, tillbaka);
                if (igen == "1")
                {
                    properties.Items[SsoHandlerOptions.RetriedItem] = "1";
                }

                await http.ChallengeAsync(SsoSchemes.SchemeOf(slug), properties);
                return Results.Empty;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The provider's metadata or its pushed authorization request failed (unreachable, a wrong client):
                // the Swedish "try again" page, not a 500; the operator reads why in the log.
                await SsoHandlerOptions.RefusedAsync(http, slug, e, logger);
                return Results.LocalRedirect(SsoHandlerOptions.FailedPath);
            }
        }).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(SsoSchemes.PathPrefix + "{slug}/klar", async (HttpContext http, string slug, ExternalSignIn signIn) =>
        {
            var (result, returnUrl) = await signIn.CompleteAsync(http, slug);
            return result switch
            {
                SsoSignInResult.Succeeded => Results.LocalRedirect(Local(returnUrl)),
                SsoSignInResult.NoRole => Results.LocalRedirect(SsoHandlerOptions.FailedPath + "?orsak=behorighet"),
                _ => Results.LocalRedirect(SsoHandlerOptions.FailedPath),
            };
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>A path of Kedja's own, else the start (the challenge took it from a query string).</summary>
    private static string Local(string? target) =>
        !string.IsNullOrEmpty(target) && target[0] == '/' && (target.Length == 1 || (target[1] != '/' && target[1] != '\\')) && !target.Any(char.IsControl)
            ? target : "/";

    /// <summary>
    /// Starts the challenge at the tenant's provider, keeping where the person wanted to go (a local path, else the
    /// start) and the address they typed (sent as login_hint).
    /// </summary>
    public static AuthenticationProperties ChallengeProperties(HomeRealm realm, string? email, string? returnUrl)
    {
        var properties = new AuthenticationProperties { RedirectUri = SsoSchemes.CompletePath(realm.Slug) };
        properties.Items[ExternalSignIn.ReturnUrlItem] = Local(returnUrl);
        if (!string.IsNullOrWhiteSpace(email))
        {
            properties.Items[SsoHandlerOptions.LoginHintItem] = email.Trim();
        }

        return properties;
    }

    /// <summary>
    /// Ends the Kedja session (as <see cref="CookieSignIn.SignOutAsync"/>) and, for a session started through a
    /// provider, returns the address of the provider's sign-out (end_session_endpoint with the id token as the hint and
    /// /inloggning/oidc/{slug}/ut to come back to, where the browser lands on the sign-in page). The caller shows a page
    /// that moves on there: a form's answer may not redirect to another site (form-action 'self'). Null when there is
    /// nothing to go on to (a password session, or a provider without a sign-out endpoint).
    /// </summary>
    public static async Task<string?> SignOutAsync(HttpContext http)
    {
        var session = await http.AuthenticateAsync(CookieSignIn.CookieScheme);
        var slug = SsoSchemes.SlugOf(session.Principal?.FindFirst(CookieSignIn.MethodClaim)?.Value);
        var idToken = session.Properties?.GetTokenValue("id_token");
        await CookieSignIn.SignOutAsync(http);
        if (slug is null || await http.RequestServices.GetRequiredService<SsoProviders>().FindAsync(slug, http.RequestAborted) is null)
        {
            return null;
        }

        var properties = new AuthenticationProperties { RedirectUri = CookieSignIn.SignInPath };
        if (idToken is not null)
        {
            properties.Items[SsoHandlerOptions.IdTokenHintItem] = idToken;
        }

        try
        {
            await http.SignOutAsync(SsoSchemes.SchemeOf(slug), properties);
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException)
        {
            // The provider offers no sign-out, or cannot be reached: the Kedja session has ended all the same.
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SsoSignInHosting))
                .LogWarning(e, "Utloggningen hos leverantören för {Slug} kunde inte påbörjas.", slug);
            return null;
        }

        // The handler answered with a redirect; the page that moves on takes its place.
        var target = http.Response.Headers.Location.ToString();
        http.Response.Headers.Remove("Location");
        http.Response.StatusCode = StatusCodes.Status200OK;
        return Uri.TryCreate(target, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? target : null;
    }
}
