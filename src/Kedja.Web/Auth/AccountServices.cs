using Kedja.Data;
using Kedja.Web.Mail;
using Kedja.Web.Members;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kedja.Web.Auth;

public static class AccountServices
{
    /// <summary>Accounts, sign-in, tokens, password rules, mail and the sign-in rate limits. Call after AddIdentityCore.</summary>
    public static IServiceCollection AddKedjaAccounts(this IServiceCollection services)
    {
        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section)
            .Validate(o => o.IsValid(), "Kedja:Accounts har ogiltiga värden: tider och gränser måste vara större än noll, MaxDelay minst FirstDelay och ForgetFailuresAfter längre än MaxDelay.")
            .ValidateOnStart();
        services.AddOptions<MailOptions>().BindConfiguration(MailOptions.Section)
            .Validate(o => Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out _) && MimeKit.MailboxAddress.TryParse(o.From, out _) && o.Smtp.Port is > 0 and < 65536
                && o.PollSeconds > 0 && o.LeaseSeconds >= 30 && o.ReminderEveryMinutes > 0 && o.ReminderHour is >= 0 and < 24 && o.KeepDays > 0,
                "Kedja:Mail har ogiltiga värden: PublicBaseUrl måste vara en absolut adress, From en e-postadress, Smtp:Port 1-65535 och tiderna större än noll.")
            .ValidateOnStart();

        services.Configure<IdentityOptions>(o =>
        {
            // KedjaPasswordValidator replaces Identity's ASCII-only character rules (ADR 11).
            o.Password.RequiredLength = KedjaPasswordValidator.MinimumLength;
            o.Password.RequireDigit = false;
            o.Password.RequireLowercase = false;
            o.Password.RequireUppercase = false;
            o.Password.RequireNonAlphanumeric = false;

            // The user name is the e-mail address, checked as one before an account is made.
            o.User.AllowedUserNameCharacters = "";
        });
        services.RemoveAll<IPasswordValidator<KedjaUser>>();
        services.AddScoped<IPasswordValidator<KedjaUser>, KedjaPasswordValidator>();
        services.RemoveAll<IPasswordHasher<KedjaUser>>();
        services.AddScoped<IPasswordHasher<KedjaUser>, NormalizingPasswordHasher>();
        services.TryAddScoped<SwedishIdentityErrors>();

        services.AddScoped<SignInDelays>();
        services.AddScoped<SignIn>();
        services.AddScoped<AccessTokens>();
        services.AddScoped<Accounts>();
        services.AddScoped<BrowserSessions>(); // ASVS 3.3.4 (issue 18, h192)
        services.AddScoped<OwnDataExport>(); // ASVS 8.3.2 (issue 18, h201)
        services.AddScoped<Memberships>();

        services.AddKedjaMail();

        services.AddAccountRateLimits();
        return services;
    }
}
