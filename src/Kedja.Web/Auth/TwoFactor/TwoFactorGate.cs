using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;

namespace Kedja.Web.Auth.TwoFactor;

/// <summary>
/// A session that must enrol in two-factor first (<see cref="SecondFactor.EnrolClaim"/>) reaches the enrolment page,
/// sign-out and what anyone may see, nothing else: a page is answered with the way to enrolment, anything else with
/// 403. On the server, for every endpoint, so that no page or endpoint can forget the check.
/// </summary>
public static class TwoFactorGate
{
    public const string MustEnrol = "Du måste slå på tvåstegsverifiering för ditt konto innan du kan fortsätta.";

    public static IServiceCollection AddKedjaTwoFactor(this IServiceCollection services)
    {
        services.AddOptions<TwoFactorOptions>().BindConfiguration(AccountOptions.Section);
        services.AddScoped<AuthenticatorCodes>().AddScoped<RecoveryCodes>().AddScoped<SecondFactor>();
        services.AddOptions<SecurityKeyOptions>().BindConfiguration(SecurityKeyOptions.Section);
        services.AddScoped<SecurityKeys>();
        services.AddAuthentication().AddCookie(SecondFactor.PendingScheme, o =>
        {
            o.Cookie.Name = "kedja.tvastegs";
            o.Cookie.Path = SecondFactor.CodePath;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = SecondFactor.PendingLifetime;
            o.SlidingExpiration = false;
            o.Events = new CookieAuthenticationEvents
            {
                // Never a challenge of its own: the code page sends the person back to the password.
                OnRedirectToLogin = context =>
                {
                    context.Response.Redirect(CookieSignIn.SignInPath);
                    return Task.CompletedTask;
                },
            };
        });
        return services;
    }

    public static IApplicationBuilder UseTwoFactorGate(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (!http.User.HasClaim(SecondFactor.EnrolClaim, "true") || Open(http))
        {
            await next(http);
            return;
        }

        if ((HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)) && !http.Request.Path.StartsWithSegments("/api"))
        {
            http.Response.Redirect(SecondFactor.EnrolPath);
            return;
        }

        await TypedResults.Problem(title: MustEnrol, statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(http);
    });

    private static bool Open(HttpContext http) =>
        http.Request.Path.Equals(SecondFactor.EnrolPath, StringComparison.OrdinalIgnoreCase)
        || http.Request.Path.Equals(SecondFactor.KeysPath, StringComparison.OrdinalIgnoreCase)
        || http.Request.Path.Equals("/logga-ut", StringComparison.OrdinalIgnoreCase)
        || http.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null;
}
