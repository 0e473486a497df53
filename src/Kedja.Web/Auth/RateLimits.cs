using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Auth;

/// <summary>ASP.NET Core's rate limiter on the anonymous account endpoints, per client address (ADR 11).</summary>
public static class RateLimits
{
    public const string SignIn = "sign-in";
    public const string Forgot = "password-forgot";
    public const string SetPassword = "password-set";

    public const string Title = "För många försök. Vänta en stund och försök igen.";

    public static IServiceCollection AddAccountRateLimits(this IServiceCollection services)
    {
        services.AddSingleton<AccountRateLimits>();
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<AccountOptions>>((o, accountOptions) =>
        {
            var limits = accountOptions.Value;
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(SignIn, http => PerAddress(http, limits.SignInPermitsPerAddress, limits.SignInWindow));
            o.AddPolicy(Forgot, http => PerAddress(http, limits.ForgotPermitsPerAddress, limits.ForgotWindow));
            o.AddPolicy(SetPassword, http => PerAddress(http, limits.SetPasswordPermitsPerAddress, limits.SignInWindow));
            o.OnRejected = async (context, cancellationToken) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : limits.SignInWindow;
                var result = TooManyAttempts(context.HttpContext, retry);
                if (Ui.ErrorPage.IsPage(context.HttpContext))
                {
                    // The page that sets a password from a mailed link: a person reads the answer, not a program.
                    var text = context.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<Ui.Texts>>();
                    var seconds = context.HttpContext.Response.Headers.RetryAfter.ToString();
                    await Ui.ErrorPage.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests,
                        text[seconds == "1" ? "Walk.Error.TooManyOne" : "Walk.Error.TooMany", seconds]);
                    return;
                }

                await result.ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }

    /// <summary>429 with Retry-After (whole seconds, at least one) and a Swedish Problem Details.</summary>
    public static ProblemHttpResult TooManyAttempts(HttpContext http, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(title: Title, detail: $"Försök igen om {seconds} {(seconds == 1 ? "sekund" : "sekunder")}.", statusCode: StatusCodes.Status429TooManyRequests);
    }

    private static RateLimitPartition<string> PerAddress(HttpContext http, int permits, TimeSpan window) =>
        RateLimitPartition.GetFixedWindowLimiter(ClientAddress.Of(http), _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 });
}

/// <summary>
/// Limits per named account, for endpoints that name one in their body (which the middleware cannot read): the
/// same limiter types, keyed by the e-mail address. Checked before the account is looked up, so they reveal nothing.
/// </summary>
public sealed class AccountRateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> forgot;

    public AccountRateLimits(IOptions<AccountOptions> options)
    {
        var limits = options.Value;
        forgot = Create(limits.ForgotPermitsPerAccount, limits.ForgotWindow);
    }

    /// <summary>Null when the attempt may go ahead; otherwise how long to wait.</summary>
    public TimeSpan? Forgot(string? email) => Acquire(forgot, email);

    public void Dispose()
    {
        forgot.Dispose();
    }

    private static TimeSpan? Acquire(PartitionedRateLimiter<string> limiter, string? email)
    {
        using var lease = limiter.AttemptAcquire(SignInDelays.EmailKey(email));
        return lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : TimeSpan.FromMinutes(1);
    }

    private static PartitionedRateLimiter<string> Create(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key =>
            RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 }));
}
