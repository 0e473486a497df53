using System.Globalization;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Auth;

/// <summary>
/// The limits on the anonymous account endpoints, per client address (ADR 11), declared the ASP.NET way
/// (<c>[EnableRateLimiting]</c>) and counted in the database across app nodes (<see cref="SharedRateLimitMiddleware"/>).
/// </summary>
public static class RateLimits
{
    public const string SignIn = "sign-in";
    public const string Forgot = "password-forgot";
    public const string SetPassword = "password-set";

    public const string Title = "För många försök. Vänta en stund och försök igen.";

    public static IServiceCollection AddAccountRateLimits(this IServiceCollection services)
    {
        services.AddSharedRateLimits();
        services.AddScoped<AccountRateLimits>();
        services.AddOptions<SharedRateLimitOptions>().Configure<IOptions<AccountOptions>>((o, accountOptions) =>
        {
            var limits = accountOptions.Value;
            // Showing the sign-in or forgot-password form is no attempt: only what is sent is counted. The page behind a
            // mailed link is counted when shown too, because showing it tells whether its code is valid.
            o.Policies[SignIn] = http => Attempt(http) ? new(ClientAddress.Of(http), limits.SignInPermitsPerAddress, limits.SignInWindow) : null;
            o.Policies[Forgot] = http => Attempt(http) ? new(ClientAddress.Of(http), limits.ForgotPermitsPerAddress, limits.ForgotWindow) : null;
            o.Policies[SetPassword] = http => new(ClientAddress.Of(http), limits.SetPasswordPermitsPerAddress, limits.SignInWindow);
            o.OnRejected = async (http, retry) =>
            {
                var result = TooManyAttempts(http, retry);
                if (Ui.ErrorPage.IsPage(http))
                {
                    // The page that sets a password from a mailed link: a person reads the answer, not a program.
                    var text = http.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<Ui.Texts>>();
                    var seconds = http.Response.Headers.RetryAfter.ToString();
                    await Ui.ErrorPage.WriteAsync(http, StatusCodes.Status429TooManyRequests,
                        text[seconds == "1" ? "Walk.Error.TooManyOne" : "Walk.Error.TooMany", seconds]);
                    return;
                }

                await result.ExecuteAsync(http);
            };
        });
        return services;
    }

    private static bool Attempt(HttpContext http) => !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method);

    /// <summary>429 with Retry-After (whole seconds, at least one) and a Swedish Problem Details.</summary>
    public static ProblemHttpResult TooManyAttempts(HttpContext http, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(title: Title, detail: $"Försök igen om {seconds} {(seconds == 1 ? "sekund" : "sekunder")}.", statusCode: StatusCodes.Status429TooManyRequests);
    }
}

/// <summary>
/// Limits per named account, for endpoints that name one in their body (which the middleware cannot read): counted in
/// the database like the per-address limits (<see cref="RateCounter"/>), keyed by a hash of the e-mail address. Checked
/// before the account is looked up, so they reveal nothing.
/// </summary>
public sealed class AccountRateLimits(RateCounter counter, IOptions<AccountOptions> options)
{
    public const string ForgotPerAccount = "password-forgot-account";

    /// <summary>Null when the attempt may go ahead; otherwise how long to wait.</summary>
    public Task<TimeSpan?> ForgotAsync(string? email, CancellationToken cancellationToken) =>
        counter.HitAsync(ForgotPerAccount, new(SignInDelays.EmailKey(email), options.Value.ForgotPermitsPerAccount, options.Value.ForgotWindow), cancellationToken);
}
